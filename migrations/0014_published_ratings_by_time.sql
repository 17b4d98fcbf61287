-- What readers are rating now counts published ratings only: ratings held
-- back as a suspected burst (0013) wait for an editor. This partial index
-- holds just the published ones by time, so that count (and the moment
-- the oldest of them leaves the window) still reads an index alone (SQLite
-- counts an index as covering only when it holds every column the query
-- names, so it holds held_burst too, always NULL).
CREATE INDEX ratings_published_by_time ON ratings (updated_at, film_id, held_burst) WHERE held_burst IS NULL;
