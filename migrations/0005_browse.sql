-- Browsing the catalogue: sort keys kept on each film, and facet counts for
-- the film index's filters, all maintained by triggers so that listing
-- pages read indexes instead of aggregating over large tables.

-- A film's reader rating and review activity, copied onto the film row so
-- that the film index can sort by them through an index.
ALTER TABLE films ADD COLUMN rating_count INTEGER NOT NULL DEFAULT 0 CHECK (rating_count >= 0);
-- Unrated films average 0 and never reviewed ones have an empty
-- last_review_at, so both sort last in descending order without NULLs,
-- which keyset pagination could not compare.
ALTER TABLE films ADD COLUMN rating_average REAL NOT NULL DEFAULT 0;
-- review_count counts approved reader reviews and public critic reviews;
-- last_review_at is the newest of their dates.
ALTER TABLE films ADD COLUMN review_count INTEGER NOT NULL DEFAULT 0 CHECK (review_count >= 0);
ALTER TABLE films ADD COLUMN last_review_at TEXT NOT NULL DEFAULT '';

-- One index per order of the film index; each is read backwards for the
-- descending orders.
CREATE INDEX films_by_year_id ON films (year, id);
CREATE INDEX films_by_rating ON films (rating_average, rating_count, id);
CREATE INDEX films_by_review_count ON films (review_count, id);
CREATE INDEX films_by_last_review ON films (last_review_at, id);

CREATE TRIGGER film_rating_stats_after_insert AFTER INSERT ON film_rating_stats BEGIN
    UPDATE films SET rating_count = NEW.count,
        rating_average = CASE WHEN NEW.count > 0 THEN round(NEW.total * 1.0 / NEW.count, 4) ELSE 0 END
    WHERE id = NEW.film_id;
END;

CREATE TRIGGER film_rating_stats_after_update AFTER UPDATE ON film_rating_stats BEGIN
    UPDATE films SET rating_count = NEW.count,
        rating_average = CASE WHEN NEW.count > 0 THEN round(NEW.total * 1.0 / NEW.count, 4) ELSE 0 END
    WHERE id = NEW.film_id;
END;

