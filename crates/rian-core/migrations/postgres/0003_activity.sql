-- The activity log: every change a person makes, with what was there before, so that it
-- can be shown and undone. Changes made together share a batch and are undone together.
CREATE TABLE activity (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    batch BIGINT,
    at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    undone BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX activity_study ON activity(study_id, id);

-- rian inserts NULL for a new id (SQLite numbers it); here the sequence does.
CREATE TRIGGER activity_fill_id BEFORE INSERT ON activity FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
