"""Small PDFs cut from the bundled report for the bad-input and fuzz tests, made with pypdf."""
from __future__ import annotations

import io
import re

import pypdf
import pypdfium2
from conftest import REPORT_PDF
from pypdf.constants import ImageType


def pages_pdf(pages: list[int], password: str | None = None) -> bytes:
    """The report's given 1-based pages as a PDF of their own, encrypted (AES-256) with a password."""
    reader = pypdf.PdfReader(REPORT_PDF)
    writer = pypdf.PdfWriter()
    for number in pages:
        writer.add_page(reader.pages[number - 1])
    if password:
        writer.encrypt(user_password=password, algorithm="AES-256")
    return to_bytes(writer)


def lean_page_pdf(page: int) -> bytes:
    """One page without images or embedded font programs (text extraction needs neither): a few
    dozen KB instead of 1.6 MB, so that mutations hit the structure and the page content. Its
    content stays compressed, as the report has it."""
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(REPORT_PDF).pages[page - 1])
    writer.remove_images(ImageType.XOBJECT_IMAGES | ImageType.INLINE_IMAGES)  # keeps the ruling lines
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/FontDescriptor"].get_object()
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            descriptor.pop(key, None)
    writer.pages[0].compress_content_streams()
    writer.compress_identical_objects()  # drops the objects nothing refers to any more
    return to_bytes(writer)


def scanned_pdf(page: int) -> bytes:
    """The page as a scanner makes it: an image, no text."""
    image = pypdfium2.PdfDocument(REPORT_PDF)[page - 1].render(scale=1).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=72)
    return buffer.getvalue()


def to_bytes(writer: pypdf.PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def content_stream_start(data: bytes, page: int = 1) -> int:
    """Offset of a page's content stream data in a PDF written by to_bytes."""
    number = pypdf.PdfReader(io.BytesIO(data)).pages[page - 1].raw_get("/Contents").idnum
    match = re.compile(rb"\b%d 0 obj\s*<<.*?>>\s*stream\r?\n" % number, re.S).search(data)
    assert match, "content stream not found"
    return match.end()


def corrupted(data: bytes, page: int = 1) -> bytes:
    """Bytes zeroed in the middle of a page's compressed content, as a bad disk or copy leaves it."""
    at = content_stream_start(data, page) + 500
    return data[:at] + bytes(16) + data[at + 16 :]


def without_to_unicode(pages: list[int]) -> bytes:
    """The report's given pages with every font's ToUnicode map removed: a text layer that names no
    character (pdfminer gives (cid:N)), as some producers write it."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pages_pdf(pages))))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font.get_object().pop("/ToUnicode", None)
    return to_bytes(writer)
