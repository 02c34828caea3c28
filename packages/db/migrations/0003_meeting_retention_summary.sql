ALTER TABLE "meetings" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "core_team_attendees" integer;