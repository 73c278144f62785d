-- Expiry (issue 17): when the expiry sweep closed the request because expires_at passed with
-- signers still to sign (0: not expired). The partial index holds only the requests the sweep
-- may still have to expire, so its scan stays small however many requests are stored.
ALTER TABLE signature_requests ADD COLUMN expired_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX signature_requests_expiring ON signature_requests (expires_at)
  WHERE expired_at = 0 AND expires_at > 0 AND is_complete = 0 AND is_declined = 0
    AND canceled_at = 0;
