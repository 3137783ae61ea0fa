"""Files checked by content, cleaned of metadata, stored privately and served only to those who may see them."""

import io
import time
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader

from meetings import files

from . import samples


def _check(name, content):
    return files.check_and_clean(samples.upload(name, content))


def _refused(name, content) -> str:
    with pytest.raises(ValidationError) as error:
        _check(name, content)
    return " ".join(error.value.messages)


def test_an_executable_renamed_to_pdf_is_refused_by_its_content():
    message = _refused("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode")
    assert "is not a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file" in message


def test_a_file_over_the_configured_limit_is_refused_before_it_is_read(settings):
    settings.MEETINGS_MAX_UPLOAD_BYTES = 1024 * 1024
    message = _refused("big.pdf", samples.pdf_bytes() + b"\n%" + b"x" * (1024 * 1024))
    assert "larger than 1 MB" in message


def test_the_default_limit_is_20_mb():
    assert files.max_upload_bytes() == 20 * 1024 * 1024


def test_a_jpeg_that_is_also_a_pdf_is_refused():
    polyglot = samples.jpeg_with_exif()[:20] + b"%PDF-1.7\n" + samples.jpeg_with_exif()[20:]
    assert "PDF in disguise" in _refused("photo.jpg", polyglot)


def test_a_pdf_with_an_archive_appended_is_refused():
    assert "also contains an archive" in _refused("notes.pdf", samples.pdf_bytes() + samples.docx_bytes())


def test_a_png_carrying_html_is_refused():
    assert "web page or script" in _refused("x.png", samples.png_bytes()[:16] + b"<script>alert(1)</script>")


def test_a_path_traversal_filename_is_reduced_to_a_plain_name():
    clean = _check("../../etc/passwd.pdf", samples.pdf_bytes())
    assert clean.original_name == "passwd.pdf"
    assert _check("..\\..\\Windows\\evil.exe", samples.pdf_bytes()).original_name == "evil.pdf"
    assert _check("\x00\u202ecod.pdf", samples.pdf_bytes()).original_name == "cod.pdf"


def test_a_docx_with_a_traversal_or_absolute_entry_is_refused():
    assert "unsafe path" in _refused("a.docx", samples.docx_bytes(extra={"../../evil.sh": b"x"}))
    assert "unsafe path" in _refused("a.docx", samples.docx_bytes(extra={"/etc/cron.d/x": b"x"}))


def test_a_docx_with_a_symlink_entry_is_refused():
    assert "link to another file" in _refused("a.docx", samples.docx_with_symlink())


def test_a_refusal_names_the_file_it_is_about():
    message = _refused("C:\\Users\\maria\\notes (final).docx", samples.docx_bytes(extra={"word/vbaProject.bin": b"x"}))
    assert message.startswith("notes (final): ")
    assert "macros" in message


def test_a_docx_with_macros_is_refused():
    assert "macros" in _refused("a.docx", samples.docx_bytes(extra={"word/vbaProject.bin": b"\x00" * 64}))


def test_a_zip_bomb_is_refused_from_its_central_directory():
    assert "compressed suspiciously much" in _refused("a.docx", samples.docx_bytes(extra={"word/big.xml":
                                                                                      b"\x00" * 5_000_000}))


def test_a_docx_with_more_than_a_thousand_entries_is_refused():
    many = {f"word/part{i}.xml": b"x" for i in range(1001)}
    assert "too many parts" in _refused("a.docx", samples.docx_bytes(extra=many))


def test_a_docx_that_understates_its_entries_is_still_refused():
    many = {f"word/part{i}.xml": b"x" for i in range(1001)}
    content = bytearray(samples.docx_bytes(extra=many))
    end = content.rfind(b"PK\x05\x06")
    content[end + 8:end + 12] = (3).to_bytes(2, "little") * 2  # "3 entries"
    assert "too many parts" in _refused("a.docx", bytes(content))


def test_a_docx_with_a_huge_central_directory_is_refused_before_it_is_parsed():
    content = bytearray(samples.docx_bytes())
    end = content.rfind(b"PK\x05\x06")
    content[end + 12:end + 16] = (files.MAX_ZIP_DIRECTORY_BYTES + 1).to_bytes(4, "little")
    assert "too many parts" in _refused("a.docx", bytes(content))


