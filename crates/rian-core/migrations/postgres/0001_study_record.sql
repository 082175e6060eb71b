-- The study record (DESIGN.md, "The data"), for PostgreSQL: the same tables as
-- migrations/sqlite, with identity columns, BYTEA, triggers in PL/pgSQL and the store's
-- clock written as SQLite writes it (UTC, YYYY-MM-DD HH:MM:SS).

-- New rows come with a NULL id from rian's inserts (SQLite numbers them then); here the
-- table's sequence numbers them. A row put back by undo keeps the id it had.
CREATE FUNCTION rian_fill_id() RETURNS trigger AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := nextval(pg_get_serial_sequence(TG_TABLE_NAME, 'id'));
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TABLE study (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_th TEXT NOT NULL,
    name_en TEXT,
    fiscal_year_be BIGINT NOT NULL,
    framework TEXT NOT NULL
);

CREATE TABLE site (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name_th TEXT NOT NULL,
    level TEXT NOT NULL,
    district_th TEXT,
    province_th TEXT NOT NULL,
    admin_code TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    fictional BIGINT NOT NULL DEFAULT 0,
    UNIQUE (study_id, name_th, province_th)
);
CREATE INDEX site_admin_code ON site(admin_code);

CREATE TABLE community (
    id BIGSERIAL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    name_th TEXT NOT NULL,
    note TEXT,
    UNIQUE (site_id, name_th)
);

CREATE TABLE forum (
    id BIGSERIAL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT,
    date TEXT,
    date_end TEXT,
    venue TEXT,
    participants BIGINT CHECK (participants IS NULL OR participants >= 0)
);
CREATE INDEX forum_site ON forum(site_id);

CREATE TABLE forum_party (
    id BIGSERIAL PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX forum_party_forum ON forum_party(forum_id);

-- Personal data: names and phone numbers of participants.
CREATE TABLE attendee (
    id BIGSERIAL PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phone TEXT,
    role TEXT
);
CREATE INDEX attendee_forum ON attendee(forum_id);

CREATE TABLE document (
    id BIGSERIAL PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    source_name TEXT,
    media_type TEXT NOT NULL,
    original BYTEA NOT NULL,
    text TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);
CREATE INDEX document_forum ON document(forum_id);

CREATE TABLE code (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES code(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name_th TEXT NOT NULL,
    name_en TEXT NOT NULL,
    color TEXT NOT NULL,
    position BIGINT NOT NULL,
    description TEXT,
    UNIQUE (study_id, key)
);

CREATE TABLE coding (
    id BIGSERIAL PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    code_id BIGINT NOT NULL REFERENCES code(id) ON DELETE CASCADE,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    coder TEXT NOT NULL,
    status TEXT NOT NULL,
    memo TEXT,
    CHECK (span_start >= 0 AND span_end > span_start)
);
CREATE INDEX coding_document ON coding(document_id);
CREATE INDEX coding_code ON coding(code_id);

CREATE TABLE fact (
    id BIGSERIAL PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    number DOUBLE PRECISION,
    unit TEXT,
    span_start BIGINT,
    span_end BIGINT,
    CHECK ((span_start IS NULL) = (span_end IS NULL))
);
CREATE INDEX fact_document ON fact(document_id);

CREATE TABLE swot_item (
    id BIGSERIAL PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES community(id) ON DELETE CASCADE,
    quadrant TEXT NOT NULL,
    text TEXT NOT NULL,
    position BIGINT NOT NULL,
    document_id BIGINT REFERENCES document(id) ON DELETE SET NULL,
    span_start BIGINT,
    span_end BIGINT
);
CREATE INDEX swot_item_community ON swot_item(community_id);

CREATE TABLE actor (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (study_id, name)
);

CREATE TABLE tie (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    note TEXT,
    document_id BIGINT REFERENCES document(id) ON DELETE SET NULL,
    span_start BIGINT,
    span_end BIGINT
);
CREATE INDEX tie_site ON tie(site_id);

CREATE TABLE plan_item (
    id BIGSERIAL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    who TEXT,
    due TEXT,
    status TEXT NOT NULL
);
CREATE INDEX plan_item_site ON plan_item(site_id);

-- rian inserts NULL for a new id (SQLite numbers it); here the sequence does.
CREATE TRIGGER study_fill_id BEFORE INSERT ON study FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER site_fill_id BEFORE INSERT ON site FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER community_fill_id BEFORE INSERT ON community FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER forum_fill_id BEFORE INSERT ON forum FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER forum_party_fill_id BEFORE INSERT ON forum_party FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER attendee_fill_id BEFORE INSERT ON attendee FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER document_fill_id BEFORE INSERT ON document FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER code_fill_id BEFORE INSERT ON code FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER coding_fill_id BEFORE INSERT ON coding FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER fact_fill_id BEFORE INSERT ON fact FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER swot_item_fill_id BEFORE INSERT ON swot_item FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER actor_fill_id BEFORE INSERT ON actor FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER tie_fill_id BEFORE INSERT ON tie FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
CREATE TRIGGER plan_item_fill_id BEFORE INSERT ON plan_item FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
