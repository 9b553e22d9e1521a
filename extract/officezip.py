"""An office file's zip package, opened defensively: its parts read within fixed limits, its XML
parsed without DTDs or entities, and every way it can be unreadable named in one line.

DOCX, PPTX, ODT and ODP are zip packages of XML parts. A zip's sizes are the file's own word, so
each part is read through a bounded stream (a zip bomb stops at the limit, whatever its header
says), and the parts read together have a budget. Office XML never declares a DTD: one that does
is refused before anything in it is expanded.
"""
from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from kpi_scorecard.extract.errors import DamagedOffice, EncryptedOffice, LegacyOffice

# A report's largest part is a few MB of XML (report-110: document.xml 0.26 MB, content.xml 0.41 MB); these leave room for
# far larger ones and still bound memory and time (64 MB of XML parse in about a second).
PART_LIMIT = 64 * 1024 * 1024
READ_LIMIT = 128 * 1024 * 1024  # all parts read from one file together
MEMBER_LIMIT = 20_000
CHUNK = 1 << 20
CELL_LIMIT = 1_000_000  # a report's largest table has a few hundred  # entries in the zip's directory

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: legacy .doc/.ppt, or an encrypted OOXML
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML keeps its key data in
LEGACY = (".doc", ".ppt", ".dot", ".pps", ".pot")
DECKS = (".ppt", ".pps", ".pot", ".pptx", ".odp")
KIND = {".docx": "Word", ".pptx": "PowerPoint", ".odt": "ODF text", ".odp": "ODF presentation"}

DOCTYPE_MARKS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)


class OfficePackage:
    """The parts of one office file, each read and parsed at most once."""

    def __init__(self, path: Path):
        self.path = path
        refuse_unzippable(path)
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
            raise DamagedOffice(path, f"{_kind(path)} file is damaged ({_detail(e)}); save or download it again") from None
        if len(self.names) > MEMBER_LIMIT:
            raise DamagedOffice(path, f"refused: {len(self.names)} entries in its zip package (a real one has under {MEMBER_LIMIT})")
        self.read_so_far = 0

    def __enter__(self) -> OfficePackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A part's bytes, never more than PART_LIMIT (nor READ_LIMIT for all parts together)."""
        if name not in self.names:
            raise DamagedOffice(self.path, f"{_kind(self.path)} file is damaged (its part {name} is missing); save it again")
        limit = min(PART_LIMIT, READ_LIMIT - self.read_so_far)
        try:
            chunks, size = [], 0
            with self.zip.open(name) as f:  # a chunk at a time: a bomb costs no more than the limit
                while size <= limit and (chunk := f.read(CHUNK)):
                    chunks.append(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
            # RuntimeError: a member zip itself marks as encrypted
            raise DamagedOffice(self.path, f"{_kind(self.path)} file is damaged ({name}: {_detail(e)}); save it again") from None
        if size > limit:
            raise DamagedOffice(self.path, f"refused: its part {name} unpacks to more than {limit // 2**20} MB (a zip bomb?)")
        self.read_so_far += size
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        """A part parsed as XML: no DTD, no entity expanded, nothing fetched."""
        data = self.read(name)
        head = data[:65536]
        if any(mark in head for mark in DOCTYPE_MARKS):
            raise DamagedOffice(self.path, f"refused: its part {name} declares a DTD (XML entities), which office files never do")
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as e:
            raise DamagedOffice(self.path, f"{_kind(self.path)} file is damaged ({name}: {_detail(e)}); save it again") from None
        doctype = root.getroottree().docinfo
        if doctype.internalDTD is not None or doctype.doctype:
            raise DamagedOffice(self.path, f"refused: its part {name} declares a DTD (XML entities), which office files never do")
        return root

    def main_part(self) -> str:
        """OOXML: the name of the package's main part (word/document.xml, ppt/presentation.xml)."""
        main = next((target for kind, target in self.relationships("").values() if kind == "officeDocument"), None)
        if main is None:
            raise DamagedOffice(self.path, f"{_kind(self.path)} file is damaged (no main part); save it again")
        return main

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """OOXML: the part `source`'s relationships, id → (type's last word, target part name), in order."""
        source_path = PurePosixPath(source)
        rels_name = resolve(source_path.parent, f"_rels/{source_path.name}.rels")
        if not self.has(rels_name):
            return {}
        return {
            rel.get("Id"): (rel.get("Type", "").rsplit("/", 1)[-1], resolve(source_path.parent, rel.get("Target", "")))
            for rel in self.xml(rels_name)
            if rel.get("TargetMode") != "External"
        }


class Cells:
    """A table's cells as a reader lays them out, counted: a table of more than CELL_LIMIT (spans
    and repeats unrolled) is refused before it is built."""

    def __init__(self, path: Path):
        self.path, self.left = path, CELL_LIMIT

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise DamagedOffice(self.path, f"refused: a table of more than {CELL_LIMIT:,} cells (absurd for a report)")

    def grid(self, rows: list[list[str | None]]) -> list[list[str | None]]:
        """The rows padded to the widest with empty cells (what a short row leaves unprinted)."""
        width = max(map(len, rows), default=0)
        self.take(width * len(rows) - sum(map(len, rows)))
        return [row + [""] * (width - len(row)) for row in rows]


def resolve(base: PurePosixPath, target: str) -> str:
    """A relationship's target as a part name ("../slides/slide1.xml" from ppt/ → ppt/slides/slide1.xml)."""
    parts: list[str] = [] if target.startswith("/") else [p for p in base.parts if p not in ("", ".")]
    for piece in target.lstrip("/").split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def refuse_unzippable(path: Path) -> None:
    """One line for a file that is not a zip package at all: empty, legacy binary, encrypted, other."""
    size = path.stat().st_size
    if size == 0:
        raise DamagedOffice(path, "file is empty")
    with path.open("rb") as f:
        head = f.read(8)
    legacy = path.suffix.lower() in LEGACY
    if head == OLE_SIGNATURE and not legacy and _contains(path, ENCRYPTION_STREAM):
        raise EncryptedOffice(path, f"{_kind(path)} file is password-protected; save a copy without the password and read that")
    if head == OLE_SIGNATURE or legacy:
        target, odf = ("pptx", "odp") if path.suffix.lower() in DECKS else ("docx", "odt")
        raise LegacyOffice(
            path,
            f"legacy binary {path.suffix.lower() or 'Office'} file; convert it to .{target} or .{odf} first, "
            f"e.g. `soffice --headless --convert-to {target} {path.name}`",
        )
    if not head.startswith(b"PK"):
        raise DamagedOffice(path, f"not a {_kind(path)} file (not a zip package); it is damaged or another kind of file")


def _contains(path: Path, needle: bytes, chunk: int = 1 << 20) -> bool:
    """Whether the file's bytes contain needle, read a chunk at a time (fixed memory)."""
    tail = b""
    with path.open("rb") as f:
        while block := f.read(chunk):
            if needle in tail + block:
                return True
            tail = block[-len(needle):]
    return False


def local_name(element_or_tag) -> str:
    """An element's (or a tag's) name without its namespace: "tc" for {…/main}tc."""
    tag = element_or_tag if isinstance(element_or_tag, str) else element_or_tag.tag
    return tag[tag.index("}") + 1 :] if isinstance(tag, str) and tag.startswith("{") else str(tag)


def _kind(path: Path) -> str:
    return KIND.get(path.suffix.lower(), "office")


def _detail(error: Exception) -> str:
    return " ".join(str(error).split())[:80] or type(error).__name__
