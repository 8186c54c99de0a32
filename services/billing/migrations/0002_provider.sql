-- Payments are created at the acquirer (the sandbox acquirer is a process of its own): billing keeps which
-- provider holds each one and its id there. The card form's token belongs to the acquirer now.
ALTER TABLE payments ADD COLUMN provider text;
ALTER TABLE payments ADD COLUMN provider_payment_id text;
ALTER TABLE payments ALTER COLUMN form_token DROP NOT NULL;
CREATE UNIQUE INDEX payments_provider_id ON payments (provider, provider_payment_id) WHERE provider_payment_id IS NOT NULL;
