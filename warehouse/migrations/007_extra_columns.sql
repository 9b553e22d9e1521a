-- Columns a KPI table prints beside its own (達成率, 備註 …): each measure's text under the column's header.
CREATE TABLE IF NOT EXISTS extra_columns (
    document_id VARCHAR NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    measure_no  INTEGER NOT NULL,
    roc_year    INTEGER NOT NULL,
    header      VARCHAR NOT NULL,
    text        VARCHAR NOT NULL,
    PRIMARY KEY (document_id, kpi_code, measure_no, roc_year, header)
);
