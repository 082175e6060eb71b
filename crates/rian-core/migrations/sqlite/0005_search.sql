-- The full-text index (issue 6) is a cache of the store, kept current from this queue:
-- every write that changes what search shows adds a row here in the same transaction,
-- and the index removes the rows it has applied only after its own commit. A crash in
-- between leaves the rows, and the next start applies them again.
CREATE TABLE search_pending (
    seq INTEGER PRIMARY KEY,
    -- 'document' (its text, its codings and its codes) or 'memo'; 'forum' and 'site'
    -- stand for every document under them.
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL
);

CREATE TRIGGER document_search_insert AFTER INSERT ON document BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.id);
END;
CREATE TRIGGER document_search_update AFTER UPDATE OF text, title, forum_id ON document BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.id);
END;
CREATE TRIGGER document_search_delete AFTER DELETE ON document BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', OLD.id);
END;

CREATE TRIGGER coding_search_insert AFTER INSERT ON coding BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.document_id);
END;
CREATE TRIGGER coding_search_update AFTER UPDATE ON coding BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', OLD.document_id);
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', NEW.document_id);
END;
CREATE TRIGGER coding_search_delete AFTER DELETE ON coding BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('document', OLD.document_id);
END;

CREATE TRIGGER memo_search_insert AFTER INSERT ON memo BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('memo', NEW.id);
END;
CREATE TRIGGER memo_search_update AFTER UPDATE ON memo BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('memo', NEW.id);
END;
CREATE TRIGGER memo_search_delete AFTER DELETE ON memo BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('memo', OLD.id);
END;

CREATE TRIGGER forum_search_update AFTER UPDATE OF site_id, kind, date, title ON forum BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('forum', NEW.id);
END;
CREATE TRIGGER site_search_update AFTER UPDATE OF name_th, province_th, study_id ON site BEGIN
    INSERT INTO search_pending (entity, entity_id) VALUES ('site', NEW.id);
END;
