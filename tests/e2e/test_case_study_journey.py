"""Journey 4: a helpline member shares a case study with a PDF, a network coordinator approves it,
another helpline member downloads the PDF; a hotline-only member finds neither the case study nor
its file (404, as if they did not exist)."""

import io
import re
import time

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import HELPLINE_MEMBER, HOTLINE_MEMBER, NETWORK_COORDINATOR, ORG_ADMIN
from .layout import assert_good_page
from .locators import card_titled

PDF_TEXT = "Anonymised contact log, week 46"
PDF_AUTHOR = "Counsellor Full Name"


def small_pdf(text: str, author: str) -> bytes:
    """A valid one-page PDF showing `text`, with `author` in its information dictionary."""
    content = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Author (%s) >>" % author.encode("latin-1"),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(pdf)


def test_a_case_study_pdf_reaches_helplines_once_approved_and_never_hotline_staff(page_as):
    title = f"Sextortion through a gaming voice chat {time.strftime('%H%M%S')}"
    file_name = "contact-log-week-46.pdf"
    upload = small_pdf(PDF_TEXT, PDF_AUTHOR)

    author = page_as(HELPLINE_MEMBER)
    author.goto("/")
    author.get_by_role("navigation", name="Main").get_by_role("link", name="Case studies").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Helpline case studies")
    assert_good_page(author, "journey4-case-studies")
    author.get_by_role("link", name="Share a case study").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Share a case study")
    assert_good_page(author, "journey4-share-case-study")
    author.get_by_label("Title").fill(title)
    author.get_by_label("Summary").fill("A 15-year-old was threatened after a voice chat in a game.")
    author.get_by_label("Anonymised narrative").fill(
        "The young person met the offender in a game's voice chat and moved to a messaging app, "
        "where the threats started within a day.")
    author.get_by_label("Sextortion", exact=True).check()
    author.get_by_label("Gaming", exact=True).check()
    author.get_by_label("Age of the young person").select_option(label="13–15")
    author.get_by_label("Contact channel").select_option(label="Chat")
    author.get_by_label("Outcome").fill("Reported to the platform; the account was removed in two days.")
    author.get_by_label("Lessons learned").fill("Ask early which platform the contact moved to.")
    author.get_by_label("Files:", exact=True).set_input_files(
        {"name": file_name, "mimeType": "application/pdf", "buffer": upload}
    )
    for confirmation in ("Names, nicknames and usernames are removed", "Email addresses, phone numbers",
                         "Schools, towns and other details", "Screenshots and files show nothing"):
        author.get_by_label(re.compile(re.escape(confirmation))).check()
    author.get_by_role("button", name="Submit for review").click()

    expect(author.get_by_role("heading", level=1)).to_have_text(title)
    expect(author.get_by_role("status")).to_contain_text("A network coordinator will review your case study")
    expect(author.get_by_role("main")).to_contain_text("a network coordinator reviews it before the network sees it")
    assert_good_page(author, "journey4-case-study-pending")
    case_study_url = author.url

    # Before the decision the network does not see it.
    colleague = page_as(ORG_ADMIN)
    response = colleague.goto(case_study_url)
    assert response.status == 404, response.status

    coordinator = page_as(NETWORK_COORDINATOR)
    coordinator.goto("/meetings/case-studies/")
    coordinator.get_by_role("link", name="Review waiting case studies").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Case studies to review")
    waiting = card_titled(coordinator, title)
    expect(waiting).to_contain_text("1 file")
    assert_good_page(coordinator, "journey4-case-study-review")
    waiting.get_by_label("Publish to the network").check()
    waiting.get_by_role("button", name="Save decision").click()
    expect(coordinator.get_by_role("status")).to_contain_text("Decision saved and the author told.")
    expect(coordinator.get_by_role("heading", level=2, name=title, exact=True)).to_have_count(0)

    colleague.goto("/meetings/case-studies/")
    colleague.get_by_role("link", name=title).click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text(title)
    assert_good_page(colleague, "journey4-case-study")
    file_link = colleague.get_by_role("region", name="Files").get_by_role("link", name=file_name)
    with colleague.expect_download() as download_info:
        file_link.click()
    download = download_info.value
    assert download.suggested_filename == file_name
    downloaded = download.path().read_bytes()
    assert downloaded.startswith(b"%PDF-")
    pdf = PdfReader(io.BytesIO(downloaded))
    assert len(pdf.pages) == 1
    assert PDF_TEXT in pdf.pages[0].extract_text()
    # The upload is cleaned: the author's name in the file's metadata does not travel.
    assert PDF_AUTHOR.encode() not in downloaded
    file_url = file_link.get_attribute("href")

    hotline = page_as(HOTLINE_MEMBER)
    for url in (case_study_url, file_url):
        response = hotline.goto(url)
        assert response.status == 404, f"{url} answered {response.status} to a hotline-only member"
    hotline.goto("/meetings/case-studies/")
    expect(hotline.get_by_role("link", name=title)).to_have_count(0)
