-- Schema 2 → 3: each document records which kpi-scorecard read it, from which file and which
-- pages (what --rebuild reads again); KPI link overrides live in the warehouse.

-- NULL for documents loaded before: which version read them, and from where, was not recorded.
ALTER TABLE documents ADD COLUMN tool_version VARCHAR;
ALTER TABLE documents ADD COLUMN source_path VARCHAR;
ALTER TABLE documents ADD COLUMN read_pages INTEGER[];

CREATE TABLE link_overrides (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    action      VARCHAR NOT NULL CHECK (action IN ('pin', 'split')),
    kpi_id      VARCHAR CHECK ((action = 'pin') = (kpi_id IS NOT NULL)),
    note        VARCHAR,
    set_at      TIMESTAMP,
    PRIMARY KEY (document_id, kpi_code)
);

-- The overrides the links were last made with came from a CSV file outside the warehouse; the
-- links they decided say what they were, so they carry over and the next load keeps them.
INSERT INTO link_overrides
SELECT document_id, kpi_code,
       CASE decision WHEN 'pinned' THEN 'pin' ELSE 'split' END,
       CASE decision WHEN 'pinned' THEN kpi_id END,
       'carried over from the override file in use when the warehouse was upgraded',
       NULL
FROM kpi_links
WHERE decision IN ('pinned', 'split');
