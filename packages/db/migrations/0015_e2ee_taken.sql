-- Whether the recipient has read a wrapped copy (ADR 0035): the sender switches to a rotated key
-- once every recipient has taken it, or after its fallback delay. No key material.
ALTER TABLE "e2ee_mailbox" ADD COLUMN "taken" boolean DEFAULT false NOT NULL;