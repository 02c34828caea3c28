CREATE TABLE "guest_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "participants" DROP CONSTRAINT "participants_guest_session_hash_unique";--> statement-breakpoint
ALTER TABLE "meeting_events" DROP CONSTRAINT "meeting_events_type_known";--> statement-breakpoint
ALTER TABLE "guest_sessions" ADD CONSTRAINT "guest_sessions_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guest_sessions_participant_idx" ON "guest_sessions" USING btree ("participant_id");--> statement-breakpoint
-- Existing sessions carry over: each becomes the one device of its participant.
INSERT INTO "guest_sessions" ("participant_id", "token_hash") SELECT "id", "guest_session_hash" FROM "participants" WHERE "guest_session_hash" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "participants" DROP COLUMN "guest_session_hash";--> statement-breakpoint
ALTER TABLE "meeting_events" ADD CONSTRAINT "meeting_events_type_known" CHECK ("type" in ('participant.invited', 'participant.joined_lobby', 'device.knocked', 'admission.approved', 'consent.given', 'consent.withdrawn', 'participant.admitted', 'participant.declined', 'participant.removed', 'companions.changed', 'mode.changed', 'hand.raised', 'record.added', 'meeting.started', 'meeting.ended', 'participant.left', 'settings.changed', 'link.revoked'));