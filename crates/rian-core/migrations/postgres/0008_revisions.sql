-- The correction round (issue 8): revising a document's text, and the forum record's
-- draft → checked → final steps.

-- A text revision moves every span (Store code, edit::revise); where paragraphs and
-- clauses begin may move with it, so the places of the document's codings are found again.
CREATE FUNCTION rian_document_text_units_stale() RETURNS trigger AS $$
BEGIN
    UPDATE coding SET paragraph_first = NULL, paragraph_last = NULL,
                      clause_first = NULL, clause_last = NULL
    WHERE document_id = NEW.id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER document_text_units_stale AFTER UPDATE OF text ON document
    FOR EACH ROW WHEN (OLD.text <> NEW.text)
    EXECUTE FUNCTION rian_document_text_units_stale();

-- A coding whose passage a revision removed: the words it covered, kept for the person
-- who reviews it (the coding itself is marked 'detached', never dropped).
CREATE TABLE detached_coding (
    coding_id BIGINT PRIMARY KEY REFERENCES coding(id) ON DELETE CASCADE,
    removed_text TEXT NOT NULL,
    previous_status TEXT NOT NULL,
    detached_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);

-- The steps of a forum's record: draft (no row yet), checked by the community, final; and
-- back to draft when a correction reopens it. Appended to, never changed: the history.
CREATE TABLE forum_record_step (
    id BIGSERIAL PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT,
    at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);
CREATE INDEX forum_record_step_forum ON forum_record_step(forum_id, id);

-- What a community said about an item of its data-return report (report::VerifyItem): the
-- record it is about, the statement as printed, the correction, and what became of it.
CREATE TABLE correction (
    id BIGSERIAL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    item_entity TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    statement TEXT NOT NULL,
    text TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);
CREATE INDEX correction_site ON correction(site_id, id);

-- rian inserts NULL for a new id (SQLite numbers it); here the sequence does.
CREATE TRIGGER forum_record_step_fill_id BEFORE INSERT ON forum_record_step FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER correction_fill_id BEFORE INSERT ON correction FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
