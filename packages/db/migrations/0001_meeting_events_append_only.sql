-- The meeting log is append-only: rows may be inserted and (by retention purge) deleted, never changed.
CREATE OR REPLACE FUNCTION meeting_events_refuse_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'meeting_events is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER meeting_events_no_update
  BEFORE UPDATE ON meeting_events
  FOR EACH ROW EXECUTE FUNCTION meeting_events_refuse_update();
