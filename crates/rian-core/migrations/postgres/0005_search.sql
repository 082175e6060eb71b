-- The full-text index (issue 6) is a cache of the store, kept current from this queue:
-- every write that changes what search shows adds a row here in the same transaction,
-- and the index removes the rows it has applied only after its own commit. A crash in
-- between leaves the rows, and the next start applies them again.
CREATE TABLE search_pending (
    seq BIGSERIAL PRIMARY KEY,
    -- 'document' (its text, its codings and its codes) or 'memo'; 'forum' and 'site'
    -- stand for every document under them.
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL
);

-- Each trigger queues what search must read again (PL/pgSQL: one function per table).
CREATE FUNCTION rian_queue_document() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_pending (entity, entity_id) VALUES ('document', OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER document_search_insert AFTER INSERT ON document
    FOR EACH ROW EXECUTE FUNCTION rian_queue_document();
CREATE TRIGGER document_search_update AFTER UPDATE OF text, title, forum_id ON document
    FOR EACH ROW EXECUTE FUNCTION rian_queue_document();
CREATE TRIGGER document_search_delete AFTER DELETE ON document
    FOR EACH ROW EXECUTE FUNCTION rian_queue_document();

CREATE FUNCTION rian_queue_coding() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO search_pending (entity, entity_id) VALUES ('document', OLD.document_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.document_id);
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER coding_search_insert AFTER INSERT ON coding
    FOR EACH ROW EXECUTE FUNCTION rian_queue_coding();
CREATE TRIGGER coding_search_update AFTER UPDATE ON coding
    FOR EACH ROW EXECUTE FUNCTION rian_queue_coding();
CREATE TRIGGER coding_search_delete AFTER DELETE ON coding
    FOR EACH ROW EXECUTE FUNCTION rian_queue_coding();

CREATE FUNCTION rian_queue_memo() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_pending (entity, entity_id) VALUES ('memo', OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO search_pending (entity, entity_id) VALUES ('memo', NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER memo_search_insert AFTER INSERT ON memo
    FOR EACH ROW EXECUTE FUNCTION rian_queue_memo();
CREATE TRIGGER memo_search_update AFTER UPDATE ON memo
    FOR EACH ROW EXECUTE FUNCTION rian_queue_memo();
CREATE TRIGGER memo_search_delete AFTER DELETE ON memo
    FOR EACH ROW EXECUTE FUNCTION rian_queue_memo();

CREATE FUNCTION rian_queue_forum() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('forum', NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER forum_search_update AFTER UPDATE OF site_id, kind, date, title ON forum
    FOR EACH ROW EXECUTE FUNCTION rian_queue_forum();

CREATE FUNCTION rian_queue_site() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('site', NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER site_search_update AFTER UPDATE OF name_th, province_th, study_id ON site
    FOR EACH ROW EXECUTE FUNCTION rian_queue_site();
