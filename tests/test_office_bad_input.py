"""Office files that cannot be read get one line, exit code 1 and leave the warehouse as it was:
legacy binaries, damaged, password-protected, without KPI tables, and hostile ones (a zip bomb, XML
entity expansion, a table repeated without end), refused before they cost memory or time."""
from __future__ import annotations

import io
import zipfile

import pytest
from test_bad_input import assert_one_line, db, write  # noqa: F401 (db: the fixture)

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>",
}
ODT_CONTENT = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
               "<office:body><office:text>{}</office:text></office:body></office:document-content>")


def package(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def docx(body: str | bytes) -> bytes:
    document = body if isinstance(body, bytes) else f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return package({**DOCX_PARTS, "word/document.xml": document})


def odt(text: str, manifest: str = "") -> bytes:
    return package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": ODT_CONTENT.format(text),
                    **({"META-INF/manifest.xml": manifest} if manifest else {})})


def bomb() -> bytes:
    """A .docx whose 3 KB of document.xml unpack to 65 MB, past the 64 MB a part may have."""
    body = b" " * (65 * 2**20)
    document = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode() + body + b"</w:body></w:document>"
    return docx(document)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahahahahahahaha">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + f']><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>'
).encode()
ENCRYPTED_MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
    '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/></manifest:file-entry></manifest:manifest>'
)
CASES = {
    "legacy.doc": (lambda: OLE + bytes(4096),
                   "legacy binary .doc file; convert it to .docx or .odt first, e.g. `soffice --headless --convert-to docx legacy.doc`"),
    "legacy.ppt": (lambda: OLE + bytes(4096),
                   "legacy binary .ppt file; convert it to .pptx or .odp first, e.g. `soffice --headless --convert-to pptx legacy.ppt`"),
    # what Word and PowerPoint save with a password: a compound file holding EncryptionInfo and EncryptedPackage
    "locked.docx": (lambda: OLE + bytes(1000) + "EncryptionInfo".encode("utf-16-le") + bytes(1000),
                    "Word file is password-protected; save a copy without the password and read that"),
    "locked.odt": (lambda: odt("<text:p>x</text:p>", ENCRYPTED_MANIFEST),
                   "ODF file is password-protected; save a copy without the password and read that"),
    "empty.docx": (lambda: b"", "file is empty"),
    "text.pptx": (lambda: "不是簡報".encode(), "not a PowerPoint file (not a zip package); it is damaged or another kind of file"),
    "cut.docx": (lambda: docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>")[:-40],
                 "Word file is damaged (File is not a zip file); save or download it again"),
    "cover.docx": (lambda: docx("<w:p><w:r><w:t>臺北市政府施政報告</w:t></w:r></w:p>"), "no KPI scorecard tables found"),
    "cover.odt": (lambda: odt("<text:p>臺北市政府施政報告</text:p>"), "no KPI scorecard tables found"),
    "bomb.docx": (bomb, "refused: its part word/document.xml unpacks to more than 64 MB (a zip bomb?)"),
    "laughs.docx": (lambda: docx(LAUGHS),
                    "refused: its part word/document.xml declares a DTD (XML entities), which office files never do"),
    "endless.odt": (lambda: odt('<table:table><table:table-row table:number-rows-repeated="1000000000">'
                                "<table:table-cell/></table:table-row></table:table>"),
                    "refused: a table row or cell repeated 1000000000 times (absurd for a report)"),
    "wide.odt": (lambda: odt('<table:table><table:table-row><table:table-cell table:number-columns-spanned="1000" '
                             'table:number-columns-repeated="1000"/><table:table-cell/></table:table-row></table:table>'),
                 "refused: a table of more than 1,000,000 cells (absurd for a report)"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_office_file_is_one_line_and_leaves_the_warehouse_as_it_was(tmp_path, db, name):  # noqa: F811
    make, message = CASES[name]
    assert_one_line(write(tmp_path, name, make()), message, db)
