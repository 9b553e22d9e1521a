-- Repairs say how many times they were made: a text-layer repair is one row per kind of
-- substitution (e.g. Kangxi radicals → ideographs) with the number of characters it changed.
ALTER TABLE repairs ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
