"""Scans made from a PDF for the OCR tests: each page rendered at 200 dpi (its text becomes
pixels), optionally blurred, turned by under 1°, speckled and JPEG-compressed, then saved as an
image-only PDF (no text layer), as a scanner hands it over."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

DPI = 200


def make_scan(pdf: Path, out: Path, pages: list[int] | None = None, *, blur: float = 0.0, rotate: float = 0.0,
              noise: float = 0.0, jpeg: int | None = None, seed: int = 110) -> Path:
    """An image-only PDF of the given 1-based pages (all by default) of `pdf`."""
    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(str(pdf))
    images = []
    try:
        for number in pages or range(1, len(document) + 1):
            page = document[number - 1]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            if blur:
                image = image.filter(ImageFilter.GaussianBlur(blur))
            if rotate:
                image = image.rotate(rotate, resample=Image.BICUBIC, expand=False, fillcolor=255)
            if noise:
                pixels = np.asarray(image, dtype=np.int16)
                speckled = pixels + rng.normal(0, noise, pixels.shape)
                image = Image.fromarray(np.clip(speckled, 0, 255).astype(np.uint8))
            if jpeg:
                buffer = io.BytesIO()
                image.save(buffer, "JPEG", quality=jpeg)
                image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
            images.append(image)
    finally:
        document.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return out
