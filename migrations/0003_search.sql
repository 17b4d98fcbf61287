-- Full-text search over films, people, characters, filming locations and
-- public reviews, kept in step with every write by the triggers below.
--
-- One FTS5 table per rank of result, since results are listed rank by rank
-- (a film's title before a person's name before a character or a place
-- before a review) and a page then needs to score only the ranks it shows:
--
--   search_films    each film: its title and original title, the year as
--                   context.
--   search_people   each person: name and other spellings.
--   search_names    characters (one document per cast credit) and filming
--                   locations (one document per film: places, with the
--                   addresses as context).
--   search_reviews  critic reviews that are published or scheduled (a
--                   scheduled review becomes public at its time with no
--                   write, so the query filters on published_at) and
--                   approved reader reviews: headline or title, and text.
--
-- Suggestions as a reader types read the first two only.
--
-- The tables are contentless (the text lives in its own table already),
-- with contentless_delete so a document can be removed by rowid alone. The
-- rowid says what a document is: source id * 8 + kind, where kind is
-- 1 film, 2 person, 3 character (credits.id), 4 filming locations
-- (films.id), 5 critic review, 6 reader review. So every trigger finds the
-- document to replace by primary key, and a hit leads back to its row the
-- same way.
--
-- The tokenizer folds case and accents (cedric finds Cédric); ligatures it
-- leaves alone are folded in the indexed text here and in the query in Go
-- (œ → oe, æ → ae, ß → ss), so "coeur" finds "cœur" and "cœur" finds
-- "Coeur". The prefix indexes make two- and three-letter prefix queries
-- (as-you-type suggestions) a single lookup.
--
-- Spoilers never enter the index, so they can be neither found nor quoted.
-- A review flagged as containing spoilers contributes its headline (and a
-- critic review its author and pull quote, which are public anyway) but
-- none of its body. Any other body is indexed without every part that could
-- be inside a spoiler, by a deliberately coarse rule on the raw Markdown
-- that can remove too much but never too little (see the review views).
--
-- Each kind's document is defined once, as a view, used both by the
-- backfill at the end and by the triggers, which select from it by the
-- source row's key.

CREATE VIRTUAL TABLE search_films USING fts5(
    name, context,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3',
    content = '', contentless_delete = 1
);

CREATE VIRTUAL TABLE search_people USING fts5(
    name, context,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3',
    content = '', contentless_delete = 1
);

CREATE VIRTUAL TABLE search_names USING fts5(
    name, context,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3',
    content = '', contentless_delete = 1
);

CREATE VIRTUAL TABLE search_reviews USING fts5(
    title, text,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3',
    content = '', contentless_delete = 1
);

-- The folding of ligatures the tokenizer keeps as letters of their own
-- appears in each view as the same six nested replace() calls; the Go side
-- (film.ParseSearch) folds queries the same way.

