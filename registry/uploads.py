"""What an uploaded file really is, judged by its content — never by the name the browser sent.

Every upload field in the project, admin and portal, model and form, goes through one
:class:`UploadValidator` (``kinds``, ``max_bytes``): the bytes must be one of the accepted kinds, recognised by
their magic bytes and structure, so an HTML page or SVG renamed ``.pdf`` is refused with a message naming the
field. Every xlsx import also asks :func:`check_xlsx` before a spreadsheet library opens the file.
"""

import codecs
import io
import posixpath
import re
import zipfile
import zlib
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from filetype.types.document import Doc, Xls

MB = 1024 * 1024

#: kind → (file extension, content type, label shown to users)
FILE_KINDS = {
    "pdf": ("pdf", "application/pdf", "PDF"),
    "jpeg": ("jpg", "image/jpeg", "JPG"),
    "png": ("png", "image/png", "PNG"),
    "gif": ("gif", "image/gif", "GIF"),
    "webp": ("webp", "image/webp", "WebP"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (.xlsx)"),
    "xls": ("xls", "application/vnd.ms-excel", "Excel (.xls)"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)"),
    "doc": ("doc", "application/msword", "Word (.doc)"),
    "zip": ("zip", "application/zip", "ZIP"),
    "csv": ("csv", "text/csv", "CSV"),
}
#: Scans and photographs of paper documents (stamped forms, licences, certificates).
SCANS = ("pdf", "jpeg", "png")
#: Pictures published on the site (Wagtail images).
IMAGES = ("jpeg", "png", "gif", "webp")
#: Documents published on the site (Wagtail documents; WAGTAILDOCS_EXTENSIONS names the same kinds).
DOCUMENTS = ("pdf", "docx", "doc", "xlsx", "xls", "zip", "jpeg", "png")

MAGIC = {
    "pdf": re.compile(rb"%PDF-"),
    "jpeg": re.compile(rb"\xff\xd8\xff"),
    "png": re.compile(rb"\x89PNG\r\n\x1a\n"),
    "gif": re.compile(rb"GIF8[79]a"),
    "webp": re.compile(rb"RIFF....WEBP", re.DOTALL),
}
OOXML_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
OLE_MATCHERS = {"xls": Xls(), "doc": Doc()}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What a browser would render as a page: refused as CSV even though it is text.
MARKUP = re.compile(rb"^\s*<", re.ASCII)
TEXT_SAMPLE = 64 * 1024


def read(file, size=-1):
    """Up to ``size`` bytes from the start of ``file`` (an upload, a field file or bytes); its position is kept."""
    if isinstance(file, bytes):
        return file if size < 0 else file[:size]
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(size)
    file.seek(position)
    return data


def is_zip_with(file, part):
    """Whether ``file`` is a zip archive holding ``part`` (any archive when ``part`` is ``None``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(read(file))) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return False
    return part is None or ("[Content_Types].xml" in names and part in names)


def is_text(sample, complete):
    """Plain text (UTF-8 or GB18030, as Excel on Chinese Windows saves CSV) that no browser reads as markup."""
    if b"\x00" in sample or MARKUP.match(sample.removeprefix(codecs.BOM_UTF8)):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return True
    return False


def detect(file, kinds=tuple(FILE_KINDS)):
    """The first of ``kinds`` the content of ``file`` is, else ``None``; the file position is kept."""
    head = read(file, TEXT_SAMPLE + 1)
    for kind in kinds:
        if kind in MAGIC:
            found = MAGIC[kind].match(head) is not None
        elif kind in OOXML_MAIN_PART or kind == "zip":
            found = head.startswith(ZIP_MAGIC) and is_zip_with(file, OOXML_MAIN_PART.get(kind))
        elif kind in OLE_MATCHERS:
            found = head.startswith(OLE_MAGIC) and OLE_MATCHERS[kind].match(bytearray(head[:4096]))
        else:
            found = is_text(head[:TEXT_SAMPLE], complete=len(head) <= TEXT_SAMPLE)
        if found:
            return kind
    return None


@deconstructible
class UploadValidator:
    """Accept a file of at most ``max_bytes`` whose content is one of ``kinds``; anything else is refused.

    A model field's validator names the field in its message; a form field passes ``label``. A file already
    stored (an unchanged field on a later save) was checked when it was uploaded and is not read again.
    """

    def __init__(self, kinds=SCANS, max_bytes=10 * MB, label=None):
        unknown = set(kinds) - set(FILE_KINDS)
        if unknown:
            raise ValueError(f"unknown file kinds: {sorted(unknown)}")
        self.kinds, self.max_bytes, self.label = tuple(kinds), max_bytes, label

    def __call__(self, file):
        if getattr(file, "_committed", False):
            return
        field = self.label or getattr(getattr(file, "field", None), "verbose_name", None) or _("Uploaded file")
        if file.size > self.max_bytes:
            raise ValidationError(
                _("“%(field)s” must not exceed %(limit)s MB; the file sent is %(size).1f MB."),
                code="file_too_large",
                params={"field": field, "limit": f"{self.max_bytes / MB:g}", "size": file.size / MB},
            )
        if detect(file, self.kinds) is None:
            raise ValidationError(
                _(
                    "“%(field)s” must be a %(kinds)s file; the content of the file sent is none of these "
                    "(renaming a file does not change what it is)."
                ),
                code="file_type",
                params={"field": field, "kinds": self.kinds_label},
            )

    @property
    def kinds_label(self):
        return "/".join(dict.fromkeys(FILE_KINDS[kind][2] for kind in self.kinds))

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes, self.label) == (
            other.kinds,
            other.max_bytes,
            other.label,
        )


# --- xlsx bombs -------------------------------------------------------------------------------------------------

#: A filled 5,000-row officer template unpacks to 6.9 MB in 13 members, no part compressed more than 14:1, and
#: passes in about 0.13 s (tests/registry/test_uploads.py); the limits leave ample room for genuine workbooks.
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_UNPACKED = 50 * MB
XLSX_MAX_SHARED_STRINGS = 20 * MB
XLSX_MAX_RATIO = 100
XLSX_RATIO_CHECKED_FROM = 1 * MB
XLSX_MAX_COLUMNS = 100
#: Rows a sheet may use above its data rows (header, the template's example row).
XLSX_HEADER_ROWS = 10

CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")
PLAIN_CELL_REFERENCE = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
PREFIXED_CELL_OR_ROW = re.compile(rb":(?:c|row)[\s/>]")
UNREADABLE = (zipfile.BadZipFile, zlib.error, expat.ExpatError, EOFError, KeyError, ValueError, NotImplementedError)


def check_xlsx(file, max_rows=5000):
    """Refuse an xlsx upload that would explode when opened, before openpyxl or calamine parse it.

    ``file`` is an uploaded file or the workbook's bytes; raises ``ValidationError`` with a bilingual message.
    The zip's declared sizes are trusted because both Python's zipfile and calamine stop reading a member at
    its declared size. The first sheet is searched for cells with content out of bounds: calamine allocates a
    dense grid spanning all such cells, so values at A1 and XFD1048576 in a 5 KB file abort the process (a
    512 GB allocation), while a huge ``<dimension>`` tag over a few real rows costs nothing and passes.
    """
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            check_members(archive.infolist())
            check_cells(archive, first_sheet(archive), max_rows + XLSX_HEADER_ROWS, max_rows)
    except UNREADABLE as error:
        raise ValidationError(
            _("The file is not a valid Excel workbook (.xlsx)"),
            code="xlsx_unreadable",
        ) from error
    finally:
        stream.seek(position)


def check_members(members):
    if len(members) > XLSX_MAX_MEMBERS:
        raise ValidationError(
            _("The workbook holds %(count)d internal files, more than the limit of %(limit)d; it looks crafted"),
            code="xlsx_members",
            params={"count": len(members), "limit": XLSX_MAX_MEMBERS},
        )
    for member in members:
        if member.filename == "xl/sharedStrings.xml" and member.file_size > XLSX_MAX_SHARED_STRINGS:
            raise ValidationError(
                _(
                    "The workbook's text table (sharedStrings.xml) unpacks to %(size).1f MB, "
                    "more than the limit of %(limit)d MB"
                ),
                code="xlsx_shared_strings",
                params={"size": member.file_size / MB, "limit": XLSX_MAX_SHARED_STRINGS // MB},
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > XLSX_RATIO_CHECKED_FROM and ratio > XLSX_MAX_RATIO:
            raise ValidationError(
                _("“%(name)s” in the workbook is compressed %(ratio)d:1 (limit %(limit)d:1), the mark of a zip bomb"),
                code="xlsx_ratio",
                params={"name": member.filename, "ratio": ratio, "limit": XLSX_MAX_RATIO},
            )
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNPACKED:
        raise ValidationError(
            _(
                "The workbook unpacks to %(size).1f MB, more than the limit of %(limit)d MB; "
                "remove unneeded content or split the file"
            ),
            code="xlsx_unpacked",
            params={"size": unpacked / MB, "limit": XLSX_MAX_UNPACKED // MB},
        )


def xml_parser(start):
    """An expat parser that refuses DTDs (no entity expansion) and reports tags without namespace prefixes."""

    def refuse_dtd(*args):
        raise ValueError("DTD in an xlsx part")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.StartElementHandler = lambda tag, attributes: start(tag[tag.find(":") + 1 :], attributes)
    return parser


class Found(Exception):
    """Stops a parse once the wanted tag was seen."""


def find_tag(archive, name, wanted, accept=lambda attributes: True):
    """Attributes of the first ``wanted`` tag in part ``name`` for which ``accept(attributes)`` is true."""

    def start(tag, attributes):
        if tag == wanted and accept(attributes):
            raise Found(attributes)

    try:
        xml_parser(start).Parse(archive.read(name), True)
    except Found as found:
        return found.args[0]
    raise KeyError(wanted)


def first_sheet(archive):
    """The part holding the workbook's first sheet, the one calamine and openpyxl import."""
    sheet = find_tag(archive, "xl/workbook.xml", "sheet")
    key = next((value for attribute, value in sheet.items() if attribute.endswith(":id")), None)
    relation = find_tag(archive, "xl/_rels/workbook.xml.rels", "Relationship", lambda a: a.get("Id") == key)
    target = relation["Target"]
    return target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def check_cells(archive, name, last_row, max_rows):
    data = archive.read(name)  # at most XLSX_MAX_UNPACKED, checked before
    if not plainly_within(data, last_row):
        scan_cells(data, last_row, max_rows)


def plainly_within(data, last_row):
    """True when every cell is written ``<c r="B7"`` (as Excel, WPS, LibreOffice and openpyxl write them) and
    none lies beyond the bounds: byte searches take 0.1 s on a 5,000-row sheet that expat needs 0.7 s to parse.
    Anything else (other encodings, namespace prefixes, cells without references, far styled cells) is parsed.
    """
    if b"\x00" in data[:4096] or PREFIXED_CELL_OR_ROW.search(data):
        return False
    references = PLAIN_CELL_REFERENCE.findall(data)
    if len(references) != sum(data.count(b"<c" + after) for after in (b" ", b"\t", b"\n", b"\r", b"/", b">")):
        return False
    return not references or (
        max(map(int, (row for _letters, row in references))) <= last_row
        and max(column_number(letters.decode()) for letters in {letters for letters, _row in references})
        <= XLSX_MAX_COLUMNS
    )


def scan_cells(data, last_row, max_rows):
    """Refuse the sheet at its first cell holding content (a value, formula or inline text) out of bounds.

    A cell's position is its ``r`` reference, else the next column of the current row, as calamine reads it;
    its content is the element right after its start tag (a cell's children come first, in that order).
    """
    state = {"row": 0, "column": 0, "cell": None}

    def start(tag, attributes):
        cell, state["cell"] = state["cell"], None
        if tag == "row":
            state["row"] = int(attributes.get("r") or state["row"] + 1)
            state["column"] = 0
        elif tag == "c":
            reference = attributes.get("r")
            if reference is None:
                state["column"] += 1
            else:
                match = CELL_REFERENCE.fullmatch(reference)
                if match is None:
                    raise ValueError(f"cell reference {reference!r}")
                state["column"], state["row"] = column_number(match[1]), int(match[2])
            state["cell"] = (state["row"], state["column"])
        elif tag in ("v", "f", "is") and cell:
            refuse_cell(*cell, last_row, max_rows)

    xml_parser(start).Parse(data, True)


def refuse_cell(row, column, last_row, max_rows):
    if row > last_row:
        raise ValidationError(
            _(
                "Row %(row)d of the first sheet holds data, beyond the limit of %(limit)d rows a file; "
                "delete the extra rows or split the file"
            ),
            code="xlsx_rows",
            params={"row": row, "limit": max_rows},
        )
    if column > XLSX_MAX_COLUMNS:
        raise ValidationError(
            _("Column %(column)s of the first sheet holds data; a sheet may use %(limit)d columns"),
            code="xlsx_columns",
            params={"column": column_letters(column), "limit": XLSX_MAX_COLUMNS},
        )
