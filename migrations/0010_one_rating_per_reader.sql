-- One rating per reader: a reader review's rating is the reader's rating of the film.
--
-- The ratings table is the one source of truth for what readers think of a
-- film: one row per reader per film, whether the reader rated on its own,
-- wrote a review with a rating, or both. A review shows its reader's rating
-- (read through the join, so the two can never disagree); its own rating
-- column follows the reader's rating (triggers below), so the review list
-- can still sort by rating through its index, and keeps the last rating
-- when the reader takes theirs back (the review is then shown unrated).
--
-- What each review status means for the rating:
--   pending, approved: the review's rating is the reader's rating at once;
--     moderation decides whether the text is published, not whether the
--     reader may rate.
--   rejected: the rating keeps counting; a review refused for its words
--     (off topic, rude) was still written by a person who saw the film.
--   spam: the rating is taken out (a spammer's rating is no opinion), and
--     put back, from the review, if a moderator rescues the review.

-- The Bayesian average that ranks films (see film.BayesPrior in
-- internal/film/ratings.go and the README): each film counts as if 10
-- readers had given it 6 points besides its own ratings; an unrated film
-- scores 0 so it sorts last. It is a column of the aggregate computed from
-- the row itself, so no trigger can forget it, and it is copied onto the
-- film row (below) so the film index sorts by it through an index.
ALTER TABLE film_rating_stats ADD COLUMN score REAL
    GENERATED ALWAYS AS (CASE WHEN count > 0 THEN round((total + 60.0) / (count + 10), 6) ELSE 0 END) VIRTUAL;
ALTER TABLE films ADD COLUMN rating_score REAL NOT NULL DEFAULT 0;
DROP INDEX films_by_rating;
CREATE INDEX films_by_rating_score ON films (rating_score, rating_count, id);

DROP TRIGGER film_rating_stats_after_insert;
DROP TRIGGER film_rating_stats_after_update;
CREATE TRIGGER film_rating_stats_after_insert AFTER INSERT ON film_rating_stats BEGIN
    UPDATE films SET rating_count = NEW.count,
        rating_average = CASE WHEN NEW.count > 0 THEN round(NEW.total * 1.0 / NEW.count, 4) ELSE 0 END,
        rating_score = NEW.score
    WHERE id = NEW.film_id;
END;
CREATE TRIGGER film_rating_stats_after_update AFTER UPDATE ON film_rating_stats BEGIN
    UPDATE films SET rating_count = NEW.count,
        rating_average = CASE WHEN NEW.count > 0 THEN round(NEW.total * 1.0 / NEW.count, 4) ELSE 0 END,
        rating_score = NEW.score
    WHERE id = NEW.film_id;
END;

-- Backfill. A review that is not spam and has no reader (seeded, imported
-- or written before readers were known) gets a reader of its own, with a
-- random token nobody holds, so its rating counts once.
-- review_id is the temporary table's key, so the UPDATE below finds each
-- review's row by it: without a key it would read the whole table once
-- per review, and a million cookieless reviews would take hours.
CREATE TEMP TABLE review_readers (review_id INTEGER PRIMARY KEY, token_hash BLOB NOT NULL, created_at TEXT NOT NULL);
INSERT INTO review_readers (review_id, token_hash, created_at)
    SELECT id, randomblob(32), created_at
    FROM reader_reviews WHERE reader_id IS NULL AND status != 'spam';
INSERT INTO readers (token_hash, created_at) SELECT token_hash, created_at FROM review_readers;
UPDATE reader_reviews SET reader_id = (
        SELECT rd.id FROM review_readers rr JOIN readers rd ON rd.token_hash = rr.token_hash
        WHERE rr.review_id = reader_reviews.id)
    WHERE id IN (SELECT review_id FROM review_readers);
DROP TABLE review_readers;

-- Each reader's newest review of a film sets their rating unless they rated
-- later on its own; a reader who rated and reviewed counts once.
INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at)
    SELECT film_id, reader_id, rating, created_at, created_at FROM (
        SELECT film_id, reader_id, rating, created_at,
            row_number() OVER (PARTITION BY film_id, reader_id ORDER BY created_at DESC, id DESC) AS n
        FROM reader_reviews WHERE reader_id IS NOT NULL AND status != 'spam')
    WHERE n = 1
    ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        WHERE excluded.updated_at > ratings.updated_at AND excluded.value != ratings.value;

