-- The first entry of a batch is its own batch: filled in as the row is written, so that
-- logging a change is one statement, not an insert and then an update (issue 10's load
-- test counted every statement of a coding write). Fires after activity_fill_id (names
-- in order), when the id is known.
CREATE FUNCTION rian_own_batch() RETURNS trigger AS $$
BEGIN
    IF NEW.batch IS NULL THEN
        NEW.batch := NEW.id;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER activity_own_batch BEFORE INSERT ON activity
FOR EACH ROW EXECUTE FUNCTION rian_own_batch();
