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

CREATE FUNCTION rian_coding_units_stale() RETURNS trigger AS $$
BEGIN
    NEW.paragraph_first := NULL;
    NEW.paragraph_last := NULL;
    NEW.clause_first := NULL;
    NEW.clause_last := NULL;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- BEFORE the row is written (SQLite updates it again after): the same outcome.
CREATE TRIGGER coding_units_stale BEFORE UPDATE OF span_start, span_end, document_id ON coding
    FOR EACH ROW
    WHEN (OLD.span_start <> NEW.span_start OR OLD.span_end <> NEW.span_end
          OR OLD.document_id <> NEW.document_id)
    EXECUTE FUNCTION rian_coding_units_stale();

-- Filling in the places above changes nothing search shows: only the columns search
-- reads queue the document again.
DROP TRIGGER coding_search_update ON coding;
CREATE TRIGGER coding_search_update
    AFTER UPDATE OF document_id, code_id, span_start, span_end, status, coder, memo, cue ON coding
    FOR EACH ROW EXECUTE FUNCTION rian_queue_coding();

-- What a researcher writes in a cell of the framework matrix, beside its evidence: one
-- summary per row (a site, a community or a forum) and code.
CREATE TABLE cell_summary (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    row_kind TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    code_id BIGINT NOT NULL REFERENCES code(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
    UNIQUE (study_id, row_kind, row_id, code_id)
);

-- rian inserts NULL for a new id (SQLite numbers it); here the sequence does.
CREATE TRIGGER cell_summary_fill_id BEFORE INSERT ON cell_summary FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
