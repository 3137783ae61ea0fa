"""Issue 6 target: every rejected case-study file is refused in under a second.

Run: .venv/bin/python bench/meetings_file_rejections.py   (exit status 1 when a case is too slow)
Builds hostile files at the size limit and times meetings.files.check_and_clean on each.
"""

import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from meetings import files  # noqa: E402

LIMIT = files.max_upload_bytes()
TARGET_SECONDS = 1.0


def _zip(entries: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return output.getvalue()


def _pdf_of_empty_objects(count: int) -> bytes:
    """A well-formed PDF whose cross-reference table lists `count` empty objects."""
    output = io.BytesIO()
    output.write(b"%PDF-1.7\n")
    offsets = []
    for number in range(1, count + 1):
        offsets.append(output.tell())
        body = b"<< /Type /Catalog >>" if number == 1 else b"<< >>"
        output.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1))
    output.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    output.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count + 1, table))
    return output.getvalue()


def cases():
    docx = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    yield "renamed executable (20 MB)", "report.pdf", b"MZ" + os.urandom(LIMIT - 2)
    yield "oversized file", "big.pdf", b"%PDF-1.7\n" + b"0" * LIMIT
    yield "zip bomb (200 MB of zeros)", "bomb.docx", _zip({**docx, "word/zeros.xml": b"\0" * 200_000_000})
    yield "1,001 entries", "many.docx", _zip({**docx, **{f"word/p{i}.xml": b"x" for i in range(1001)}})
    yield "200,000 empty entries (17 MB)", "parts.docx", _zip({**docx, **{f"{i}": b"" for i in range(200_000)}},
                                                              compression=zipfile.ZIP_STORED)
    yield "path traversal entry", "evil.docx", _zip({**docx, "../../../etc/cron.d/x": b"x"})
    yield "macros", "macro.docx", _zip({**docx, "word/vbaProject.bin": os.urandom(1024)})
    yield "PDF with an archive appended (20 MB)", "poly.pdf", (
        b"%PDF-1.7\n" + os.urandom(LIMIT - 200_000) + _zip(docx))
    yield "JPEG that is also a PDF", "poly.jpg", b"\xff\xd8\xff\xe0" + b"%PDF-1.7" + os.urandom(1_000_000)
    yield "damaged PDF, no end marker (20 MB)", "broken.pdf", b"%PDF-1.7\n" + os.urandom(LIMIT - 200)
    yield "PDF of 300,000 empty objects (14 MB)", "parts.pdf", _pdf_of_empty_objects(300_000)
    yield "damaged PDF of a million names (20 MB)", "names.pdf", (
        b"%PDF-1.7\n" + b"1 0 obj\n<< /Type /Page >>\nendobj\n" * ((LIMIT - 200) // 36) + b"startxref\n9\n%%EOF\n")


def main() -> int:
    slow = 0
    for label, name, content in cases():
        upload = SimpleUploadedFile(name, content)
        started = time.perf_counter()
        try:
            files.check_and_clean(upload)
            outcome = "ACCEPTED (unexpected)"
            slow += 1
        except ValidationError as error:
            outcome = error.messages[0][:70]
        elapsed = time.perf_counter() - started
        if elapsed >= TARGET_SECONDS:
            slow += 1
        print(f"{elapsed * 1000:8.1f} ms  {label:40} {outcome}")
    print("OK" if not slow else f"{slow} case(s) failed the {TARGET_SECONDS:.0f} s target")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
