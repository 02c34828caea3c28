ALTER TYPE "public"."meeting_role" ADD VALUE 'interpreter';--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "language" text;