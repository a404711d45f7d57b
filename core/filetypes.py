"""What a file is, judged by its content, never by its name: the few document and image types
people attach as evidence.

A handful of lines instead of libmagic (python-magic needs the C library): each accepted type
has a signature at the start of the file, and the office formats, which are all ZIP archives,
are told apart by the entries the standards require inside them.
"""

import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


TYPES = {
    PDF: FileType(PDF, "pdf"),
    PNG: FileType(PNG, "png"),
    JPEG: FileType(JPEG, "jpg"),
    DOCX: FileType(DOCX, "docx"),
    XLSX: FileType(XLSX, "xlsx"),
    ODT: FileType(ODT, "odt"),
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
MIMETYPE_MAX_BYTES = 100  # ODF's "mimetype" entry holds only the media type


def _office_type(file) -> str | None:
    """DOCX, XLSX or ODT by the entries of the ZIP archive (its central directory only, and
    ODF's tiny "mimetype" entry: nothing else is decompressed)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                return None
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(MIMETYPE_MAX_BYTES).strip()
                return ODT if declared == ODT.encode() else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    return None


def detect(file) -> FileType | None:
    """The accepted type of a binary file object (read from its start, left at its start), or
    None for anything else: a program renamed to .pdf is None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    content_type = None
    if head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(PNG_SIGNATURE):
        content_type = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif head.startswith(ZIP_SIGNATURE):
        content_type = _office_type(file)
        file.seek(0)
    return TYPES.get(content_type)
