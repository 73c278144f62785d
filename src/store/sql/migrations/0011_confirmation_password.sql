-- A confirmation link made by a sign-up carries the password chosen at that sign-up: the link,
-- which only the address's owner receives, sets it when it confirms the account. So a stranger
-- who signed up first with someone's address cannot keep the account: the owner signs up again
-- and confirms with their own password (issue 10).
ALTER TABLE account_confirmations ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
