-- KPI warehouse schema. Idempotent: run on every connect.
-- Every table carries document_id (the source file's name); loading a
-- document again deletes and re-inserts all of its rows in one transaction.

CREATE TABLE IF NOT EXISTS documents (
    document_id VARCHAR PRIMARY KEY,
    source_file VARCHAR NOT NULL,
    sha256      VARCHAR,
    roc_year    INTEGER NOT NULL,
    pages       INTEGER,
    loaded_at   TIMESTAMP NOT NULL
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
    page         INTEGER,
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

CREATE TABLE IF NOT EXISTS repairs (
    document_id VARCHAR NOT NULL,
    problem_no  INTEGER NOT NULL,  -- position in Scorecard.problems, from 1
    document    VARCHAR NOT NULL,  -- source_file
    kind        VARCHAR NOT NULL,  -- 'repair' | 'warning'
    what        VARCHAR NOT NULL,
    page        INTEGER,
    "row"       VARCHAR,
    "column"    VARCHAR,
    raw         VARCHAR,
    fixed       VARCHAR,
    PRIMARY KEY (document_id, problem_no)
);

CREATE TABLE IF NOT EXISTS reconciliation (
    document_id VARCHAR NOT NULL,
    theme_code  VARCHAR NOT NULL,
    theme_name  VARCHAR,
    item        VARCHAR NOT NULL CHECK (item IN ('objectives', 'kpis', 'action_plans')),
    stated      INTEGER,           -- NULL when the document states no count
    counted     INTEGER NOT NULL,
    ok          BOOLEAN,           -- NULL when nothing was stated
    PRIMARY KEY (document_id, theme_code, item)
);

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
    CASE
        WHEN m.target_value IS NULL OR m.actual_value IS NULL THEN NULL
        WHEN m.target_op = '<=' THEN m.actual_value <= m.target_value
        WHEN m.target_op = '>=' THEN m.actual_value >= m.target_value
        WHEN m.target_op = '<'  THEN m.actual_value <  m.target_value
        WHEN m.target_op = '>'  THEN m.actual_value >  m.target_value
        WHEN m.target_op = '±'  THEN abs(m.actual_value) <= m.target_value
        WHEN m.target_op IS NOT NULL THEN NULL
        WHEN m.direction = 'negative' THEN m.actual_value <= m.target_value
        ELSE m.actual_value >= m.target_value
    END AS achieved,
    d.source_file,
    m.page,
    m.document_id,
    m.target_note,
    m.target_kind,
    m.actual_note,
    m.actual_kind
FROM measures AS m
JOIN documents AS d ON d.document_id = m.document_id
LEFT JOIN kpis AS k
    ON k.document_id = m.document_id AND k.kpi_code = m.kpi_code
LEFT JOIN objectives AS o
    ON o.document_id = k.document_id AND o.objective_code = k.objective_code
LEFT JOIN themes AS t
    ON t.document_id = o.document_id AND t.theme_code = o.theme_code;
