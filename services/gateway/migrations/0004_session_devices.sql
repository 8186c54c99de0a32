-- Where each session was opened, for the customer's list of signed-in devices («Где выполнен вход»): the browser's
-- User-Agent (at most 300 characters) and the client address at login. Neither is used to decide anything.
ALTER TABLE sessions ADD COLUMN user_agent text NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client_address text NOT NULL DEFAULT '';
