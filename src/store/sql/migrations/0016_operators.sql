-- Operators (issue 15): accounts that may approve apps, find accounts and lock them in the web
-- app's operator pages. The first run's account is one; more are granted from the command line
-- (`countersign account admin <email>`).
ALTER TABLE accounts ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