CREATE VIEW search_film_docs AS
SELECT id, id * 8 + 1 AS doc,
    replace(replace(replace(replace(replace(replace(
        title || CASE WHEN original_title NOT IN ('', title) THEN ' ' || original_title ELSE '' END,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS name,
    CAST(year AS TEXT) AS context
FROM films;

CREATE VIEW search_person_docs AS
SELECT p.id, p.id * 8 + 2 AS doc,
    replace(replace(replace(replace(replace(replace(
        p.name || coalesce((SELECT ' ' || group_concat(a.name, ' ') FROM person_aliases a WHERE a.person_id = p.id), ''),
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS name,
    '' AS context
FROM people p;

CREATE VIEW search_character_docs AS
SELECT id, id * 8 + 3 AS doc,
    replace(replace(replace(replace(replace(replace(
        character,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS name,
    '' AS context
FROM credits
WHERE character <> '';

CREATE VIEW search_location_docs AS
SELECT film_id AS id, film_id * 8 + 4 AS doc,
    replace(replace(replace(replace(replace(replace(
        group_concat(place, ' '),
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS name,
    replace(replace(replace(replace(replace(replace(
        group_concat(address, ' '),
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS context
FROM filming_locations
GROUP BY film_id;

-- The spoiler-free part of a review body. Spoilers are "||inline||" spans
-- and "::: spoiler" blocks (see internal/markdown). Rather than parse
-- Markdown in SQL, the views keep only text that cannot be inside either:
--
--   fence  where the first ":::" starts (or the end). A spoiler block opens
--          with a fence of three or more colons and runs at most to the end
--          of the text, so nothing from the first ":::" on is kept.
--   pipe   where the first "||" starts. Every inline spoiler opens with a
--          "||" at or after it...
--   after  ...and closes with a "||" before the last one ends, so the text
--          after the last "||" (found by splitting on "||" with the JSON
--          functions, as SQL has no reverse search) is outside them all.
--
-- What is kept is the text before min(pipe, fence), and the text between
-- after and fence when after comes first. Text between two spoilers, or
-- after a literal ":::", is lost to search: a price paid so that nothing
-- hidden on the page can be found, or quoted in a result. A body holding a
-- NUL character (where SQLite's character counts stop) is left out whole.

CREATE VIEW search_critic_review_docs AS
SELECT id, id * 8 + 5 AS doc,
    replace(replace(replace(replace(replace(replace(
        headline,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS title,
    replace(replace(replace(replace(replace(replace(
        author || ' ' || pull_quote || ' ' ||
        CASE WHEN spoilers = 1 OR instr(body, char(0)) > 0 THEN ''
            ELSE substr(body, 1, min(CASE pipe WHEN 0 THEN fence ELSE pipe END, fence) - 1)
                || CASE WHEN pipe > 0 AND after < fence THEN ' ' || substr(body, after, fence - after) ELSE '' END
        END,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS text
FROM (
    SELECT id, headline, author, pull_quote, spoilers, body,
        CASE instr(body, ':::') WHEN 0 THEN length(body) + 1 ELSE instr(body, ':::') END AS fence,
        instr(body, '||') AS pipe,
        CASE WHEN instr(body, '||') > 0
            THEN length(body) + 1 - length(json_extract('[' || replace(json_quote(body), '||', '","') || ']', '$[#-1]'))
            ELSE 0 END AS after
    FROM critic_reviews
    WHERE status IN ('published', 'scheduled')
);

CREATE VIEW search_reader_review_docs AS
SELECT id, id * 8 + 6 AS doc,
    replace(replace(replace(replace(replace(replace(
        title,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS title,
    replace(replace(replace(replace(replace(replace(
        CASE WHEN spoilers = 1 OR instr(body, char(0)) > 0 THEN ''
            ELSE substr(body, 1, min(CASE pipe WHEN 0 THEN fence ELSE pipe END, fence) - 1)
                || CASE WHEN pipe > 0 AND after < fence THEN ' ' || substr(body, after, fence - after) ELSE '' END
        END,
        'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'), 'ẞ', 'SS') AS text
FROM (
    SELECT id, title, spoilers, body,
        CASE instr(body, ':::') WHEN 0 THEN length(body) + 1 ELSE instr(body, ':::') END AS fence,
        instr(body, '||') AS pipe,
        CASE WHEN instr(body, '||') > 0
            THEN length(body) + 1 - length(json_extract('[' || replace(json_quote(body), '||', '","') || ']', '$[#-1]'))
            ELSE 0 END AS after
    FROM reader_reviews
    WHERE status = 'approved'
);

-- Triggers. Each replaces a document by deleting its rowid and inserting
-- it again from its view; an FTS5 insert does not replace a document with
-- the same rowid, so the delete always comes first. A view that no longer
-- yields the row (a rejected review, a credit without a character) leaves
-- the document deleted. Update triggers name only the columns a document
-- is made of, so a helpful vote, say, does not touch the index.

CREATE TRIGGER search_films_after_insert AFTER INSERT ON films BEGIN
    DELETE FROM search_films WHERE rowid = NEW.id * 8 + 1;
    INSERT INTO search_films (rowid, name, context) SELECT doc, name, context FROM search_film_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_films_after_update AFTER UPDATE OF id, title, original_title, year ON films BEGIN
    DELETE FROM search_films WHERE rowid IN (OLD.id * 8 + 1, NEW.id * 8 + 1);
    INSERT INTO search_films (rowid, name, context) SELECT doc, name, context FROM search_film_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_films_after_delete AFTER DELETE ON films BEGIN
    DELETE FROM search_films WHERE rowid = OLD.id * 8 + 1;
    DELETE FROM search_names WHERE rowid = OLD.id * 8 + 4;
END;

CREATE TRIGGER search_people_after_insert AFTER INSERT ON people BEGIN
    DELETE FROM search_people WHERE rowid = NEW.id * 8 + 2;
    INSERT INTO search_people (rowid, name, context) SELECT doc, name, context FROM search_person_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_people_after_update AFTER UPDATE OF id, name ON people BEGIN
    DELETE FROM search_people WHERE rowid IN (OLD.id * 8 + 2, NEW.id * 8 + 2);
    INSERT INTO search_people (rowid, name, context) SELECT doc, name, context FROM search_person_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_people_after_delete AFTER DELETE ON people BEGIN
    DELETE FROM search_people WHERE rowid = OLD.id * 8 + 2;
END;

CREATE TRIGGER search_person_aliases_after_insert AFTER INSERT ON person_aliases BEGIN
    DELETE FROM search_people WHERE rowid = NEW.person_id * 8 + 2;
    INSERT INTO search_people (rowid, name, context) SELECT doc, name, context FROM search_person_docs WHERE id = NEW.person_id;
END;

CREATE TRIGGER search_person_aliases_after_update AFTER UPDATE ON person_aliases BEGIN
    DELETE FROM search_people WHERE rowid IN (OLD.person_id * 8 + 2, NEW.person_id * 8 + 2);
    INSERT INTO search_people (rowid, name, context) SELECT doc, name, context FROM search_person_docs WHERE id IN (OLD.person_id, NEW.person_id);
END;

CREATE TRIGGER search_person_aliases_after_delete AFTER DELETE ON person_aliases BEGIN
    DELETE FROM search_people WHERE rowid = OLD.person_id * 8 + 2;
    INSERT INTO search_people (rowid, name, context) SELECT doc, name, context FROM search_person_docs WHERE id = OLD.person_id;
END;

CREATE TRIGGER search_credits_after_insert AFTER INSERT ON credits BEGIN
    DELETE FROM search_names WHERE rowid = NEW.id * 8 + 3;
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_character_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_credits_after_update AFTER UPDATE OF id, character ON credits BEGIN
    DELETE FROM search_names WHERE rowid IN (OLD.id * 8 + 3, NEW.id * 8 + 3);
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_character_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_credits_after_delete AFTER DELETE ON credits BEGIN
    DELETE FROM search_names WHERE rowid = OLD.id * 8 + 3;
END;

CREATE TRIGGER search_filming_locations_after_insert AFTER INSERT ON filming_locations BEGIN
    DELETE FROM search_names WHERE rowid = NEW.film_id * 8 + 4;
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_location_docs WHERE id = NEW.film_id;
END;

CREATE TRIGGER search_filming_locations_after_update AFTER UPDATE ON filming_locations BEGIN
    DELETE FROM search_names WHERE rowid IN (OLD.film_id * 8 + 4, NEW.film_id * 8 + 4);
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_location_docs WHERE id IN (OLD.film_id, NEW.film_id);
END;

CREATE TRIGGER search_filming_locations_after_delete AFTER DELETE ON filming_locations BEGIN
    DELETE FROM search_names WHERE rowid = OLD.film_id * 8 + 4;
    INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_location_docs WHERE id = OLD.film_id;
END;

CREATE TRIGGER search_critic_reviews_after_insert AFTER INSERT ON critic_reviews BEGIN
    DELETE FROM search_reviews WHERE rowid = NEW.id * 8 + 5;
    INSERT INTO search_reviews (rowid, title, text) SELECT doc, title, text FROM search_critic_review_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_critic_reviews_after_update
AFTER UPDATE OF id, headline, author, pull_quote, body, spoilers, status ON critic_reviews BEGIN
    DELETE FROM search_reviews WHERE rowid IN (OLD.id * 8 + 5, NEW.id * 8 + 5);
    INSERT INTO search_reviews (rowid, title, text) SELECT doc, title, text FROM search_critic_review_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_critic_reviews_after_delete AFTER DELETE ON critic_reviews BEGIN
    DELETE FROM search_reviews WHERE rowid = OLD.id * 8 + 5;
END;

CREATE TRIGGER search_reader_reviews_after_insert AFTER INSERT ON reader_reviews BEGIN
    DELETE FROM search_reviews WHERE rowid = NEW.id * 8 + 6;
    INSERT INTO search_reviews (rowid, title, text) SELECT doc, title, text FROM search_reader_review_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_reader_reviews_after_update
AFTER UPDATE OF id, title, body, spoilers, status ON reader_reviews BEGIN
    DELETE FROM search_reviews WHERE rowid IN (OLD.id * 8 + 6, NEW.id * 8 + 6);
    INSERT INTO search_reviews (rowid, title, text) SELECT doc, title, text FROM search_reader_review_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_reader_reviews_after_delete AFTER DELETE ON reader_reviews BEGIN
    DELETE FROM search_reviews WHERE rowid = OLD.id * 8 + 6;
END;

-- Backfill what the earlier migrations hold.
INSERT INTO search_films (rowid, name, context) SELECT doc, name, context FROM search_film_docs;
INSERT INTO search_people (rowid, name, context) SELECT doc, name, context FROM search_person_docs;
INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_character_docs;
INSERT INTO search_names (rowid, name, context) SELECT doc, name, context FROM search_location_docs;
INSERT INTO search_reviews (rowid, title, text) SELECT doc, title, text FROM search_critic_review_docs;
INSERT INTO search_reviews (rowid, title, text) SELECT doc, title, text FROM search_reader_review_docs;
