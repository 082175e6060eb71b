-- The coding workbench (issue 5): memos on any item, a forum record's review mark, and the
-- progress of plan items.
CREATE TABLE memo (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    -- What the memo is about: 'document', 'coding', 'code' or 'site', and its id. Not a
    -- foreign key: a memo outlives what it was written on, since nothing typed is lost.
    target TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);
CREATE INDEX memo_target ON memo(target, target_id);
CREATE INDEX memo_study ON memo(study_id);

ALTER TABLE forum ADD COLUMN reviewed_at TEXT;
ALTER TABLE forum ADD COLUMN reviewed_by TEXT;

ALTER TABLE plan_item ADD COLUMN progress BIGINT NOT NULL DEFAULT 0
    CHECK (progress >= 0 AND progress <= 100);

-- rian inserts NULL for a new id (SQLite numbers it); here the sequence does.
CREATE TRIGGER memo_fill_id BEFORE INSERT ON memo FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
