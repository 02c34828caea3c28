CREATE TABLE "live_channels" (
	"participant_id" uuid NOT NULL,
	"device" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "live_channels_participant_id_device_pk" PRIMARY KEY("participant_id","device")
);
--> statement-breakpoint
ALTER TABLE "live_channels" ADD CONSTRAINT "live_channels_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;