CREATE TABLE "e2ee_resend_requests" (
	"meeting_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"sender_admission" integer NOT NULL,
	"recipient_id" uuid NOT NULL,
	"recipient_admission" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "e2ee_resend_requests_sender_id_sender_admission_recipient_id_recipient_admission_pk" PRIMARY KEY("sender_id","sender_admission","recipient_id","recipient_admission")
);
--> statement-breakpoint
ALTER TABLE "e2ee_resend_requests" ADD CONSTRAINT "e2ee_resend_requests_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "e2ee_resend_requests" ADD CONSTRAINT "e2ee_resend_requests_sender_id_participants_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "e2ee_resend_requests" ADD CONSTRAINT "e2ee_resend_requests_recipient_id_participants_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "e2ee_resend_requests_meeting_idx" ON "e2ee_resend_requests" USING btree ("meeting_id");