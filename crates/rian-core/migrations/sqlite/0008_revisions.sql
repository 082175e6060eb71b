-- The correction round (issue 8): revising a document's text, and the forum record's
-- draft → checked → final steps.

-- A text revision moves every span (Store code, edit::revise); where paragraphs and
-- clauses begin may move with it, so the places of the document's codings are found again.
CREATE TRIGGER document_text_units_stale AFTER UPDATE OF text ON document
WHEN OLD.text <> NEW.text
BEGIN
    UPDATE coding SET paragraph_first = NULL, paragraph_last = NULL,
                      clause_first = NULL, clause_last = NULL
    WHERE document_id = NEW.id;
END;

-- A coding whose passage a revision removed: the words it covered, kept for the person
-- who reviews it (the coding itself is marked 'detached', never dropped).
CREATE TABLE detached_coding (
    coding_id BIGINT PRIMARY KEY REFERENCES coding(id) ON DELETE CASCADE,
    removed_text TEXT NOT NULL,
    previous_status TEXT NOT NULL,
    detached_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The steps of a forum's record: draft (no row yet), checked by the community, final; and
-- back to draft when a correction reopens it. Appended to, never changed: the history.
CREATE TABLE forum_record_step (
    id INTEGER PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT,
    at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX forum_record_step_forum ON forum_record_step(forum_id, id);

-- What a community said about an item of its data-return report (report::VerifyItem): the
-- record it is about, the statement as printed, the correction, and what became of it.
CREATE TABLE correction (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    item_entity TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    statement TEXT NOT NULL,
    text TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX correction_site ON correction(site_id, id);
