"""A second reading of a text line, by PP-OCR's recognition model (RapidOCR ships it, on ONNX Runtime).

Tesseract's chi_tra misreads some ideographs with full confidence and without the printed one
among its alternatives (暨 → 監, 崙 → 岩, 晝 → 書, 毒 → 壽); PP-OCR, trained on far more Chinese
print, reads them. It reads the line's pixels alone (recognition without its text detection: the
line is already cut out of its cell) and gives each character its confidence, so that
extract/ocr.py can take its ideographs, and the marks Tesseract lost or misread, where it is sure
of them (ocr._second_reading).
"""
from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import onnxruntime  # noqa: F401  # RapidOCR's engine here; imported so that its absence is named (ocr_missing)
from rapidocr import RapidOCR


@cache
def engine() -> RapidOCR:
    """RapidOCR's recognition, in one thread: pages are read in parallel by processes (--jobs)."""
    return RapidOCR(params={
        "Global.log_level": "error", "Global.return_word_box": True, "Global.return_single_char_box": True,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1, "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def read_line(pixels: np.ndarray) -> list[tuple[str, float]]:
    """A line's characters (grey pixels, dark ink on white), spaces included, each with its confidence."""
    result: Any = engine()(pixels, use_det=False, use_cls=False, use_rec=True)  # recognition alone gives a TextRecOutput
    if not result.txts or not result.word_results:
        return []
    text, confidences = result.txts[0], result.word_results[0].confs
    # a character without its own confidence is none PP-OCR is sure of
    return list(zip(text, confidences, strict=True)) if len(text) == len(confidences) else [(ch, 0.0) for ch in text]

