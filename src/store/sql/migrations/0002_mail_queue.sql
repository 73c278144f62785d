-- The durable mail queue (store/mail_queue_store.h). Rows are added in the same transaction as
-- the change that causes the mail; the MailWorker claims due rows (leased_until) and marks them
-- sent (status 1) or failed (status 2). status 0 = pending.
CREATE TABLE mail_queue (
  id TEXT PRIMARY KEY,
  to_email TEXT NOT NULL,
  to_name TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  leased_until BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at);
