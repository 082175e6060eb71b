-- A coding's change queues that coding and its document's own entry (the codes the
-- document carries), not the whole document with every coded passage in it: on a shared
-- server, one coding written while others search re-indexed a document with thousands
-- of passages (issue 10's load test). 'coding' and 'document_codes' join the entities
-- of migration 0005.
DROP TRIGGER coding_search_insert;
DROP TRIGGER coding_search_update;
DROP TRIGGER coding_search_delete;

CREATE TRIGGER coding_search_insert AFTER INSERT ON coding BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('coding', NEW.id);
    INSERT INTO search_pending (entity, entity_id) VALUES ('document_codes', NEW.document_id);
END;
CREATE TRIGGER coding_search_update
AFTER UPDATE OF document_id, code_id, span_start, span_end, status, coder, memo, cue ON coding
BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('coding', NEW.id);
    INSERT INTO search_pending (entity, entity_id) VALUES ('document_codes', OLD.document_id);
    INSERT INTO search_pending (entity, entity_id)
        SELECT 'document_codes', NEW.document_id WHERE NEW.document_id <> OLD.document_id;
END;
CREATE TRIGGER coding_search_delete AFTER DELETE ON coding BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('coding', OLD.id);
    INSERT INTO search_pending (entity, entity_id) VALUES ('document_codes', OLD.document_id);
END;
