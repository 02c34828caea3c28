-- End-to-end encryption is a meeting setting, on by default (ADR 0035). Meetings stored before
-- it read as encrypted: the domain completes a missing setting with its default.
ALTER TABLE "meetings" ALTER COLUMN "settings" SET DEFAULT '{"networkCamerasInReflection":true,"endToEndEncrypted":true}'::jsonb;