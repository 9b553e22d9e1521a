-- Schema 1 → 2: warehouse files carry the schema version they were written with (the table
-- itself is all that changed; the runner records the version).
CREATE TABLE schema_version (version INTEGER NOT NULL);
