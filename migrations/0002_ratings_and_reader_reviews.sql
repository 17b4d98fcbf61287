-- Reader ratings, reader identities, helpful votes, review bylines and the
-- site's own secrets.

-- A reader is an anonymous visitor known by a long-lived random cookie. Only
-- a SHA-256 of the cookie's token is stored, so the database alone cannot
-- be used to impersonate anyone; no IP address is stored at all.
CREATE TABLE readers (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at TEXT NOT NULL
) STRICT;

-- One rating per reader per film, 1 to 10 points (shown as half stars).
CREATE TABLE ratings (
    film_id    INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value BETWEEN 1 AND 10),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (film_id, reader_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX ratings_by_reader ON ratings (reader_id);
CREATE INDEX ratings_by_time ON ratings (updated_at);

-- The rating aggregate of each film, kept by the triggers below in the
-- same transaction as every rating change, so a page reads one row instead
-- of scanning the ratings, and the row always equals a recount.
CREATE TABLE film_rating_stats (
    film_id INTEGER PRIMARY KEY REFERENCES films(id) ON DELETE CASCADE,
    count   INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    total   INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
    n1  INTEGER NOT NULL DEFAULT 0 CHECK (n1 >= 0),
    n2  INTEGER NOT NULL DEFAULT 0 CHECK (n2 >= 0),
    n3  INTEGER NOT NULL DEFAULT 0 CHECK (n3 >= 0),
    n4  INTEGER NOT NULL DEFAULT 0 CHECK (n4 >= 0),
    n5  INTEGER NOT NULL DEFAULT 0 CHECK (n5 >= 0),
    n6  INTEGER NOT NULL DEFAULT 0 CHECK (n6 >= 0),
    n7  INTEGER NOT NULL DEFAULT 0 CHECK (n7 >= 0),
    n8  INTEGER NOT NULL DEFAULT 0 CHECK (n8 >= 0),
    n9  INTEGER NOT NULL DEFAULT 0 CHECK (n9 >= 0),
    n10 INTEGER NOT NULL DEFAULT 0 CHECK (n10 >= 0)
) STRICT;

CREATE TRIGGER ratings_after_insert AFTER INSERT ON ratings BEGIN
    INSERT INTO film_rating_stats (film_id) VALUES (NEW.film_id) ON CONFLICT (film_id) DO NOTHING;
    UPDATE film_rating_stats SET
        count = count + 1,
        total = total + NEW.value,
        n1 = n1 + (NEW.value = 1), n2 = n2 + (NEW.value = 2), n3 = n3 + (NEW.value = 3),
        n4 = n4 + (NEW.value = 4), n5 = n5 + (NEW.value = 5), n6 = n6 + (NEW.value = 6),
        n7 = n7 + (NEW.value = 7), n8 = n8 + (NEW.value = 8), n9 = n9 + (NEW.value = 9),
        n10 = n10 + (NEW.value = 10)
    WHERE film_id = NEW.film_id;
END;

CREATE TRIGGER ratings_after_update AFTER UPDATE OF value ON ratings BEGIN
    UPDATE film_rating_stats SET
        total = total - OLD.value + NEW.value,
        n1 = n1 - (OLD.value = 1) + (NEW.value = 1), n2 = n2 - (OLD.value = 2) + (NEW.value = 2),
        n3 = n3 - (OLD.value = 3) + (NEW.value = 3), n4 = n4 - (OLD.value = 4) + (NEW.value = 4),
        n5 = n5 - (OLD.value = 5) + (NEW.value = 5), n6 = n6 - (OLD.value = 6) + (NEW.value = 6),
        n7 = n7 - (OLD.value = 7) + (NEW.value = 7), n8 = n8 - (OLD.value = 8) + (NEW.value = 8),
        n9 = n9 - (OLD.value = 9) + (NEW.value = 9), n10 = n10 - (OLD.value = 10) + (NEW.value = 10)
    WHERE film_id = NEW.film_id;
END;

CREATE TRIGGER ratings_after_delete AFTER DELETE ON ratings BEGIN
    UPDATE film_rating_stats SET
        count = count - 1,
        total = total - OLD.value,
        n1 = n1 - (OLD.value = 1), n2 = n2 - (OLD.value = 2), n3 = n3 - (OLD.value = 3),
        n4 = n4 - (OLD.value = 4), n5 = n5 - (OLD.value = 5), n6 = n6 - (OLD.value = 6),
        n7 = n7 - (OLD.value = 7), n8 = n8 - (OLD.value = 8), n9 = n9 - (OLD.value = 9),
        n10 = n10 - (OLD.value = 10)
    WHERE film_id = OLD.film_id;
END;

-- Reader reviews gain their author (when the reader's cookie is known), a
-- helpful count kept by triggers, and an index per sort the review list
-- offers.
ALTER TABLE reader_reviews ADD COLUMN reader_id INTEGER REFERENCES readers(id) ON DELETE SET NULL;
ALTER TABLE reader_reviews ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0 CHECK (helpful_count >= 0);
ALTER TABLE reader_reviews ADD COLUMN moderated_at TEXT;
CREATE INDEX reader_reviews_by_film_rating ON reader_reviews (film_id, status, rating, created_at);
CREATE INDEX reader_reviews_by_film_helpful ON reader_reviews (film_id, status, helpful_count, created_at);
CREATE INDEX reader_reviews_by_reader ON reader_reviews (reader_id);

-- "Helpful" votes: upvotes only, one per reader per review.
CREATE TABLE helpful_votes (
    review_id  INTEGER NOT NULL REFERENCES reader_reviews(id) ON DELETE CASCADE,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (review_id, reader_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX helpful_votes_by_reader ON helpful_votes (reader_id);

CREATE TRIGGER helpful_votes_after_insert AFTER INSERT ON helpful_votes BEGIN
    UPDATE reader_reviews SET helpful_count = helpful_count + 1 WHERE id = NEW.review_id;
END;

CREATE TRIGGER helpful_votes_after_delete AFTER DELETE ON helpful_votes BEGIN
    UPDATE reader_reviews SET helpful_count = helpful_count - 1 WHERE id = OLD.review_id;
END;

-- A critic review's byline may name a person in the catalogue; the author
-- text stays as the byline shown when no person is linked.
ALTER TABLE critic_reviews ADD COLUMN author_person_id INTEGER REFERENCES people(id) ON DELETE SET NULL;
CREATE INDEX critic_reviews_by_author ON critic_reviews (author_person_id);

-- Site-wide secrets and settings, such as the key that signs form tokens,
-- made once on first use so they survive restarts.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
