-- Held ratings and helpful votes: bursts of fresh reader cookies on one address are stored but kept out of the published counts until released.
--
-- "One per reader" is one per cookie, and a cookie costs nothing: a script
-- that drops its cookie before each request is a new reader every time.
-- The web layer notices when one address brings many fresh cookies in a
-- short time (in memory: no address, nor anything made from one, is ever
-- written here) and stores what those cookies rate or vote as held: the
-- row exists, so the reader sees their own rating and cannot simply send it
-- again, but the published aggregates (film_rating_stats, the films row,
-- reader_reviews.helpful_count) leave it out until an editor releases the
-- burst, or take nothing from it when the burst is discarded.
--
-- A burst groups what one address sent about one film (ratings) or one
-- review (helpful votes) while its run of fresh cookies lasted, so the
-- desk can judge it as a whole: the film, how many, from when to when.
-- Releasing sets held_burst to NULL on its rows (the triggers below then
-- count them, in the same transaction) and deletes the burst; discarding
-- deletes its rows and then the burst. Both are audited.
--
-- PostgreSQL: the same schema is needed in the PostgreSQL backend's
-- migrations (a held_bursts table, the nullable held_burst columns, and
-- aggregates that count only rows whose held_burst is NULL, including when
-- a row's held_burst is cleared).
-- AUTOINCREMENT: a settled burst's row is deleted, and its id, which the
-- audit log names, must never be given to a later burst.
CREATE TABLE held_bursts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('rating', 'vote')),
    film_id    INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    review_id  INTEGER REFERENCES reader_reviews(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    last_at    TEXT NOT NULL,
    CHECK ((kind = 'vote') = (review_id IS NOT NULL))
) STRICT;
CREATE INDEX held_bursts_by_time ON held_bursts (last_at);

-- ON DELETE CASCADE: a burst deleted with its film or review takes its
-- held rows with it; the store deletes a burst itself only after
-- releasing or deleting its rows.
ALTER TABLE ratings ADD COLUMN held_burst INTEGER REFERENCES held_bursts(id) ON DELETE CASCADE;
ALTER TABLE helpful_votes ADD COLUMN held_burst INTEGER REFERENCES held_bursts(id) ON DELETE CASCADE;
CREATE INDEX ratings_held ON ratings (held_burst) WHERE held_burst IS NOT NULL;
CREATE INDEX helpful_votes_held ON helpful_votes (held_burst) WHERE held_burst IS NOT NULL;

-- The aggregate counts published ratings only.
DROP TRIGGER ratings_after_insert;
DROP TRIGGER ratings_after_update;
DROP TRIGGER ratings_after_delete;

CREATE TRIGGER ratings_after_insert AFTER INSERT ON ratings WHEN NEW.held_burst IS NULL BEGIN
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

-- Released: a held rating joins the aggregate, with the value it has now.
CREATE TRIGGER ratings_after_release AFTER UPDATE OF held_burst ON ratings
WHEN OLD.held_burst IS NOT NULL AND NEW.held_burst IS NULL BEGIN
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

-- Held after being published (the store never does this; kept so that
-- the aggregate still equals a recount if anything does).
CREATE TRIGGER ratings_after_hold AFTER UPDATE OF held_burst ON ratings
WHEN OLD.held_burst IS NULL AND NEW.held_burst IS NOT NULL BEGIN
    UPDATE film_rating_stats SET
        count = count - 1,
        total = total - OLD.value,
        n1 = n1 - (OLD.value = 1), n2 = n2 - (OLD.value = 2), n3 = n3 - (OLD.value = 3),
        n4 = n4 - (OLD.value = 4), n5 = n5 - (OLD.value = 5), n6 = n6 - (OLD.value = 6),
        n7 = n7 - (OLD.value = 7), n8 = n8 - (OLD.value = 8), n9 = n9 - (OLD.value = 9),
        n10 = n10 - (OLD.value = 10)
    WHERE film_id = OLD.film_id;
END;

CREATE TRIGGER ratings_after_update AFTER UPDATE OF value ON ratings
WHEN OLD.held_burst IS NULL AND NEW.held_burst IS NULL BEGIN
    UPDATE film_rating_stats SET
        total = total - OLD.value + NEW.value,
        n1 = n1 - (OLD.value = 1) + (NEW.value = 1), n2 = n2 - (OLD.value = 2) + (NEW.value = 2),
        n3 = n3 - (OLD.value = 3) + (NEW.value = 3), n4 = n4 - (OLD.value = 4) + (NEW.value = 4),
        n5 = n5 - (OLD.value = 5) + (NEW.value = 5), n6 = n6 - (OLD.value = 6) + (NEW.value = 6),
        n7 = n7 - (OLD.value = 7) + (NEW.value = 7), n8 = n8 - (OLD.value = 8) + (NEW.value = 8),
        n9 = n9 - (OLD.value = 9) + (NEW.value = 9), n10 = n10 - (OLD.value = 10) + (NEW.value = 10)
    WHERE film_id = NEW.film_id;
END;

CREATE TRIGGER ratings_after_delete AFTER DELETE ON ratings WHEN OLD.held_burst IS NULL BEGIN
    UPDATE film_rating_stats SET
        count = count - 1,
        total = total - OLD.value,
        n1 = n1 - (OLD.value = 1), n2 = n2 - (OLD.value = 2), n3 = n3 - (OLD.value = 3),
        n4 = n4 - (OLD.value = 4), n5 = n5 - (OLD.value = 5), n6 = n6 - (OLD.value = 6),
        n7 = n7 - (OLD.value = 7), n8 = n8 - (OLD.value = 8), n9 = n9 - (OLD.value = 9),
        n10 = n10 - (OLD.value = 10)
    WHERE film_id = OLD.film_id;
END;

-- A review's helpful count counts published votes only.
DROP TRIGGER helpful_votes_after_insert;
DROP TRIGGER helpful_votes_after_delete;
CREATE TRIGGER helpful_votes_after_insert AFTER INSERT ON helpful_votes WHEN NEW.held_burst IS NULL BEGIN
    UPDATE reader_reviews SET helpful_count = helpful_count + 1 WHERE id = NEW.review_id;
END;
CREATE TRIGGER helpful_votes_after_delete AFTER DELETE ON helpful_votes WHEN OLD.held_burst IS NULL BEGIN
    UPDATE reader_reviews SET helpful_count = helpful_count - 1 WHERE id = OLD.review_id;
END;
CREATE TRIGGER helpful_votes_after_release AFTER UPDATE OF held_burst ON helpful_votes
WHEN OLD.held_burst IS NOT NULL AND NEW.held_burst IS NULL BEGIN
    UPDATE reader_reviews SET helpful_count = helpful_count + 1 WHERE id = NEW.review_id;
END;
