-- Signing (issue 6): what each signer signed with and from where, the request's audit trail,
-- and the durable job that moves a request along after a signature (mail the next signers,
-- complete, produce the final PDF).
ALTER TABLE signatures ADD COLUMN signature_kind TEXT NOT NULL DEFAULT '';   -- typed | drawn
ALTER TABLE signatures ADD COLUMN signature_data TEXT NOT NULL DEFAULT '';   -- name or strokes JSON
ALTER TABLE signatures ADD COLUMN signer_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN signer_user_agent TEXT NOT NULL DEFAULT '';

-- 0 not complete, 1 final PDF being made, 2 final PDF ready, 3 final PDF failed
ALTER TABLE signature_requests ADD COLUMN final_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signature_requests ADD COLUMN final_sha256 TEXT NOT NULL DEFAULT '';

CREATE TABLE request_audit (
  request_id TEXT NOT NULL REFERENCES signature_requests (id),
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  actor_email TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  PRIMARY KEY (request_id, seq)
);

CREATE TABLE request_jobs (
  request_id TEXT PRIMARY KEY REFERENCES signature_requests (id),
  due_at BIGINT NOT NULL,
  leased_until BIGINT NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX request_jobs_due ON request_jobs (due_at);
