"""Damage that pdfminer reads past without a word: a page whose compressed content fails its checksum.

pdfminer then keeps whatever decompresses before the damage, so the page loses text silently (all
of it, and the PDF passes for a scan). zlib's Adler-32 checksum tells a damaged stream for sure.
"""
from __future__ import annotations

import zlib

from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfplumber.page import Page


def has_damaged_content(page: Page) -> bool:
    """Whether the page's content is missing or a Flate-compressed part of it does not decompress whole.

    Call it before the page is read: pdfminer drops a stream's raw bytes once it has decoded them."""
    for ref in page.page_obj.contents:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            return True  # the page's content is not where its reference points
        if stream.rawdata is None:
            continue
        filters = stream.get_filters()
        if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            continue
        data = stream.rawdata
        if stream.decipher and stream.objid is not None and stream.genno is not None:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        try:
            zlib.decompress(data)
        except zlib.error:
            return True
    return False
