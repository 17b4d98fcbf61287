-- Search covers the soundtrack: track titles and their performers and composers.
--
-- Each film's soundtrack is one document of search_names, beside its
-- characters and filming locations (so a track ranks with them, after
-- films and people and before reviews): its rowid is films.id * 8 + 7, the
-- name column holds every track title and artist (a match there is what a
-- reader searching "gnossienne" or "wax tailor" is after) and the context
-- column the album's title. A result shows the tracks that matched, read
-- back from soundtrack_tracks. The ligatures are folded as in
-- 0003_search.sql.

CREATE VIEW search_soundtrack_docs AS
SELECT s.film_id AS id, s.film_id * 8 + 7 AS doc,
    replace(replace(replace(replace(replace(replace(
        coalesce((SELECT group_concat(t.title || ' ' || t.artist, ' ') FROM
            (SELECT title, artist FROM soundtrack_tracks WHERE film_id = s.film_id ORDER BY number) t), ''),
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS name,
    replace(replace(replace(replace(replace(replace(
        s.title,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS context
FROM soundtracks s
WHERE EXISTS (SELECT 1 FROM soundtrack_tracks WHERE film_id = s.film_id);

-- Every change to an album or its tracks builds the film's document again
-- from the view (or leaves none when the album has no tracks left).

CREATE TRIGGER search_soundtracks_after_insert AFTER INSERT ON soundtracks BEGIN
    DELETE FROM search_names WHERE rowid = NEW.film_id * 8 + 7;
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_soundtrack_docs WHERE id = NEW.film_id;
END;

CREATE TRIGGER search_soundtracks_after_update AFTER UPDATE ON soundtracks BEGIN
    DELETE FROM search_names WHERE rowid IN (OLD.film_id * 8 + 7, NEW.film_id * 8 + 7);
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_soundtrack_docs WHERE id IN (OLD.film_id, NEW.film_id);
END;

CREATE TRIGGER search_soundtracks_after_delete AFTER DELETE ON soundtracks BEGIN
    DELETE FROM search_names WHERE rowid = OLD.film_id * 8 + 7;
END;

CREATE TRIGGER search_soundtrack_tracks_after_insert AFTER INSERT ON soundtrack_tracks BEGIN
    DELETE FROM search_names WHERE rowid = NEW.film_id * 8 + 7;
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_soundtrack_docs WHERE id = NEW.film_id;
END;

CREATE TRIGGER search_soundtrack_tracks_after_update AFTER UPDATE ON soundtrack_tracks BEGIN
    DELETE FROM search_names WHERE rowid IN (OLD.film_id * 8 + 7, NEW.film_id * 8 + 7);
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_soundtrack_docs WHERE id IN (OLD.film_id, NEW.film_id);
END;

CREATE TRIGGER search_soundtrack_tracks_after_delete AFTER DELETE ON soundtrack_tracks BEGIN
    DELETE FROM search_names WHERE rowid = OLD.film_id * 8 + 7;
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_soundtrack_docs WHERE id = OLD.film_id;
END;

-- A deleted film takes its soundtrack's document with it, whatever order
-- the cascade deletes in.
CREATE TRIGGER search_soundtrack_after_film_delete AFTER DELETE ON films BEGIN
    DELETE FROM search_names WHERE rowid = OLD.id * 8 + 7;
END;

-- Index the soundtracks already stored.
INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_soundtrack_docs;
