-- A coding's change queues that coding and its document's own entry (the codes the
-- document carries), not the whole document with every coded passage in it: on a shared
-- server, one coding written while others search re-indexed a document with thousands
-- of passages (issue 10's load test). 'coding' and 'document_codes' join the entities
-- of migration 0005. The triggers stay; their function changes.
CREATE OR REPLACE FUNCTION rian_queue_coding() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_pending (entity, entity_id)
            VALUES ('coding', OLD.id), ('document_codes', OLD.document_id);
        RETURN OLD;
    END IF;
    INSERT INTO search_pending (entity, entity_id)
        VALUES ('coding', NEW.id), ('document_codes', NEW.document_id);
    IF TG_OP = 'UPDATE' AND OLD.document_id <> NEW.document_id THEN
        INSERT INTO search_pending (entity, entity_id) VALUES ('document_codes', OLD.document_id);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