def test_a_zip_that_is_not_an_office_document_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    assert "is not a PDF" in _refused("a.docx", output.getvalue())


def test_jpeg_exif_is_stripped():
    clean = _check("photo.jpeg", samples.jpeg_with_exif())
    assert clean.kind == "jpeg" and clean.original_name == "photo.jpg"
    assert b"Maria" not in clean.content
    assert not Image.open(io.BytesIO(clean.content)).getexif()


def test_docx_author_company_and_last_modified_by_are_stripped():
    clean = _check("case.docx", samples.docx_bytes())
    archive = zipfile.ZipFile(io.BytesIO(clean.content))
    properties = archive.read("docProps/core.xml") + archive.read("docProps/app.xml")
    assert b"Maria" not in properties and b"Giorgos" not in properties and b"Hellenic" not in properties
    assert archive.read("word/document.xml") == b'<?xml version="1.0"?><w:document>Hello</w:document>'


def test_odt_metadata_is_stripped_and_the_mimetype_stays_first_and_stored():
    clean = _check("case.odt", samples.odt_bytes())
    archive = zipfile.ZipFile(io.BytesIO(clean.content))
    first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert b"Maria" not in archive.read("meta.xml")
    assert clean.content_type == "application/vnd.oasis.opendocument.text"


def test_pdf_document_information_is_stripped():
    clean = _check("notes.pdf", samples.pdf_bytes())
    assert clean.hold_reasons == []
    metadata = PdfReader(io.BytesIO(clean.content)).metadata
    assert not metadata or "/Author" not in metadata
    assert b"Maria" not in clean.content


def test_a_pdf_with_javascript_is_held_for_review():
    clean = _check("notes.pdf", samples.pdf_bytes(javascript="app.alert('hi');"))
    assert any("JavaScript" in reason for reason in clean.hold_reasons)


def test_a_pdf_with_a_launch_action_is_held_for_review():
    clean = _check("notes.pdf", samples.pdf_bytes(launch="calc.exe"))
    assert any("launch action" in reason for reason in clean.hold_reasons)


def test_a_pdf_name_hidden_with_hex_escapes_is_still_found():
    content = samples.pdf_bytes() + b"\n1 0 obj << /Type /Filespec /EF << /F 2 0 R >> /T /Emb#65ddedFile >>\n"
    clean = _check("notes.pdf", content)
    assert any("embedded files" in reason for reason in clean.hold_reasons)


def test_stored_files_get_random_names_under_private_storage(settings):
    clean = _check("../../secret name.pdf", samples.pdf_bytes())
    stored_name = files.store(clean)
    path = files.private_path(stored_name)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert stored_name.endswith(".pdf") and "secret" not in stored_name
    with pytest.raises(ValueError):
        files.private_path("../../etc/passwd")


def test_a_large_damaged_pdf_is_refused_in_under_a_second():
    # Without its end marker pypdf would read 20 MB backwards line by line: 10 s and more.
    content = b"%PDF-1.7\n" + bytes(range(256)) * (files.max_upload_bytes() // 256 - 1)
    started = time.perf_counter()
    assert "This PDF is damaged" in _refused("scan.pdf", content)
    assert time.perf_counter() - started < 1



def test_an_image_claiming_a_hundred_megapixels_is_refused_before_it_is_decoded():
    content = bytearray(samples.png_bytes())
    ihdr = content.index(b"IHDR")
    content[ihdr + 4:ihdr + 12] = (10_000).to_bytes(4, "big") * 2
    content[ihdr + 17:ihdr + 21] = zlib.crc32(bytes(content[ihdr:ihdr + 17])).to_bytes(4, "big")
    assert "larger than 50 megapixels" in _refused("photo.png", bytes(content))


def test_a_pdf_of_too_many_parts_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(files, "MAX_PDF_OBJECTS", 3)
    assert "made of too many parts (more than 3)" in _refused("report.pdf", samples.pdf_bytes())
    monkeypatch.setattr(files, "MAX_PDF_OBJECTS", 50)
    assert _check("report.pdf", samples.pdf_bytes()).kind == files.PDF
