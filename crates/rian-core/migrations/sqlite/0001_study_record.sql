-- The study record (DESIGN.md, "The data"). Types and SQL are kept to what PostgreSQL
-- also speaks, so the PostgreSQL migration differs only in its id columns.

CREATE TABLE study (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_th TEXT NOT NULL,
    name_en TEXT,
    fiscal_year_be BIGINT NOT NULL,
    framework TEXT NOT NULL
);

CREATE TABLE site (
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    name_th TEXT NOT NULL,
    note TEXT,
    UNIQUE (site_id, name_th)
);

CREATE TABLE forum (
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX forum_party_forum ON forum_party(forum_id);

-- Personal data: names and phone numbers of participants.
CREATE TABLE attendee (
    id INTEGER PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phone TEXT,
    role TEXT
);
CREATE INDEX attendee_forum ON attendee(forum_id);

CREATE TABLE document (
    id INTEGER PRIMARY KEY,
    forum_id BIGINT NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    source_name TEXT,
    media_type TEXT NOT NULL,
    original BLOB NOT NULL,
    text TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX document_forum ON document(forum_id);

CREATE TABLE code (
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (study_id, name)
);

CREATE TABLE tie (
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    who TEXT,
    due TEXT,
    status TEXT NOT NULL
);
CREATE INDEX plan_item_site ON plan_item(site_id);
