-- People in depth: biography, birth and death, other names.
--
-- A person's other names already live in person_aliases (0001), a child
-- table kept in order. This adds the rest of what a person page shows:
-- a short biography (restricted Markdown, at most 4,000 characters, as
-- film.MaxBiography says) and where and when the person was born and
-- died. Dates are partial dates as film.Date writes them ("1964",
-- "1964-03", "1964-03-09"), because sources often give a year alone and
-- inventing a day would be a false fact; '' means not known. A month or a
-- day must exist: SQLite's date() gives back a real date unchanged, moves
-- an impossible day ("2021-02-30") and gives NULL for an impossible month,
-- which IS (unlike =) counts as a mismatch, since a CHECK that comes out
-- NULL passes. Date functions without 'now' may stand in a CHECK. A death date
-- may not come before the birth date (compared on what both give: a death
-- in "1990" is not before a birth on "1990-05-01").

ALTER TABLE people ADD COLUMN biography TEXT NOT NULL DEFAULT ''
    CHECK (length(biography) <= 4000);
ALTER TABLE people ADD COLUMN birth_date TEXT NOT NULL DEFAULT ''
    CHECK (birth_date = ''
        OR (length(birth_date) = 4 AND birth_date GLOB '[0-9][0-9][0-9][0-9]')
        OR (length(birth_date) = 7 AND date(birth_date || '-01') IS birth_date || '-01')
        OR (length(birth_date) = 10 AND date(birth_date) IS birth_date));
ALTER TABLE people ADD COLUMN birth_place TEXT NOT NULL DEFAULT ''
    CHECK (length(birth_place) <= 200);
ALTER TABLE people ADD COLUMN death_date TEXT NOT NULL DEFAULT ''
    CHECK ((death_date = ''
        OR (length(death_date) = 4 AND death_date GLOB '[0-9][0-9][0-9][0-9]')
        OR (length(death_date) = 7 AND date(death_date || '-01') IS death_date || '-01')
        OR (length(death_date) = 10 AND date(death_date) IS death_date))
        AND (death_date = '' OR birth_date = ''
            OR substr(death_date, 1, min(length(death_date), length(birth_date)))
                >= substr(birth_date, 1, min(length(death_date), length(birth_date)))));
ALTER TABLE people ADD COLUMN death_place TEXT NOT NULL DEFAULT ''
    CHECK (length(death_place) <= 200);
