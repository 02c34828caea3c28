CREATE TABLE "e2ee_device_keys" (
	"meeting_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"admission_number" integer NOT NULL,
	"curve" text NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "e2ee_device_keys_participant_id_admission_number_pk" PRIMARY KEY("participant_id","admission_number")
);
--> statement-breakpoint
CREATE TABLE "e2ee_mailbox" (
	"meeting_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"recipient_admission" integer NOT NULL,
	"sender_id" uuid NOT NULL,
	"sender_admission" integer NOT NULL,
	"generation" integer NOT NULL,
	"key_index" integer NOT NULL,
	"iv" text NOT NULL,
	"wrapped" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "e2ee_mailbox_recipient_id_recipient_admission_sender_id_sender_admission_pk" PRIMARY KEY("recipient_id","recipient_admission","sender_id","sender_admission")
);
--> statement-breakpoint
ALTER TABLE "e2ee_device_keys" ADD CONSTRAINT "e2ee_device_keys_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "e2ee_device_keys" ADD CONSTRAINT "e2ee_device_keys_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "e2ee_mailbox" ADD CONSTRAINT "e2ee_mailbox_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "e2ee_mailbox" ADD CONSTRAINT "e2ee_mailbox_recipient_id_participants_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "e2ee_mailbox" ADD CONSTRAINT "e2ee_mailbox_sender_id_participants_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "e2ee_device_keys_meeting_idx" ON "e2ee_device_keys" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "e2ee_mailbox_meeting_idx" ON "e2ee_mailbox" USING btree ("meeting_id");