"""A KYC upload is parsed as what it claims to be, not only sniffed (issue 18, finding 15).

PDFs open with pypdf and have a page; images decode with Pillow within a pixel budget; DOCX
files are checked as archives (entries, their total size after decompression and their ratio
bounded, the Word parts present, the XML well-formed without entities); and nothing rides along
after the document's own end (polyglots: a PDF, JPEG or PNG with an archive or a page appended,
or a file whose bytes also hold an archive or HTML).
"""

import io
import re
import zipfile

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_PIXELS = 50_000_000  # a 7,000 x 7,000 scan; a decompression bomb is far larger
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100  # a bomb compresses thousands of times; Word's XML about 5-20
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
_WEB_PAGE = re.compile(rb"<(?:!doctype\s+html|html|script|svg|iframe)\b", re.I)


class DocumentRefused(Exception):
    """The bytes are not a sound document of the claimed type; the message says why."""


def check_document(extension: str, fileobj) -> None:
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    {".pdf": _check_pdf, ".jpg": _check_image, ".png": _check_image, ".docx": _check_docx,
     ".doc": _check_doc}[extension](data, fileobj, extension)


def _foreign_content(data: bytes) -> None:
    # An archive is recognised by its end record (what zip readers look for), not by a local
    # header's four bytes, which compressed image data holds by chance now and then.
    if _WEB_PAGE.search(data) or zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentRefused("the file also carries an archive or a web page; upload the "
                              "document alone")


def _check_pdf(data: bytes, fileobj, extension) -> None:
    if not data.startswith(b"%PDF-"):
        raise DocumentRefused("the file does not start as a PDF does")
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5:].strip():
        raise DocumentRefused("there is data after the end of the PDF")
    _foreign_content(data)
    try:
        reader = PdfReader(fileobj, strict=False)
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DocumentRefused(f"the PDF cannot be read ({type(exc).__name__})") from exc
    if pages < 1:
        raise DocumentRefused("the PDF has no page")


_IMAGE_END = {".png": b"IEND\xaeB`\x82", ".jpg": b"\xff\xd9"}


def _check_image(data: bytes, fileobj, extension) -> None:
    end = data.rfind(_IMAGE_END[extension])
    if end < 0 or data[end + len(_IMAGE_END[extension]):].strip(b"\x00 \r\n\t"):
        raise DocumentRefused("there is data after the end of the image")
    _foreign_content(data)
    try:
        with Image.open(fileobj) as image:
            if image.format != {".png": "PNG", ".jpg": "JPEG"}[extension]:
                raise DocumentRefused("the image is not the format its name says")
            if image.width * image.height > MAX_PIXELS:
                raise DocumentRefused("the image is too large in pixels")
            image.verify()
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.load()
    except DocumentRefused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DocumentRefused(f"the image cannot be read ({type(exc).__name__})") from exc
    finally:
        fileobj.seek(0)


def _check_docx(data: bytes, fileobj, extension) -> None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise DocumentRefused("the document has too many parts")
            total = sum(entry.file_size for entry in entries)
            if total > MAX_UNCOMPRESSED:
                raise DocumentRefused("the document is too large once decompressed")
            for entry in entries:
                if entry.file_size > MAX_RATIO * max(entry.compress_size, 1024):
                    raise DocumentRefused("the document is compressed suspiciously well "
                                          "(a zip bomb?)")
                if entry.filename.startswith("/") or ".." in entry.filename.split("/"):
                    raise DocumentRefused("the document has a part outside itself")
            names = {entry.filename for entry in entries}
            if not all(part in names for part in DOCX_PARTS):
                raise DocumentRefused("the archive is not a Word document")
            for part in DOCX_PARTS:
                # Reads at most the declared size (bounded above), checking the CRC.
                ElementTree.fromstring(archive.read(part), forbid_dtd=True)
    except DocumentRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError,
            DefusedXmlException, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise DocumentRefused(f"the Word document cannot be read ({type(exc).__name__})") from exc
    finally:
        fileobj.seek(0)
    leading = data.find(b"PK\x03\x04")
    if leading != 0:
        raise DocumentRefused("the file does not start as a Word document does")


def _check_doc(data: bytes, fileobj, extension) -> None:
    # Old Word files (OLE2) are sniffed by their signature; nothing in them runs when downloaded
    # as an attachment, but an appended archive or page is refused as for the rest.
    _foreign_content(data)
