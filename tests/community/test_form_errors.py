"""A rejected form says so at its top, where the page opens, and links to each field to correct;
a form that was accepted, or not sent yet, shows no summary."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile


def _summary(page: str) -> str:
    match = re.search(r'<div class="notice error-summary" role="alert">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


def test_a_rejected_form_opens_with_a_summary_linking_to_each_field_in_error(member, client_for):
    not_an_image = SimpleUploadedFile("cover.png", b"plain text", content_type="image/png")
    page = client_for(member).post("/forums/blog/new/", {"title": "", "body": "Kept body",
                                                         "cover_image": not_an_image, "cover_alt": "x"}
                                   ).content.decode()
    summary = _summary(page)
    assert "Please correct the 2 fields marked below:" in summary
    assert re.search(r'<a href="#id_title">Title</a>: This field is required\.', summary)
    assert re.search(r'<a href="#id_cover_image">[^<]+</a>: This file is not an image we can read\.', summary)
    # The summary comes before the fields, and each linked field exists on the page.
    assert page.index("error-summary") < page.index('id="id_title"')
    assert 'id="id_cover_image"' in page and "Kept body" in page


def test_a_form_not_sent_yet_has_no_summary(member, client_for):
    assert "error-summary" not in client_for(member).get("/forums/blog/new/").content.decode()
