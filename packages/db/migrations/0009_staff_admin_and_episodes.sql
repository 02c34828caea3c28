CREATE TABLE "staff_setup_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_setup_links_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "core_team_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"until_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "networks" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "networks" ADD COLUMN "closed_by" uuid;--> statement-breakpoint
ALTER TABLE "networks" ADD COLUMN "members_purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_setup_links" ADD CONSTRAINT "staff_setup_links_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_setup_links" ADD CONSTRAINT "staff_setup_links_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_team_periods" ADD CONSTRAINT "core_team_periods_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_team_periods" ADD CONSTRAINT "core_team_periods_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_setup_links_staff_idx" ON "staff_setup_links" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "core_team_periods_network_idx" ON "core_team_periods" USING btree ("network_id");--> statement-breakpoint
CREATE UNIQUE INDEX "core_team_periods_one_open_key" ON "core_team_periods" USING btree ("network_id","staff_id") WHERE "core_team_periods"."until_at" is null;--> statement-breakpoint
ALTER TABLE "networks" ADD CONSTRAINT "networks_closed_by_staff_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- The core teams so far (no edits were possible before): from the start of each episode.
INSERT INTO "core_team_periods" ("network_id", "staff_id", "from_at") SELECT "network_id", "staff_id", to_timestamp(0) FROM "core_team_members";