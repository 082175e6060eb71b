-- The first entry of a batch is its own batch: filled in by the database as the row is
-- written, so that logging a change is one statement from rian, not an insert and then
-- an update (issue 10's load test counted every statement of a coding write).
CREATE TRIGGER activity_own_batch AFTER INSERT ON activity WHEN NEW.batch IS NULL BEGIN
    UPDATE activity SET batch = NEW.id WHERE id = NEW.id;
END;
