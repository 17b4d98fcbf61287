-- The film record, the people credited on films, and the reviews.
--
-- Tables are STRICT so a value of the wrong type is refused rather than
-- stored; enumerations and ranges are CHECK constraints so a bad row cannot
-- enter however it is written. Child rows of a film cascade on delete.
-- Lists shown in a fixed order carry a position column.

CREATE TABLE people (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*'),
    name    TEXT NOT NULL CHECK (length(trim(name)) > 0)
) STRICT;

-- Other spellings sources use for a person (Loïc / Loïk).
CREATE TABLE person_aliases (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (length(trim(name)) > 0),
    PRIMARY KEY (person_id, position)
) STRICT;

CREATE TABLE films (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*'),
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    original_title  TEXT NOT NULL DEFAULT '',
    title_language  TEXT NOT NULL DEFAULT '',
    year            INTEGER NOT NULL CHECK (year BETWEEN 1870 AND 2200),
    runtime_minutes INTEGER CHECK (runtime_minutes BETWEEN 1 AND 1500),
    synopsis        TEXT NOT NULL DEFAULT '',
    plot_intro      TEXT NOT NULL DEFAULT '',
    -- Partial dates: YYYY, YYYY-MM or YYYY-MM-DD.
    filming_started TEXT CHECK (filming_started GLOB '[0-9][0-9][0-9][0-9]*'),
    budget_amount   INTEGER CHECK (budget_amount >= 0),
    budget_currency TEXT CHECK (length(budget_currency) = 3),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((budget_amount IS NULL) = (budget_currency IS NULL))
) STRICT;

CREATE INDEX films_by_title ON films (title COLLATE NOCASE, year, id);
CREATE INDEX films_by_year ON films (year, title COLLATE NOCASE, id);

