-- The review editor and the catalogue forms: who owns each critic review,
-- the revision every save keeps, and the old addresses left behind when a
-- slug changes.

-- The account that created a critic review. Contributors may edit only
-- their own; reviews from seeds or an import have none. Accounts are never
-- deleted (0006), but SET NULL keeps a review if one ever is.
ALTER TABLE critic_reviews ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX critic_reviews_by_creator ON critic_reviews (created_by, id);
-- The editors' list shows reviews newest first, filtered by status.
CREATE INDEX critic_reviews_by_status_id ON critic_reviews (status, id);

-- Every save of a critic review keeps the whole review as it was saved, in
-- the catalogue's JSON form (internal/film), so the history can compare any
-- two revisions and bring one back. Revisions are numbered per review from
-- 1; user_name is the account's name at the time, so the history reads the
-- same after a rename. restored_from names the revision a restore brought
-- back.
CREATE TABLE critic_review_revisions (
    review_id     INTEGER NOT NULL REFERENCES critic_reviews(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number > 0),
    at            TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_name     TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    restored_from INTEGER CHECK (restored_from > 0),
    content       TEXT NOT NULL CHECK (json_valid(content)),
    PRIMARY KEY (review_id, number)
) STRICT;

-- A record's old slug answers with a permanent redirect to its new one, so
-- links to a published page keep working after a rename. A chain of renames
-- is kept flat (every old slug points at the current one), and a slug that
-- is taken again by a live record stops redirecting.
CREATE TABLE slug_redirects (
    kind       TEXT NOT NULL CHECK (kind IN ('film', 'review', 'person')),
    old_slug   TEXT NOT NULL CHECK (length(old_slug) BETWEEN 1 AND 100 AND old_slug NOT GLOB '*[^a-z0-9-]*'),
    new_slug   TEXT NOT NULL CHECK (length(new_slug) BETWEEN 1 AND 100 AND new_slug NOT GLOB '*[^a-z0-9-]*'),
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, old_slug),
    CHECK (old_slug <> new_slug)
) STRICT, WITHOUT ROWID;
CREATE INDEX slug_redirects_by_target ON slug_redirects (kind, new_slug);

-- The editors' list of people is searched by the start of a name.
CREATE INDEX people_by_name ON people (name COLLATE NOCASE, id);
