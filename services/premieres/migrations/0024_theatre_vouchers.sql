-- The online price counts toward a theatre ticket (ADR 0028). A premiere whose theatre set voucher terms gives each
-- paid rental a voucher worth the online price paid, valid until the theatre's date; the theatre's box office
-- (staff assigned to that theatre) checks and redeems it, once. A cancelled or refunded rental's voucher is void,
-- and a rental whose voucher was redeemed can no longer be cancelled for a refund.
CREATE TABLE theatre_staff (
    user_id     text PRIMARY KEY,              -- identity's user id (role theatre_staff)
    theatre     text NOT NULL,                 -- premieres.theatre, as the catalog writes it
    assigned_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE premiere_vouchers (
    premiere_id  bigint PRIMARY KEY REFERENCES premieres (id),
    valid_until  timestamptz NOT NULL,
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vouchers (
    code          text PRIMARY KEY,            -- 16 random hexadecimal characters, upper case
    rental_id     bigint NOT NULL UNIQUE REFERENCES rentals (id),
    premiere_id   bigint NOT NULL REFERENCES premieres (id),
    user_id       text NOT NULL,
    amount        bigint NOT NULL CHECK (amount >= 0),
    valid_until   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    redeemed_at   timestamptz,
    redeemed_by   text,
    redeem_key    text
);
CREATE INDEX vouchers_user ON vouchers (user_id);

-- Set in the redemption's transaction under the rental's row lock: a cancel's claim (one UPDATE of the rental)
-- then sees it and refuses, and a redemption sees a cancel that came first.
ALTER TABLE rentals ADD COLUMN voucher_redeemed_at timestamptz;

-- A voucher's state (the one definition the customer's list, the box office and a redemption use): redeemed; void
-- when its rental was cancelled or any of it refunded; expired past its date; else active.
CREATE FUNCTION voucher_status(v vouchers) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN v.redeemed_at IS NOT NULL THEN 'redeemed'
                WHEN EXISTS (SELECT 1 FROM rentals r WHERE r.id = v.rental_id AND r.cancelled_at IS NOT NULL)
                  OR EXISTS (SELECT 1 FROM rental_events e WHERE e.rental_id = v.rental_id AND e.type = 'staff_refund')
                THEN 'void'
                WHEN v.valid_until <= now() THEN 'expired'
                ELSE 'active' END
$$;
