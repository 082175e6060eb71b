-- A document's content hash (SHA-256 of the bytes as imported) recognizes a re-import;
-- a suggested coding keeps the cue that suggested it.
ALTER TABLE document ADD COLUMN content_hash TEXT;
CREATE INDEX document_content_hash ON document(content_hash);
ALTER TABLE coding ADD COLUMN cue TEXT;