CREATE TABLE film_countries (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    country  TEXT NOT NULL CHECK (length(trim(country)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;
CREATE INDEX film_countries_by_country ON film_countries (country, film_id);

CREATE TABLE film_languages (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    language TEXT NOT NULL CHECK (length(trim(language)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;
CREATE INDEX film_languages_by_language ON film_languages (language, film_id);

CREATE TABLE film_genres (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    genre    TEXT NOT NULL CHECK (length(trim(genre)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;
CREATE INDEX film_genres_by_genre ON film_genres (genre, film_id);

CREATE TABLE plot_threads (
    film_id   INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    character TEXT NOT NULL CHECK (length(trim(character)) > 0),
    body      TEXT NOT NULL CHECK (length(trim(body)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE credits (
    id          INTEGER PRIMARY KEY,
    film_id     INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
    role        TEXT NOT NULL CHECK (role IN ('director', 'writer', 'producer', 'cast', 'cinematography', 'editing', 'music')),
    character   TEXT NOT NULL DEFAULT '' CHECK (role = 'cast' OR character = ''),
    -- Billing orders the cast; crew keep the order the source lists them in.
    billing     INTEGER NOT NULL DEFAULT 0 CHECK (billing >= 0),
    credited_as TEXT NOT NULL DEFAULT '',
    UNIQUE (film_id, person_id, role, character)
) STRICT;
CREATE INDEX credits_by_film ON credits (film_id, role, billing);
CREATE INDEX credits_by_person ON credits (person_id, film_id);

CREATE TABLE companies (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*'),
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0)
) STRICT;

CREATE TABLE film_companies (
    film_id    INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE RESTRICT,
    role       TEXT NOT NULL CHECK (role IN ('studio', 'distributor')),
    territory  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (film_id, position),
    UNIQUE (film_id, company_id, role, territory)
) STRICT;
CREATE INDEX film_companies_by_company ON film_companies (company_id, role, film_id);

CREATE TABLE release_dates (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    country  TEXT NOT NULL CHECK (length(trim(country)) > 0),
    date     TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]*'),
    note     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (film_id, position)
) STRICT;

-- Box office figures are kept as each source reported them: sources differ,
-- and merging them would lose which figure covers what.
CREATE TABLE box_office (
    film_id   INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('opening_weekend', 'gross')),
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    currency  TEXT NOT NULL CHECK (length(currency) = 3),
    territory TEXT NOT NULL DEFAULT '',
    screens   INTEGER CHECK (screens > 0),
    as_of     TEXT CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]*'),
    source    TEXT NOT NULL CHECK (length(trim(source)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE filming_locations (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    place    TEXT NOT NULL CHECK (length(trim(place)) > 0),
    address  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE websites (
    film_id   INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    label     TEXT NOT NULL CHECK (length(trim(label)) > 0),
    url       TEXT NOT NULL DEFAULT '' CHECK (url = '' OR url GLOB 'http://*' OR url GLOB 'https://*'),
    territory TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE soundtracks (
    film_id         INTEGER PRIMARY KEY REFERENCES films(id) ON DELETE CASCADE,
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    notes           TEXT NOT NULL DEFAULT '',
    chart_peak      INTEGER CHECK (chart_peak > 0),
    chart_territory TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE soundtrack_tracks (
    film_id INTEGER NOT NULL REFERENCES soundtracks(film_id) ON DELETE CASCADE,
    number  INTEGER NOT NULL CHECK (number > 0),
    artist  TEXT NOT NULL CHECK (length(trim(artist)) > 0),
    title   TEXT NOT NULL CHECK (length(trim(title)) > 0),
    PRIMARY KEY (film_id, number)
) STRICT;

-- Scores published elsewhere, shown as cited facts beside (never mixed
-- with) Marquee's own ratings.
CREATE TABLE external_scores (
    film_id       INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    source        TEXT NOT NULL CHECK (length(trim(source)) > 0),
    kind          TEXT NOT NULL CHECK (kind IN ('critics', 'audience')),
    value         REAL NOT NULL,
    scale         REAL NOT NULL CHECK (scale > 0),
    count         INTEGER CHECK (count > 0),
    count_unit    TEXT NOT NULL DEFAULT '',
    average       REAL,
    average_scale REAL CHECK (average_scale > 0),
    summary       TEXT NOT NULL DEFAULT '',
    consensus     TEXT NOT NULL DEFAULT '',
    as_of         TEXT CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]*'),
    cited_in      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (film_id, position),
    CHECK (value BETWEEN 0 AND scale),
    CHECK (average IS NULL OR (average_scale IS NOT NULL AND average BETWEEN 0 AND average_scale))
) STRICT;

CREATE TABLE press_quotes (
    film_id     INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    critic      TEXT NOT NULL CHECK (length(trim(critic)) > 0),
    publication TEXT NOT NULL CHECK (length(trim(publication)) > 0),
    quote       TEXT NOT NULL CHECK (length(trim(quote)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE awards (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
    event    TEXT NOT NULL CHECK (length(trim(event)) > 0),
    year     INTEGER NOT NULL CHECK (year BETWEEN 1870 AND 2200),
    category TEXT NOT NULL DEFAULT '',
    outcome  TEXT NOT NULL CHECK (outcome IN ('won', 'nominated')),
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE trivia (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    body     TEXT NOT NULL CHECK (length(trim(body)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE goofs (
    film_id  INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    body     TEXT NOT NULL CHECK (length(trim(body)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;

CREATE TABLE quotes (
    film_id   INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    character TEXT NOT NULL DEFAULT '',
    body      TEXT NOT NULL CHECK (length(trim(body)) > 0),
    PRIMARY KEY (film_id, position)
) STRICT;

-- Critic reviews follow the editorial workflow; only published ones whose
-- time has come appear on public pages.
CREATE TABLE critic_reviews (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*'),
    film_id      INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    headline     TEXT NOT NULL CHECK (length(trim(headline)) > 0),
    author       TEXT NOT NULL CHECK (length(trim(author)) > 0),
    publication  TEXT NOT NULL DEFAULT '',
    rating_value REAL,
    rating_scale INTEGER CHECK (rating_scale IN (4, 5, 10, 100)),
    pull_quote   TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL CHECK (length(trim(body)) > 0),
    spoilers     INTEGER NOT NULL DEFAULT 0 CHECK (spoilers IN (0, 1)),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'scheduled', 'published')),
    published_at TEXT,
    updated_at   TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((rating_value IS NULL) = (rating_scale IS NULL)),
    CHECK (rating_value IS NULL OR rating_value BETWEEN 0 AND rating_scale),
    CHECK (status NOT IN ('scheduled', 'published') OR published_at IS NOT NULL)
) STRICT;
CREATE INDEX critic_reviews_by_film ON critic_reviews (film_id, status, published_at);
CREATE INDEX critic_reviews_by_date ON critic_reviews (status, published_at);

CREATE TABLE reader_reviews (
    id           INTEGER PRIMARY KEY,
    film_id      INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 10),
    body         TEXT NOT NULL CHECK (length(trim(body)) > 0),
    spoilers     INTEGER NOT NULL DEFAULT 0 CHECK (spoilers IN (0, 1)),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX reader_reviews_by_film ON reader_reviews (film_id, status, created_at);
CREATE INDEX reader_reviews_by_status ON reader_reviews (status, created_at);
