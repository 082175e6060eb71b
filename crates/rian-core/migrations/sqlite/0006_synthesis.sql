-- The cross-site synthesis (issue 7).

-- Where each coded passage sits in its document: the first and last paragraph and clause
-- it touches (ordinals from analyze::units), for co-occurrence within a paragraph or a
-- clause without reading every text again. NULL until the library fills it from the
-- text (Store::place_codings, before any analysis); a change of span or document makes
-- it NULL again.
ALTER TABLE coding ADD COLUMN paragraph_first BIGINT;
ALTER TABLE coding ADD COLUMN paragraph_last BIGINT;
ALTER TABLE coding ADD COLUMN clause_first BIGINT;
ALTER TABLE coding ADD COLUMN clause_last BIGINT;
CREATE INDEX coding_unplaced ON coding(id) WHERE paragraph_first IS NULL;

CREATE TRIGGER coding_units_stale AFTER UPDATE OF span_start, span_end, document_id ON coding
WHEN OLD.span_start <> NEW.span_start OR OLD.span_end <> NEW.span_end
     OR OLD.document_id <> NEW.document_id
BEGIN
    UPDATE coding SET paragraph_first = NULL, paragraph_last = NULL,
                      clause_first = NULL, clause_last = NULL
    WHERE id = NEW.id;
END;

-- Filling in the places above changes nothing search shows: only the columns search
-- reads queue the document again.
DROP TRIGGER coding_search_update;
CREATE TRIGGER coding_search_update
AFTER UPDATE OF document_id, code_id, span_start, span_end, status, coder, memo, cue ON coding
BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', OLD.document_id);
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.document_id);
END;

-- What a researcher writes in a cell of the framework matrix, beside its evidence: one
-- summary per row (a site, a community or a forum) and code.
CREATE TABLE cell_summary (
    id INTEGER PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    row_kind TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    code_id BIGINT NOT NULL REFERENCES code(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (study_id, row_kind, row_id, code_id)
);
