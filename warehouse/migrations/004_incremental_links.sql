-- Schema 3 → 4 (issue 9): KPI links made one document at a time.
-- kpi_links gains the decisions 'renamed' and 'renumbered' and the identity's print before the
-- document (previous_document, previous_code, previous_name); kpi_identities keeps each identity
-- as the last document left it, filled here from the links kept; link_state stays empty, so the
-- next load links every document again under the current rules and fills all three anew.
DROP VIEW IF EXISTS kpi_trend;
DROP VIEW IF EXISTS conflicts;
DROP VIEW IF EXISTS observations_ranked;
DROP VIEW IF EXISTS kpi_history;  -- views are made again from schema.sql on connect

CREATE TABLE kpi_links_4 (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    kpi_name    VARCHAR,
    kpi_id      VARCHAR NOT NULL,
    decision    VARCHAR NOT NULL CHECK (decision IN ('new', 'matched', 'renamed', 'renumbered', 'ambiguous', 'pinned', 'split')),
    score       DOUBLE,
    compared_to VARCHAR,
    reason      VARCHAR,
    previous_document VARCHAR,
    previous_code     VARCHAR,
    previous_name     VARCHAR,
    PRIMARY KEY (document_id, kpi_code)
);
INSERT INTO kpi_links_4 (document_id, kpi_code, kpi_name, kpi_id, decision, score, compared_to, reason)
SELECT document_id, kpi_code, kpi_name, kpi_id, decision, score, compared_to, reason FROM kpi_links;
DROP TABLE kpi_links;
ALTER TABLE kpi_links_4 RENAME TO kpi_links;

CREATE TABLE kpi_identities (
    kpi_id         VARCHAR PRIMARY KEY,
    document_id    VARCHAR NOT NULL,
    document_year  INTEGER NOT NULL,
    document_kind  VARCHAR NOT NULL,
    kpi_code       VARCHAR NOT NULL,
    kpi_name       VARCHAR,
    theme_code     VARCHAR,
    objective_code VARCHAR,
    formula        VARCHAR,
    unit           VARCHAR,
    agency         VARCHAR,
    plans          VARCHAR,
    names          VARCHAR[] NOT NULL,
    formulas       VARCHAR[] NOT NULL
);
INSERT INTO kpi_identities
WITH member AS (  -- every print of an identity, latest first as linking orders documents
    SELECT l.kpi_id, l.document_id, d.roc_year, d.kind, l.kpi_code, k.kpi_name, o.theme_code, k.objective_code,
           m.formula, m.unit, m.agency,
           (SELECT string_agg(p.plan_name, chr(10) ORDER BY p.plan_no) FROM action_plans AS p
            WHERE p.document_id = l.document_id AND p.kpi_code = l.kpi_code AND p.measure_no = 1) AS plans,
           row_number() OVER (PARTITION BY l.kpi_id ORDER BY d.roc_year DESC, d.kind = 'annual_report' DESC, l.document_id DESC) AS age
    FROM kpi_links AS l
    JOIN documents AS d USING (document_id)
    JOIN kpis AS k USING (document_id, kpi_code)
    LEFT JOIN objectives AS o USING (document_id, objective_code)
    LEFT JOIN (SELECT DISTINCT ON (document_id, kpi_code) * FROM measures ORDER BY document_id, kpi_code, measure_no, roc_year)
        AS m USING (document_id, kpi_code)
),
names AS (
    SELECT kpi_id, list(kpi_name ORDER BY age) AS names
    FROM (SELECT kpi_id, kpi_name, min(age) AS age FROM member WHERE kpi_name IS NOT NULL GROUP BY ALL) GROUP BY kpi_id
),
formulas AS (
    SELECT kpi_id, list(formula ORDER BY age) AS formulas
    FROM (SELECT kpi_id, formula, min(age) AS age FROM member WHERE coalesce(formula, '') <> '' GROUP BY ALL) GROUP BY kpi_id
)
SELECT m.kpi_id, m.document_id, m.roc_year, m.kind, m.kpi_code, m.kpi_name, m.theme_code, m.objective_code,
       m.formula, m.unit, m.agency, m.plans, coalesce(n.names, []), coalesce(f.formulas, [])
FROM member AS m LEFT JOIN names AS n USING (kpi_id) LEFT JOIN formulas AS f USING (kpi_id)
WHERE m.age = 1;

CREATE TABLE link_state (fingerprint VARCHAR NOT NULL);
