-- A deck's stated achieved/missed counts are reconciled by the deck's own rule: a KPI whose
-- 目標達成度 (scores.achievement) reaches 100 % is achieved, one below it missed (ACHIEVED_AT in
-- normalize/records.py). What kpi_history's value rule counted before is kept as by_values.
ALTER TABLE reconciliation ADD COLUMN by_values INTEGER;
UPDATE reconciliation AS r SET
    by_values = r.counted,
    counted = (
        SELECT count(*) FROM scores AS s JOIN kpis AS k USING (document_id, kpi_code)
        WHERE s.document_id = r.document_id
          AND (s.achievement >= 100) = (r.item = 'achieved')
          AND substr(k.objective_code, 2, 1) = coalesce(CASE
              WHEN starts_with(r.scope, '顧客') THEN 'C' WHEN starts_with(r.scope, '內部') THEN 'P'
              WHEN starts_with(r.scope, '學習') THEN 'L' WHEN starts_with(r.scope, '財務') THEN 'F' END,
              substr(k.objective_code, 2, 1))
    )
WHERE r.scope <> 'theme' AND r.item IN ('achieved', 'missed');
UPDATE reconciliation SET ok = stated = counted
WHERE scope <> 'theme' AND item IN ('achieved', 'missed') AND stated IS NOT NULL;
