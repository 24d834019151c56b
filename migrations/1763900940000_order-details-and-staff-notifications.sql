-- Up Migration
-- Regional clients' orders carry a payment form, a delivery date and shipping details (DESIGN.md §1
-- rule 8, issue 17 point 8). Required for regional orders by the wrap-up route (src/calls/order-details.ts),
-- optional in the table: other clients' orders and older forms have none.
ALTER TABLE wrap_ups ADD COLUMN payment_form text CHECK (payment_form IN ('bank_transfer', 'cash', 'card', 'deferred'));
ALTER TABLE wrap_ups ADD COLUMN delivery_date date;
ALTER TABLE wrap_ups ADD COLUMN shipping_details text CHECK (length(shipping_details) <= 1000);

-- What a manager is told in their softphone: a client assigned to them by a head (rule 6), an order taken
-- on a call from one of their clients (rule 1). Kept, so that a manager who was away finds them later;
-- delivered live over the agent-events socket. No foreign key to calls (the row may come later, as for wrap-ups).
CREATE TABLE staff_notifications (
  id          bigserial PRIMARY KEY,
  staff_id    integer NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('client_assigned', 'order_taken')),
  client_id   integer REFERENCES clients(id) ON DELETE CASCADE,
  call_id     uuid,
  -- who did it (the head, the operator who took the order)
  actor_staff_id integer REFERENCES staff(id) ON DELETE SET NULL,
  text        text NOT NULL DEFAULT '' CHECK (length(text) <= 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz
);
CREATE INDEX staff_notifications_staff_idx ON staff_notifications (staff_id, created_at DESC);
-- One order notification per call and manager: correcting the form does not tell them twice.
CREATE UNIQUE INDEX staff_notifications_order_once ON staff_notifications (staff_id, call_id) WHERE kind = 'order_taken';

-- Down Migration
DROP TABLE IF EXISTS staff_notifications;
ALTER TABLE wrap_ups DROP COLUMN IF EXISTS shipping_details;
ALTER TABLE wrap_ups DROP COLUMN IF EXISTS delivery_date;
ALTER TABLE wrap_ups DROP COLUMN IF EXISTS payment_form;
