"""A scorecard read from a scan against the one read from the same PDF's text layer: KPIs, values
exact, wrong values flagged or silent, fields exact."""
from __future__ import annotations

from dataclasses import dataclass, field

from kpi_scorecard.normalize.records import Scorecard

FIELDS = ("name", "formula", "unit", "direction", "action_plans", "agency", "target_raw", "actual_raw")


@dataclass
class Comparison:
    kpis: int = 0  # reference KPIs
    codes_found: int = 0  # of them, read from the scan under the same code
    extra_codes: list[str] = field(default_factory=list)  # codes the scan gives that the PDF does not
    values: int = 0  # reference target and actual numbers
    values_exact: int = 0
    values_flagged: int = 0  # read as NULL (kind unparsed/compound/…) where the PDF gives a number
    silent_wrong: list[tuple] = field(default_factory=list)  # a number other than the PDF's, not flagged
    fields: int = 0
    fields_exact: int = 0
    differences: list[tuple] = field(default_factory=list)

    def line(self) -> str:
        return (f"KPIs {self.codes_found}/{self.kpis}, values exact {self.values_exact}/{self.values}, "
                f"flagged {self.values_flagged}, silent wrong {len(self.silent_wrong)}, "
                f"fields exact {self.fields_exact}/{self.fields} ({self.fields_exact / max(1, self.fields):.1%})")


def _measures(card: Scorecard) -> dict[tuple[str, int], tuple]:
    return {(k.code, m.measure_no, m.roc_year): (k, m) for k in card.kpis for m in k.measures}


def compare(scan: Scorecard, reference: Scorecard) -> Comparison:
    out = Comparison()
    ref_codes, scan_codes = {k.code for k in reference.kpis}, {k.code for k in scan.kpis}
    out.kpis, out.codes_found = len(ref_codes), len(ref_codes & scan_codes)
    out.extra_codes = sorted(scan_codes - ref_codes)
    read = _measures(scan)
    for key, (kpi, m) in _measures(reference).items():
        got = read.get(key)
        for kind in ("target", "actual"):
            want = getattr(m, kind)
            if want.value is None:
                continue
            out.values += 1
            value = getattr(got[1], kind) if got else None
            if value is not None and value.value == want.value and value.op == want.op:
                out.values_exact += 1
            elif value is None or value.value is None:
                out.values_flagged += 1
            else:
                out.silent_wrong.append((key, kind, want.raw, value.raw))
        for name in FIELDS:
            out.fields += 1
            expected, actual = _field(kpi, m, name), _field(*got, name) if got else None
            if expected == actual:
                out.fields_exact += 1
            else:
                out.differences.append((key, name, expected, actual))
    return out


def _field(kpi, measure, name: str):
    if name == "name":
        return kpi.name
    if name == "action_plans":
        return [str(p) for p in measure.action_plans]
    if name in ("target_raw", "actual_raw"):
        return getattr(measure, name.split("_")[0]).raw
    return getattr(measure, name)
