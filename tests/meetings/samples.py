"""Small files built in memory for the upload tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_bytes(*, author: str = "Maria Papadopoulou", javascript: str | None = None,
              launch: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Creator": "Counsellor laptop", "/Title": "Case notes"})
    if javascript:
        writer.add_js(javascript)
    if launch:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject(launch)})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def jpeg_with_exif(*, artist: str = "Maria Papadopoulou") -> bytes:
    image = Image.new("RGB", (32, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 90, 200)).save(output, format="PNG")
    return output.getvalue()


DOCX_CORE = (b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
             b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
             b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Maria Papadopoulou</dc:creator>'
             b'<cp:lastModifiedBy>Giorgos Nikolaou</cp:lastModifiedBy></cp:coreProperties>')
DOCX_APP = (b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/extended-properties"><Company>Hellenic Helpline</Company></Properties>')


def docx_bytes(*, extra: dict | None = None, entries: dict | None = None) -> bytes:
    parts = entries if entries is not None else {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document>Hello</w:document>',
        "docProps/core.xml": DOCX_CORE,
        "docProps/app.xml": DOCX_APP,
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**parts, **(extra or {})}.items():
            archive.writestr(name, data)
    return output.getvalue()


def odt_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", b'<office:document-meta><office:meta><meta:initial-creator>Maria Papadopoulou'
                                     b'</meta:initial-creator></office:meta></office:document-meta>',
                         compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


def docx_with_symlink() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        link = zipfile.ZipInfo("word/media/link.png")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, b"/etc/passwd")
    return output.getvalue()
