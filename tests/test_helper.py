"""The helper process's loop (extract/helper.py) and its page reader (extract/pdf.py's
_read_in_helper), run in this process: what a helper answers, in order, and the document it keeps
open between pages."""
from __future__ import annotations

import io
import math
import pickle
import subprocess
import sys
from pathlib import Path

from conftest import REPORT_PDF

from kpi_scorecard.extract import pdf
from kpi_scorecard.extract.helper import serve
from kpi_scorecard.extract.settings import PdfSettings


class Unpicklable(Exception):
    def __init__(self):
        super().__init__("no pickle")
        self.how = lambda: None  # a lambda does not pickle


def unpicklable(number: int) -> None:
    raise Unpicklable()


def test_serve_answers_each_request_in_order(tmp_path, monkeypatch):
    """Each request (read, page number, position) answered ("done", position, read(number)) or
    ("error", position, the exception); an exception that does not pickle as its type's name and
    words; the loop ends with its input. Nothing but answers reaches the output."""
    requests = b"".join(pickle.dumps(r) for r in [(str, 7, 0), (math.sqrt, -1, 5), (unpicklable, 3, 2), (abs, -4, 9)])
    out = tmp_path / "answers"
    with out.open("wb") as answers:
        monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BytesIO(requests)})())
        monkeypatch.setattr(sys, "stdout", answers)
        serve()
        answers.write(b"after serve: not an answer")  # its file now goes nowhere
        answers.flush()
    stream = io.BytesIO(out.read_bytes())
    got = []
    while stream.tell() < len(stream.getvalue()):
        got.append(pickle.load(stream))
    assert [(kind, position) for kind, position, _ in got] == [("done", 0), ("error", 5), ("error", 2), ("done", 9)]
    assert (got[0][2], got[3][2]) == ("7", 4)
    assert (type(got[1][2]), got[1][2].args) == (ValueError, ("math domain error",))
    assert (type(got[2][2]), got[2][2].args) == (RuntimeError, ("Unpicklable: no pickle",))


def test_a_helper_keeps_its_document_open_for_the_next_page(monkeypatch):
    """The same file (path, size and time) read with the same settings: one PdfPages for all its
    pages; another file, or other settings, closes it and opens anew."""
    opened, closed = [], []

    class Pages:
        def __init__(self, path, settings):
            opened.append((path, settings))

        def read(self, number):
            return [f"page {number} of {len(opened)}"], True

        def close(self):
            closed.append(len(opened))

    monkeypatch.setattr(pdf, "PdfPages", Pages)
    monkeypatch.setattr(pdf, "_helper_document", [])
    stamp, settings = pdf._stamp(REPORT_PDF), PdfSettings()
    assert pdf._read_in_helper(REPORT_PDF, stamp, settings, 3) == (["page 3 of 1"], True)
    assert pdf._read_in_helper(REPORT_PDF, stamp, settings, 4) == (["page 4 of 1"], True)
    assert (opened, closed) == ([(REPORT_PDF, settings)], [])
    other = PdfSettings(reader="pdfminer")
    assert pdf._read_in_helper(REPORT_PDF, stamp, other, 5) == (["page 5 of 2"], True)
    assert pdf._read_in_helper(REPORT_PDF, (1, 2), other, 6) == (["page 6 of 3"], True)  # the file changed
    assert (opened[1:], closed) == ([(REPORT_PDF, other), (REPORT_PDF, other)], [1, 2])
    assert len(pdf._helper_document) == 1
    size = REPORT_PDF.stat().st_size
    assert stamp == (size, REPORT_PDF.stat().st_mtime_ns) and size > 1_000_000


def test_the_collector_is_set_in_our_processes_only():
    """The CLI's process (as a helper's) collects young objects once 10,000 more are alive, not
    Python's 700; reading through the library leaves its caller's collector as it was."""
    script = "\n".join([
        "import gc, sys",
        "from pathlib import Path",
        "from kpi_scorecard.extract.pdf import pdf_to_blocks",
        "from kpi_scorecard.command import main",
        f"pdf_to_blocks(Path({str(REPORT_PDF)!r}), pages=[1])",
        "print(gc.get_threshold())",
        "try:",
        "    main(['--version'])",
        "except SystemExit:",
        "    pass",
        "print(gc.get_threshold(), file=sys.stderr)",
    ])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    assert done.stdout.splitlines()[0] == "(700, 10, 10)"
    assert done.stderr.splitlines()[-1] == "(10000, 10, 10)"
