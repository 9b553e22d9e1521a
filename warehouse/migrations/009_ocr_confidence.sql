-- Schema 8 → 9 (issue 19): a value recognised from a scanned page keeps the OCR engine's
-- confidence in it (0–100) beside it; NULL for values a text layer gave.
ALTER TABLE measures ADD COLUMN target_confidence DOUBLE;
ALTER TABLE measures ADD COLUMN actual_confidence DOUBLE;