-- Review activity is recounted for the one film a review write touches:
-- the counts come from index ranges (reader_reviews_by_film,
-- critic_reviews_by_film), so this stays cheap. A scheduled critic review
-- counts from the first write after its time.
CREATE TABLE review_activity_refresh (film_id INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER review_activity_refresh_after_insert AFTER INSERT ON review_activity_refresh BEGIN
    UPDATE films SET
        review_count =
            (SELECT count(*) FROM reader_reviews WHERE film_id = NEW.film_id AND status = 'approved') +
            (SELECT count(*) FROM critic_reviews WHERE film_id = NEW.film_id AND status IN ('published', 'scheduled')
                AND published_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        last_review_at = (SELECT coalesce(max(d), '') FROM (
            SELECT max(created_at) AS d FROM reader_reviews WHERE film_id = NEW.film_id AND status = 'approved'
            UNION ALL
            SELECT max(published_at) FROM critic_reviews WHERE film_id = NEW.film_id AND status IN ('published', 'scheduled')
                AND published_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))
    WHERE id = NEW.film_id;
    DELETE FROM review_activity_refresh WHERE film_id = NEW.film_id;
END;

CREATE TRIGGER reader_reviews_activity_insert AFTER INSERT ON reader_reviews WHEN NEW.status = 'approved' BEGIN
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (NEW.film_id);
END;
CREATE TRIGGER reader_reviews_activity_update AFTER UPDATE OF status, created_at, film_id ON reader_reviews BEGIN
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (OLD.film_id);
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (NEW.film_id);
END;
CREATE TRIGGER reader_reviews_activity_delete AFTER DELETE ON reader_reviews WHEN OLD.status = 'approved' BEGIN
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (OLD.film_id);
END;
CREATE TRIGGER critic_reviews_activity_insert AFTER INSERT ON critic_reviews BEGIN
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (NEW.film_id);
END;
CREATE TRIGGER critic_reviews_activity_update AFTER UPDATE OF status, published_at, film_id ON critic_reviews BEGIN
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (OLD.film_id);
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (NEW.film_id);
END;
CREATE TRIGGER critic_reviews_activity_delete AFTER DELETE ON critic_reviews BEGIN
    INSERT OR IGNORE INTO review_activity_refresh (film_id) VALUES (OLD.film_id);
END;

-- Facet counts: how many films have each year, decade, country, language,
-- genre and director, for the film index's filters.
CREATE TABLE facet_counts (
    kind  TEXT NOT NULL CHECK (kind IN ('year', 'decade', 'country', 'language', 'genre', 'director')),
    value TEXT NOT NULL,
    films INTEGER NOT NULL CHECK (films >= 0),
    PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX facet_counts_by_count ON facet_counts (kind, films DESC, value);

CREATE TRIGGER facet_films_insert AFTER INSERT ON films BEGIN
    INSERT INTO facet_counts (kind, value, films) VALUES ('year', NEW.year, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
    INSERT INTO facet_counts (kind, value, films) VALUES ('decade', NEW.year / 10 * 10, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
END;
CREATE TRIGGER facet_films_update AFTER UPDATE OF year ON films WHEN OLD.year != NEW.year BEGIN
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'year' AND value = CAST(OLD.year AS TEXT);
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'decade' AND value = CAST(OLD.year / 10 * 10 AS TEXT);
    INSERT INTO facet_counts (kind, value, films) VALUES ('year', NEW.year, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
    INSERT INTO facet_counts (kind, value, films) VALUES ('decade', NEW.year / 10 * 10, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
END;
CREATE TRIGGER facet_films_delete AFTER DELETE ON films BEGIN
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'year' AND value = CAST(OLD.year AS TEXT);
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'decade' AND value = CAST(OLD.year / 10 * 10 AS TEXT);
END;

CREATE TRIGGER facet_countries_insert AFTER INSERT ON film_countries BEGIN
    INSERT INTO facet_counts (kind, value, films) VALUES ('country', NEW.country, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
END;
CREATE TRIGGER facet_countries_delete AFTER DELETE ON film_countries BEGIN
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'country' AND value = OLD.country;
END;
CREATE TRIGGER facet_languages_insert AFTER INSERT ON film_languages BEGIN
    INSERT INTO facet_counts (kind, value, films) VALUES ('language', NEW.language, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
END;
CREATE TRIGGER facet_languages_delete AFTER DELETE ON film_languages BEGIN
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'language' AND value = OLD.language;
END;
CREATE TRIGGER facet_genres_insert AFTER INSERT ON film_genres BEGIN
    INSERT INTO facet_counts (kind, value, films) VALUES ('genre', NEW.genre, 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
END;
CREATE TRIGGER facet_genres_delete AFTER DELETE ON film_genres BEGIN
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'genre' AND value = OLD.genre;
END;
-- Directors are keyed by person slug; credits are unique per film, person
-- and role, so each directing credit is one film.
CREATE TRIGGER facet_directors_insert AFTER INSERT ON credits WHEN NEW.role = 'director' BEGIN
    INSERT INTO facet_counts (kind, value, films) VALUES ('director', (SELECT slug FROM people WHERE id = NEW.person_id), 1)
        ON CONFLICT DO UPDATE SET films = films + 1;
END;
CREATE TRIGGER facet_directors_delete AFTER DELETE ON credits WHEN OLD.role = 'director' BEGIN
    UPDATE facet_counts SET films = films - 1 WHERE kind = 'director' AND value = (SELECT slug FROM people WHERE id = OLD.person_id);
END;

-- Backfill from what is already stored.
INSERT INTO facet_counts (kind, value, films) SELECT 'year', year, count(*) FROM films GROUP BY year;
INSERT INTO facet_counts (kind, value, films) SELECT 'decade', year / 10 * 10, count(*) FROM films GROUP BY year / 10 * 10;
INSERT INTO facet_counts (kind, value, films) SELECT 'country', country, count(*) FROM film_countries GROUP BY country;
INSERT INTO facet_counts (kind, value, films) SELECT 'language', language, count(*) FROM film_languages GROUP BY language;
INSERT INTO facet_counts (kind, value, films) SELECT 'genre', genre, count(*) FROM film_genres GROUP BY genre;
INSERT INTO facet_counts (kind, value, films)
    SELECT 'director', p.slug, count(*) FROM credits c JOIN people p ON p.id = c.person_id WHERE c.role = 'director' GROUP BY p.slug;
UPDATE films SET rating_count = s.count, rating_average = CASE WHEN s.count > 0 THEN round(s.total * 1.0 / s.count, 4) ELSE 0 END
    FROM film_rating_stats s WHERE s.film_id = films.id;
INSERT INTO review_activity_refresh (film_id) SELECT id FROM films;

-- Indexes for the filters that join from a facet to its films, in the
-- orders the film index offers.
CREATE INDEX credits_by_role_person ON credits (role, person_id, film_id);
CREATE INDEX ratings_by_film_time ON ratings (updated_at, film_id);

-- The public critic reviews in date order, for the home page's latest
-- reviews: read backwards from now, it stops after the first few.
CREATE INDEX critic_reviews_public ON critic_reviews (published_at, id) WHERE status IN ('published', 'scheduled');