-- Reviews show the rating their reader now has.
UPDATE reader_reviews SET rating = (
        SELECT value FROM ratings WHERE film_id = reader_reviews.film_id AND reader_id = reader_reviews.reader_id)
    WHERE reader_id IS NOT NULL AND status != 'spam' AND EXISTS (
        SELECT 1 FROM ratings WHERE film_id = reader_reviews.film_id AND reader_id = reader_reviews.reader_id
            AND value != reader_reviews.rating);

UPDATE films SET rating_score = s.score FROM film_rating_stats s WHERE s.film_id = films.id;

-- From now on: a review by a known reader, unless it is spam, sets (or
-- replaces) the reader's rating of the film in its own transaction, as does
-- a change of its rating (an import's update).
CREATE TRIGGER reader_reviews_rate_after_insert AFTER INSERT ON reader_reviews
WHEN NEW.reader_id IS NOT NULL AND NEW.status != 'spam' BEGIN
    INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at)
        VALUES (NEW.film_id, NEW.reader_id, NEW.rating, NEW.created_at, NEW.created_at)
        ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            WHERE value != excluded.value;
END;
CREATE TRIGGER reader_reviews_rate_after_update AFTER UPDATE OF rating ON reader_reviews
WHEN NEW.reader_id IS NOT NULL AND NEW.status != 'spam' AND NEW.rating != OLD.rating BEGIN
    UPDATE ratings SET value = NEW.rating
        WHERE film_id = NEW.film_id AND reader_id = NEW.reader_id AND value != NEW.rating;
END;

-- The reader's rating, changed anywhere, is what their reviews of the film
-- show.
CREATE TRIGGER ratings_to_reviews_after_insert AFTER INSERT ON ratings BEGIN
    UPDATE reader_reviews SET rating = NEW.value
        WHERE reader_id = NEW.reader_id AND film_id = NEW.film_id AND status != 'spam' AND rating != NEW.value;
END;
CREATE TRIGGER ratings_to_reviews_after_update AFTER UPDATE OF value ON ratings BEGIN
    UPDATE reader_reviews SET rating = NEW.value
        WHERE reader_id = NEW.reader_id AND film_id = NEW.film_id AND status != 'spam' AND rating != NEW.value;
END;

-- A review marked spam takes its reader's rating of the film out; rescued,
-- it puts its rating back unless the reader has rated since.
CREATE TRIGGER reader_reviews_spam_unrates AFTER UPDATE OF status ON reader_reviews
WHEN NEW.status = 'spam' AND OLD.status != 'spam' AND NEW.reader_id IS NOT NULL BEGIN
    DELETE FROM ratings WHERE film_id = NEW.film_id AND reader_id = NEW.reader_id;
END;
CREATE TRIGGER reader_reviews_rescue_rates AFTER UPDATE OF status ON reader_reviews
WHEN OLD.status = 'spam' AND NEW.status != 'spam' AND NEW.reader_id IS NOT NULL BEGIN
    INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at)
        VALUES (NEW.film_id, NEW.reader_id, NEW.rating, NEW.created_at, NEW.created_at)
        ON CONFLICT (film_id, reader_id) DO NOTHING;
    UPDATE reader_reviews SET rating = (
            SELECT value FROM ratings WHERE film_id = NEW.film_id AND reader_id = NEW.reader_id)
        WHERE id = NEW.id;
END;
