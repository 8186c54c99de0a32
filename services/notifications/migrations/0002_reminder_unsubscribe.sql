-- Reminders («Показ начался», «Скоро закончится аренда») may be switched off by themselves, by the customer or
-- by one click in their mail program (List-Unsubscribe, RFC 8058). Receipts and security notices are always sent.
ALTER TABLE preferences ADD COLUMN reminders boolean NOT NULL DEFAULT true;
-- The one-click address an email carries in its List-Unsubscribe header (reminder emails only).
ALTER TABLE deliveries ADD COLUMN unsubscribe_url text;
