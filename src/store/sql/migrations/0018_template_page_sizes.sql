-- Template files keep their pages' displayed sizes, in points, as a JSON array of
-- [width, height] (like signature_request_files and draft_files), so the template editor and the
-- placement checks use the real pages; '' when unknown (templates stored before this), which
-- readers count as US Letter.
ALTER TABLE template_files ADD COLUMN page_sizes TEXT NOT NULL DEFAULT '';
