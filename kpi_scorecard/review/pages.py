"""PDF pages → small images with the detected table cells drawn over them, as data: URIs."""
from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable
from pathlib import Path

from PIL import Image

from kpi_scorecard.extract.pdf import open_pdf, page_tables
from kpi_scorecard.extract.settings import PdfSettings

RESOLUTION = 72  # enough to read a printed number against the table; keeps a 50-page report light
CELL_STROKE = (220, 30, 30)
CELL_FILL = (255, 200, 0, 40)


def pdf_pages_to_images(
    path: Path,
    pages: Iterable[int],
    settings: PdfSettings = PdfSettings(),
    on_page: Callable[[int], None] | None = None,
) -> dict[int, str]:
    """1-based page number → PNG data: URI of the page with every table cell the extractor saw outlined."""
    images: dict[int, str] = {}
    with open_pdf(path, settings.password) as pdf:
        for number in sorted(set(pages)):
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1]
            drawn = page.to_image(resolution=RESOLUTION)
            tables = page_tables(page, settings)  # type: ignore[arg-type]  # a pdfplumber Page has PageContent's fields
            cells = [cell for table in tables for row in table.rows for cell in row.cells if cell]
            drawn.draw_rects(cells, stroke=CELL_STROKE, fill=CELL_FILL, stroke_width=1)
            images[number] = image_to_data_uri(drawn.annotated)
            page.close()
            if on_page:
                on_page(number)
    return images


CELL_RESOLUTION = 150  # a recognised cell as the reader sees it, beside the text read from it


def cell_images(path: Path, cells: Iterable[tuple[int, tuple]], password: str | None = None) -> dict[tuple[int, tuple], str]:
    """(page, bbox in points) → PNG data: URI of that part of the page, for the cells OCR read."""
    import pypdfium2 as pdfium

    images: dict[tuple[int, tuple], str] = {}
    document = pdfium.PdfDocument(str(path), password=password or None)
    try:
        for number, box in sorted(set(cells)):
            page = document[number - 1]
            width, height = page.get_size()
            x0, top, x1, bottom = box
            # crop: points cut off the left, bottom, right and top edges
            bitmap = page.render(scale=CELL_RESOLUTION / 72, crop=(x0, height - bottom, width - x1, top))
            images[(number, box)] = image_to_data_uri(bitmap.to_pil())
            page.close()
    finally:
        document.close()
    return images


def image_to_data_uri(image: Image.Image) -> str:
    """A PIL image → data:image/png;base64,…; 64 colours keep printed text sharp at a third of the size."""
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
