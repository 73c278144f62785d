-- Form fields (issue 12): what each signer filled in their fields, a JSON object from the
-- field's api_id to its value as text ('' until the signer signs), and the sender's
-- custom_fields, the JSON array echoed in the request and merged into text-merge and
-- checkbox-merge fields ('' when none); form_field_groups, how many checkboxes of a group a
-- signer must check ('' when none); form_field_rules, which fields show or hide with the values
-- of others ('' when none); and each file's page sizes as displayed, in points, as
-- a JSON array of [width, height] (where the signing page draws the fields; '' when unknown).
ALTER TABLE signatures ADD COLUMN field_values TEXT NOT NULL DEFAULT '';
ALTER TABLE signature_requests ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '';
ALTER TABLE signature_requests ADD COLUMN form_field_groups TEXT NOT NULL DEFAULT '';
ALTER TABLE signature_requests ADD COLUMN form_field_rules TEXT NOT NULL DEFAULT '';
ALTER TABLE signature_request_files ADD COLUMN page_sizes TEXT NOT NULL DEFAULT '';
