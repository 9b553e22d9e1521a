"""Named errors for input that cannot be read; the CLI prints them as one line."""
from __future__ import annotations


class InputError(Exception):
    """The input document cannot be read as a scorecard report."""

    def __init__(self, path: object, message: str):
        self.path, self.message = path, message
        super().__init__(f"{getattr(path, 'name', path)}: {message}")

    def __reduce__(self):  # a page-reading process sends it back pickled: rebuilt from its arguments
        return type(self), (self.path, self.message)


class NotAPdf(InputError):
    """The file is empty or not a PDF at all."""


class DamagedPdf(InputError):
    """The file is a PDF, but truncated or with corrupted data."""


class EncryptedPdf(InputError):
    """The PDF is encrypted and no (or a wrong) password was given."""


class NoTextLayer(InputError):
    """The PDF has pages but no extractable text (a scan)."""


class UnreadableText(InputError):
    """A text dump is not valid UTF-8 text."""


class DamagedOffice(InputError):
    """An office file (.docx, .odt, .pptx, .odp) that is damaged, not a zip package, or hostile."""


class EncryptedOffice(InputError):
    """An office file protected with a password."""


class LegacyOffice(InputError):
    """A legacy binary .doc or .ppt, which must be converted to .docx/.odt or .pptx/.odp first."""
