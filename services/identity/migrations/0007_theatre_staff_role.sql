-- A theatre's box office (ADR 0028): staff who check and redeem the store's theatre vouchers for their theatre
-- (premieres keeps which theatre each one works for).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('customer', 'support', 'admin', 'theatre_staff'));
