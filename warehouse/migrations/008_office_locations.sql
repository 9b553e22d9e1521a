-- Where a measure's row (and each value printed there) is in an office file (.docx, .odt, .pptx, .odp), which has no pages: the
-- table's number (in the document, or on its slide for a deck, whose slide number is the page) and
-- the row's number in that table. NULL for PDFs and text dumps.
ALTER TABLE measures ADD COLUMN table_no INTEGER;
ALTER TABLE measures ADD COLUMN row_no INTEGER;
ALTER TABLE observations ADD COLUMN table_no INTEGER;
ALTER TABLE observations ADD COLUMN row_no INTEGER;
