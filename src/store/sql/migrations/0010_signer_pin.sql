-- Signer PIN (access code) checks: wrong PINs in a row, the lock they cause, and the SHA-256 of
-- the pass given after the right PIN (the signing page's cookie), shared by every instance.
ALTER TABLE signatures ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signatures ADD COLUMN pin_locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE signatures ADD COLUMN pin_pass_hash TEXT NOT NULL DEFAULT '';
