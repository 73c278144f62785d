-- Templates (issue 13): documents, roles and fields kept to send signature requests from.
-- Roles and merge fields are small JSON arrays; form fields are stored as sent
-- (form_fields_per_document, with `signer` the index of a signer role). A request sent from a
-- template copies everything it needs, so changing or deleting a template never changes it.
CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,                 -- the owner
  client_id TEXT NOT NULL,                  -- '' when not tied to an app
  created_by_client_id TEXT NOT NULL,       -- '' when created with the API key
  title TEXT NOT NULL,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  metadata TEXT NOT NULL,                   -- JSON object
  test_mode INTEGER NOT NULL,
  allow_reassign INTEGER NOT NULL,
  signer_roles TEXT NOT NULL,               -- JSON [{"name": ..., "order": n or null}]
  cc_roles TEXT NOT NULL,                   -- JSON array of names
  merge_fields TEXT NOT NULL,               -- JSON [{"name": ..., "type": "text"|"checkbox"}]
  form_fields TEXT NOT NULL,                -- JSON array text or ''
  form_field_groups TEXT NOT NULL,          -- JSON array text or ''
  form_field_rules TEXT NOT NULL,           -- JSON array text or ''
  field_options TEXT NOT NULL,              -- JSON object text or ''
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX templates_account ON templates (account_id, created_at, id);

CREATE TABLE template_files (
  template_id TEXT NOT NULL REFERENCES templates (id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  page_count INTEGER NOT NULL,
  PRIMARY KEY (template_id, position)
);

-- Accounts a template's owner shared it with (POST /template/add_user).
CREATE TABLE template_shares (
  template_id TEXT NOT NULL REFERENCES templates (id),
  account_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (template_id, account_id)
);
CREATE INDEX template_shares_account ON template_shares (account_id, template_id);

-- A request sent from templates names them (template_ids, a JSON array; '' when none) and each
-- signer's role ('' when none).
ALTER TABLE signature_requests ADD COLUMN template_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN signer_role TEXT NOT NULL DEFAULT '';

-- Events about a template (template_created) name it; '' for every other event.
ALTER TABLE events ADD COLUMN template_id TEXT NOT NULL DEFAULT '';
