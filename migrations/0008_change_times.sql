-- Change times for the sitemap: every public page's <lastmod> comes from
-- the time the data it shows last changed, never from the time of a
-- request. Films and critic reviews already carry theirs; this adds the
-- change time of each person's record and of each film's list of approved
-- reader reviews, with indexes for the newest of each.

-- When a person's record (slug, name, other names) was last written. The
-- store's write paths set it to the time of the write. People already
-- stored take the time of this migration: when they last changed is not
-- known, and an earlier time could claim a page unchanged when it was not.
ALTER TABLE people ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE people SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE INDEX people_by_update ON people (updated_at);

-- When the approved reader reviews of a film last changed: a review
-- approved, or taken down again, at its moderation time, or one stored
-- already approved (an import) at the time it was written. The triggers
-- keep it from the review rows' own times; an import that rewrites an
-- approved review's text stamps it itself.
ALTER TABLE films ADD COLUMN reader_reviews_changed_at TEXT NOT NULL DEFAULT '';
UPDATE films SET reader_reviews_changed_at = coalesce(
    (SELECT max(coalesce(moderated_at, created_at)) FROM reader_reviews
        WHERE film_id = films.id AND status = 'approved'), '');

CREATE TRIGGER reader_reviews_changed_insert AFTER INSERT ON reader_reviews WHEN NEW.status = 'approved' BEGIN
    UPDATE films SET reader_reviews_changed_at = max(reader_reviews_changed_at, coalesce(NEW.moderated_at, NEW.created_at))
    WHERE id = NEW.film_id;
END;
CREATE TRIGGER reader_reviews_changed_update AFTER UPDATE OF status ON reader_reviews
    WHEN (OLD.status = 'approved') <> (NEW.status = 'approved') BEGIN
    UPDATE films SET reader_reviews_changed_at = max(reader_reviews_changed_at, coalesce(NEW.moderated_at, NEW.created_at))
    WHERE id = NEW.film_id;
END;

-- The newest change of each kind, for the sitemap's home page entry and
-- its Last-Modified: each is one step down an index.
CREATE INDEX films_by_update ON films (updated_at);
CREATE INDEX films_by_reader_reviews_change ON films (reader_reviews_changed_at);
