-- KPI warehouse schema, as this version writes it: a new file is made from it; a file an earlier
-- version wrote is first upgraded by migrations/NNN_*.sql (a changed or new table needs one).
-- Idempotent: run on a connect unless this very text last ran on the file (its digest is a comment
-- on kpi_history, see warehouse/schema.py), so views and macros are always this version's.
-- Every table carries document_id (the source file's name); loading a
-- document again deletes and re-inserts all of its rows in one transaction.

-- One row per migration the file has (a new file: every one shipped).
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS documents (
    document_id VARCHAR PRIMARY KEY,
    source_file VARCHAR NOT NULL,
    sha256      VARCHAR,
    roc_year    INTEGER NOT NULL,
    pages       INTEGER,
    loaded_at   TIMESTAMP NOT NULL,
    kind        VARCHAR NOT NULL DEFAULT 'annual_report',  -- or 'briefing_deck'
    tool_version VARCHAR,   -- the kpi-scorecard that read it (NULL: loaded before versions were recorded)
    source_path  VARCHAR,   -- the file it was read from, absolute (what --rebuild reads again)
    read_pages   INTEGER[]  -- the pages read (--pages); NULL: all
);

CREATE TABLE IF NOT EXISTS themes (
    document_id VARCHAR NOT NULL,
    theme_code  VARCHAR NOT NULL,
    theme_name  VARCHAR,
    PRIMARY KEY (document_id, theme_code)
);

CREATE TABLE IF NOT EXISTS objectives (
    document_id    VARCHAR NOT NULL,
    objective_code VARCHAR NOT NULL,
    objective_name VARCHAR,
    theme_code     VARCHAR,
    PRIMARY KEY (document_id, objective_code)
);

CREATE TABLE IF NOT EXISTS kpis (
    document_id    VARCHAR NOT NULL,
    kpi_code       VARCHAR NOT NULL,
    kpi_name       VARCHAR,
    objective_code VARCHAR,
    PRIMARY KEY (document_id, kpi_code)
);

CREATE TABLE IF NOT EXISTS measures (
    document_id  VARCHAR NOT NULL,
    kpi_code     VARCHAR NOT NULL,
    measure_no   INTEGER NOT NULL,
    formula      VARCHAR,
    unit         VARCHAR,
    direction    VARCHAR CHECK (direction IN ('positive', 'negative')),
    action_plans VARCHAR,  -- plan entries joined with '\n'
    agency       VARCHAR,
    roc_year     INTEGER NOT NULL,
    target_raw   VARCHAR,
    target_value DOUBLE,
    target_op    VARCHAR CHECK (target_op IN ('<=', '>=', '<', '>', '±')),
    target_note  VARCHAR,
    target_kind  VARCHAR,
    actual_raw   VARCHAR,
    actual_value DOUBLE,
    actual_op    VARCHAR CHECK (actual_op IN ('<=', '>=', '<', '>', '±')),
    actual_note  VARCHAR,
    actual_kind  VARCHAR,
    page         INTEGER,  -- PDF page; a deck file's slide number
    table_no     INTEGER,  -- office files: the table's number in the document (on its slide, for a deck)
    row_no       INTEGER,  -- office files: the row's number in that table, from 1
    target_confidence DOUBLE,  -- recognised from a page image: the OCR engine's confidence, 0–100
    actual_confidence DOUBLE,
    PRIMARY KEY (document_id, kpi_code, measure_no, roc_year)
);

CREATE TABLE IF NOT EXISTS action_plans (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    measure_no  INTEGER NOT NULL,
    plan_no     INTEGER NOT NULL,  -- position in the measure's list, from 1
    plan_code   VARCHAR,           -- NULL when the entry has no code
    plan_name   VARCHAR,
    PRIMARY KEY (document_id, kpi_code, measure_no, plan_no)
);

-- Columns a KPI table prints beside its own (達成率, 達成情形, 備註, 差異說明, 權重 …): each
-- measure's cell text under the column's header text, as printed; never read as a value.
CREATE TABLE IF NOT EXISTS extra_columns (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    measure_no  INTEGER NOT NULL,
    roc_year    INTEGER NOT NULL,
    header      VARCHAR NOT NULL,  -- the column's header text, whitespace removed
    text        VARCHAR NOT NULL,  -- the measure's cell ('' where it is blank)
    PRIMARY KEY (document_id, kpi_code, measure_no, roc_year, header)
);

CREATE TABLE IF NOT EXISTS repairs (
    document_id VARCHAR NOT NULL,
    problem_no  INTEGER NOT NULL,  -- position in Scorecard.problems, from 1
    document    VARCHAR NOT NULL,  -- source_file
    kind        VARCHAR NOT NULL,  -- 'repair' | 'warning' | 'stitch' | 'skipped_table'
    what        VARCHAR NOT NULL,
    page        INTEGER,
    "row"       VARCHAR,
    "column"    VARCHAR,
    raw         VARCHAR,
    fixed       VARCHAR,
    occurrences INTEGER NOT NULL DEFAULT 1,  -- how many times (a text-layer repair counts characters)
    PRIMARY KEY (document_id, problem_no)
);

CREATE TABLE IF NOT EXISTS reconciliation (
    document_id VARCHAR NOT NULL,
    theme_code  VARCHAR NOT NULL,
    theme_name  VARCHAR,
    scope       VARCHAR NOT NULL DEFAULT 'theme',  -- or a deck's perspective (顧客構面 …, 合計)
    item        VARCHAR NOT NULL CHECK (item IN ('objectives', 'kpis', 'action_plans', 'achieved', 'missed', 'theme')),
    stated      INTEGER,           -- NULL when the document states no count
    counted     INTEGER NOT NULL,
    ok          BOOLEAN,           -- NULL when nothing was stated
    by_values   INTEGER,           -- a deck's achieved/missed as kpi_history's value rule counts them (counted: by the deck's 目標達成度)
    PRIMARY KEY (document_id, theme_code, scope, item)
);

-- Every value printed anywhere: a KPI table, a deck's results or tasks table.
CREATE TABLE IF NOT EXISTS observations (
    document_id VARCHAR NOT NULL,
    obs_no      INTEGER NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    measure_no  INTEGER NOT NULL,
    roc_year    INTEGER NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('target', 'actual')),
    raw         VARCHAR,
    value       DOUBLE,
    op          VARCHAR,
    value_kind  VARCHAR,
    page        INTEGER,
    source      VARCHAR NOT NULL,  -- 'kpi table', 'results table', 'tasks table'
    note        VARCHAR,
    table_no    INTEGER,  -- office files: the KPI table's number and the row's, as in measures
    row_no      INTEGER,
    PRIMARY KEY (document_id, obs_no)
);

-- A deck's scores of a KPI for a year.
CREATE TABLE IF NOT EXISTS scores (
    document_id      VARCHAR NOT NULL,
    kpi_code         VARCHAR NOT NULL,
    roc_year         INTEGER NOT NULL,
    achievement_raw  VARCHAR,
    achievement      DOUBLE,  -- 目標達成度 %
    innovation       DOUBLE,  -- 創新度
    challenge        DOUBLE,  -- 挑戰度
    contribution     DOUBLE,  -- 貢獻度
    page             INTEGER,
    PRIMARY KEY (document_id, kpi_code, roc_year)
);

-- Which KPI identity each document's KPI is, and why (warehouse/identity.py, warehouse/links.py).
CREATE TABLE IF NOT EXISTS kpi_links (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    kpi_name    VARCHAR,
    kpi_id      VARCHAR NOT NULL,
    decision    VARCHAR NOT NULL CHECK (decision IN ('new', 'matched', 'renamed', 'renumbered', 'ambiguous', 'pinned', 'split')),
    score       DOUBLE,   -- name similarity (0–100) to the identity it was matched or compared to
    compared_to VARCHAR,  -- the nearest candidate identity, when it was not taken
    reason      VARCHAR,
    previous_document VARCHAR,  -- the print of that identity before this document: file, code, name
    previous_code     VARCHAR,
    previous_name     VARCHAR,
    PRIMARY KEY (document_id, kpi_code)
);

-- Analysts' KPI link overrides: pin a document's KPI to an identity, or split it into one of its own.
CREATE TABLE IF NOT EXISTS link_overrides (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    action      VARCHAR NOT NULL CHECK (action IN ('pin', 'split')),
    kpi_id      VARCHAR CHECK ((action = 'pin') = (kpi_id IS NOT NULL)),
    note        VARCHAR,
    set_at      TIMESTAMP,  -- NULL: carried over from an override file when the warehouse was upgraded
    PRIMARY KEY (document_id, kpi_code)
);

-- Each identity as the last document linked left it: its latest print and every name and formula
-- it was printed with. A new document is linked against these alone (warehouse/links.py).
CREATE TABLE IF NOT EXISTS kpi_identities (
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
    names          VARCHAR[] NOT NULL,  -- latest first
    formulas       VARCHAR[] NOT NULL
);

-- What the links were made under (linking rules and overrides); another fingerprint relinks all.
CREATE TABLE IF NOT EXISTS link_state (fingerprint VARCHAR NOT NULL);

-- Actual against target: the op printed with the target wins ('±': |actual| within target),
-- else the direction; NULL when either side has no number.
CREATE OR REPLACE MACRO achieved(actual, target, op, direction) AS
    CASE
        WHEN target IS NULL OR actual IS NULL THEN NULL
        WHEN op = '<=' THEN actual <= target
        WHEN op = '>=' THEN actual >= target
        WHEN op = '<'  THEN actual <  target
        WHEN op = '>'  THEN actual >  target
        WHEN op = '±'  THEN abs(actual) <= target
        WHEN op IS NOT NULL THEN NULL
        WHEN direction = 'negative' THEN actual <= target
        ELSE actual >= target
    END;

-- Contract columns first (see warehouse.export.KPI_HISTORY_COLUMNS), extras after.
CREATE OR REPLACE VIEW kpi_history AS
SELECT
    m.roc_year,
    o.theme_code,
    t.theme_name,
    k.objective_code,
    o.objective_name,
    m.kpi_code,
    k.kpi_name,
    m.measure_no,
    m.formula,
    m.unit,
    m.direction,
    m.action_plans,
    m.agency,
    m.target_raw,
    m.target_value,
    m.target_op,
    m.actual_raw,
    m.actual_value,
    m.actual_op,
    achieved(m.actual_value, m.target_value, m.target_op, m.direction) AS achieved,
    d.source_file,
    m.page,
    m.document_id,
    m.target_note,
    m.target_kind,
    m.actual_note,
    m.actual_kind,
    l.kpi_id,
    m.table_no,  -- office files: the row's table and row (page: a deck's slide)
    m.row_no,
    m.roc_year + 1911 AS year,  -- Gregorian (ROC 110 = 2021)
    m.target_confidence,  -- scanned pages: the OCR engine's confidence in the value's cell (NULL: a text layer's)
    m.actual_confidence
FROM measures AS m
JOIN documents AS d ON d.document_id = m.document_id
LEFT JOIN kpis AS k
    ON k.document_id = m.document_id AND k.kpi_code = m.kpi_code
LEFT JOIN objectives AS o
    ON o.document_id = k.document_id AND o.objective_code = k.objective_code
LEFT JOIN themes AS t
    ON t.document_id = o.document_id AND t.theme_code = o.theme_code
LEFT JOIN kpi_links AS l
    ON l.document_id = m.document_id AND l.kpi_code = m.kpi_code;

-- Every print ranked for its KPI identity, measure, year and kind. Precedence: an annual report
-- over a briefing deck, a later document over an earlier one, then within a document the KPI's
-- own table over a results table over a tasks table.
CREATE OR REPLACE VIEW observations_ranked AS
SELECT
    ob.*,
    d.source_file,
    d.kind AS document_kind,
    d.roc_year AS document_year,
    l.kpi_id,
    row_number() OVER (
        PARTITION BY l.kpi_id, ob.measure_no, ob.roc_year, ob.kind
        ORDER BY d.kind = 'annual_report' DESC, d.roc_year DESC,
                 CASE ob.source WHEN 'kpi table' THEN 1 WHEN 'results table' THEN 2 ELSE 3 END,
                 ob.document_id, ob.obs_no
    ) AS precedence
FROM observations AS ob
JOIN documents AS d ON d.document_id = ob.document_id
JOIN kpi_links AS l ON l.document_id = ob.document_id AND l.kpi_code = ob.kpi_code;

-- Prints of one KPI identity/measure/year/kind that disagree on the number, one row per print.
-- scope: 'within_document' when one document prints two numbers, else 'across_documents'.
CREATE OR REPLACE VIEW conflicts AS
WITH numbered AS (
    SELECT * FROM observations_ranked WHERE value IS NOT NULL
),
disagreeing AS (  -- more than one number where the lowest and highest differ (grouped, not windowed: 3x faster)
    SELECT kpi_id, measure_no, roc_year, kind, bool_or(low <> high) AS within_document
    FROM (
        SELECT kpi_id, measure_no, roc_year, kind, min(value) AS low, max(value) AS high
        FROM numbered
        GROUP BY kpi_id, measure_no, roc_year, kind, document_id
    )
    GROUP BY ALL
    HAVING min(low) <> max(high)
)
SELECT
    n.kpi_id, n.measure_no, n.roc_year, n.kind,
    CASE WHEN g.within_document THEN 'within_document' ELSE 'across_documents' END AS scope,
    n.source_file, n.obs_no, n.page, n.table_no, n.row_no, n.source, n.kpi_code, n.raw, n.value,
    n.precedence = 1 AS chosen
FROM numbered AS n
JOIN disagreeing AS g USING (kpi_id, measure_no, roc_year, kind);

-- One row per KPI identity, measure and year: the target and actual chosen by precedence.
CREATE OR REPLACE VIEW kpi_trend AS
WITH chosen AS (
    SELECT * FROM observations_ranked WHERE precedence = 1
),
years AS (
    SELECT kpi_id, measure_no, roc_year,
           string_agg(DISTINCT source_file, '; ' ORDER BY source_file) AS sources
    FROM observations_ranked GROUP BY ALL
),
printed AS (  -- what the identity was called that year: as printed by that year's own documents first
    SELECT DISTINCT ON (kpi_id, measure_no, roc_year)
           r.kpi_id, r.measure_no, r.roc_year, r.kpi_code, k.kpi_name, o.theme_code, k.objective_code
    FROM observations_ranked AS r
    JOIN kpis AS k USING (document_id, kpi_code)
    LEFT JOIN objectives AS o USING (document_id, objective_code)
    ORDER BY r.kpi_id, r.measure_no, r.roc_year, r.document_year = r.roc_year DESC, r.precedence, r.kind, r.obs_no
),
direction AS (
    SELECT l.kpi_id, m.measure_no,
           CASE WHEN bool_or(m.direction = 'negative') THEN 'negative' ELSE 'positive' END AS direction
    FROM measures AS m JOIN kpi_links AS l USING (document_id, kpi_code)
    GROUP BY ALL
),
trend AS (
    SELECT
        y.kpi_id, x.kpi_code, x.kpi_name, x.theme_code, x.objective_code, y.measure_no, y.roc_year,
        y.roc_year + 1911 AS year,  -- Gregorian (ROC 110 = 2021)
        dr.direction,
        tg.raw AS target_raw, tg.value AS target_value, tg.op AS target_op, tg.source_file AS target_source,
        tg.page AS target_page,
        ac.raw AS actual_raw, ac.value AS actual_value, ac.source_file AS actual_source, ac.page AS actual_page,
        achieved(ac.value, tg.value, tg.op, dr.direction) AS achieved,
        y.sources
    FROM years AS y
    JOIN printed AS x USING (kpi_id, measure_no, roc_year)
    LEFT JOIN direction AS dr USING (kpi_id, measure_no)
    LEFT JOIN chosen AS tg
        ON tg.kpi_id = y.kpi_id AND tg.measure_no = y.measure_no AND tg.roc_year = y.roc_year AND tg.kind = 'target'
    LEFT JOIN chosen AS ac
        ON ac.kpi_id = y.kpi_id AND ac.measure_no = y.measure_no AND ac.roc_year = y.roc_year AND ac.kind = 'actual'
)
SELECT
    *,
    actual_value - lag(actual_value) OVER w AS actual_change,
    lag(roc_year) OVER w AS previous_year
FROM trend
WINDOW w AS (PARTITION BY kpi_id, measure_no ORDER BY roc_year);

-- The digest of the schema.sql and comments that made this file's views: warehouse/schema.py
-- writes it after this text ran; until then (another build's text ran last) it is NULL.
CREATE OR REPLACE VIEW schema_stamp AS SELECT NULL::VARCHAR AS digest;
