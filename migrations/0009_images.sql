-- Pictures: uploaded posters, stills and portraits, stored by content hash with their renditions.
--
-- A picture is kept as the re-encoded renditions the pages need (never the
-- uploaded file), each named by the SHA-256 of its own bytes, so an address
-- under /images never changes what it serves and can be cached for good.
-- The bytes live in the database, so a backup (VACUUM INTO) and a dump carry
-- them, and another storage backend keeps them the same way.

-- images is one picture: its largest rendition's hash names it, and the
-- same picture uploaded twice is stored once.
CREATE TABLE images (
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    width      INTEGER NOT NULL CHECK (width BETWEEN 1 AND 20000),
    height     INTEGER NOT NULL CHECK (height BETWEEN 1 AND 20000),
    created_at TEXT NOT NULL
) STRICT;

-- image_renditions are a picture's sizes, each its own encoded file.
CREATE TABLE image_renditions (
    hash     TEXT PRIMARY KEY CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    width    INTEGER NOT NULL CHECK (width BETWEEN 1 AND 20000),
    height   INTEGER NOT NULL CHECK (height BETWEEN 1 AND 20000),
    format   TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    bytes    BLOB NOT NULL CHECK (length(bytes) > 0),
    UNIQUE (image_id, width)
) STRICT;

-- image_uses attach pictures to films (a poster, stills in order) and to
-- people (a portrait), each use with its own alt text, caption and credit.
CREATE TABLE image_uses (
    id         INTEGER PRIMARY KEY,
    image_id   INTEGER NOT NULL REFERENCES images (id),
    film_id    INTEGER REFERENCES films (id) ON DELETE CASCADE,
    person_id  INTEGER REFERENCES people (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('poster', 'still', 'portrait')),
    position   INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
    alt        TEXT NOT NULL CHECK (length(trim(alt)) BETWEEN 1 AND 300),
    caption    TEXT NOT NULL DEFAULT '' CHECK (length(caption) <= 500),
    credit     TEXT NOT NULL DEFAULT '' CHECK (length(credit) <= 300),
    created_at TEXT NOT NULL,
    CHECK (CASE role WHEN 'portrait' THEN person_id IS NOT NULL AND film_id IS NULL
                     ELSE film_id IS NOT NULL AND person_id IS NULL END)
) STRICT;

CREATE INDEX image_uses_by_film ON image_uses (film_id, role, position) WHERE film_id IS NOT NULL;
CREATE UNIQUE INDEX image_uses_one_poster ON image_uses (film_id) WHERE role = 'poster';
CREATE UNIQUE INDEX image_uses_one_portrait ON image_uses (person_id) WHERE role = 'portrait';
CREATE INDEX image_uses_by_image ON image_uses (image_id);
CREATE INDEX image_renditions_by_image ON image_renditions (image_id, width);
