"""Learning resources pinned by coordinators."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from youth_panels import services
from youth_panels.models import YouthResource

pytestmark = pytest.mark.django_db

FORM = {"title": "Spotting deepfakes", "url": "https://www.betterinternetforkids.eu/deepfakes",
        "description": "A *short* guide", "language": "Greek", "age_range": "13-15", "is_pinned": "on"}


def test_a_coordinator_adds_pins_and_removes_a_resource(client_for, youth_coordinator, youth_panellist,
                                                        greek_panel):
    client = client_for(youth_coordinator)
    assert client.post(reverse("youth_panels:resource_new", args=[greek_panel.slug]), FORM).status_code == 302
    resource = YouthResource.objects.get()
    assert resource.is_pinned and resource.description_html == "<p>A <em>short</em> guide</p>"
    page = client_for(youth_panellist).get(greek_panel.get_absolute_url()).content.decode()
    assert "Spotting deepfakes" in page and "13 to 15" in page
    client.post(reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "unpin"})
    resource.refresh_from_db()
    assert not resource.is_pinned
    client.post(reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "remove"})
    assert not YouthResource.objects.exists()


def test_panellists_and_other_panels_cannot_manage_resources(client_for, youth_panellist, youth_coordinator,
                                                             irish_coordinator, greek_panel):
    assert client_for(youth_panellist).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), FORM).status_code == 403
    assert client_for(irish_coordinator).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), FORM).status_code == 404
    resource = services.add_resource(actor=youth_coordinator, panel=greek_panel, title="T",
                                     url="https://example.org/")
    assert client_for(youth_panellist).post(
        reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "remove"}).status_code == 403
    assert client_for(irish_coordinator).post(
        reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "remove"}).status_code == 404
    assert YouthResource.objects.filter(pk=resource.pk).exists()


def test_a_resource_link_must_be_a_web_address(client_for, youth_coordinator, greek_panel):
    response = client_for(youth_coordinator).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), {**FORM, "url": "javascript:alert(1)"})
    assert response.status_code == 200 and "Spotting deepfakes" in response.content.decode()
    assert not YouthResource.objects.exists()


def _docx_by(author: str) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document>Deepfake checklist</document>')
        archive.writestr("docProps/core.xml", f'<?xml version="1.0"?><coreProperties><creator>{author}</creator>'
                                              "</coreProperties>")
    return output.getvalue()


def _pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_coordinator_shares_a_checked_file_that_only_the_space_can_download(
    client_for, youth_coordinator, youth_panellist, irish_panellist, greek_panel, settings,
    django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("../../Checklist (final).docx", _docx_by("Katerina Secret-Surname"))
    response = client_for(youth_coordinator).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), {**FORM, "url": "", "upload": upload})
    assert response.status_code == 302
    resource = YouthResource.objects.get()
    download_url = reverse("youth_panels:resource_file", args=[resource.pk])
    assert download_url in client_for(youth_panellist).get(greek_panel.get_absolute_url()).content.decode()

    response = client_for(youth_panellist).get(download_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment") and "Checklist" in response["Content-Disposition"]
    assert ".." not in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"Deepfake checklist" in archive.read("word/document.xml")
        assert b"Secret-Surname" not in archive.read("docProps/core.xml")
    assert client_for(irish_panellist).get(download_url).status_code == 404

    stored = resource.file.path
    assert stored.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(youth_coordinator).post(reverse("youth_panels:resource_action", args=[resource.pk]),
                                           {"action": "remove"})
    assert not YouthResource.objects.exists() and not os.path.exists(stored)


def test_a_resource_needs_a_link_or_a_file_and_files_are_judged_by_their_content(
    client_for, youth_coordinator, greek_panel
):
    client = client_for(youth_coordinator)
    url = reverse("youth_panels:resource_new", args=[greek_panel.slug])
    page = client.post(url, {**FORM, "url": ""}).content.decode()
    assert "Please give a link, a file, or both." in page
    disguised = SimpleUploadedFile("guide.pdf", b"<html><script>alert(1)</script></html>")
    page = client.post(url, {**FORM, "upload": disguised}).content.decode()
    assert "is not a PDF" in page
    page = client.post(
        url, {**FORM, "upload": SimpleUploadedFile("guide.pdf", _pdf_with_javascript())}
    ).content.decode()
    assert "not shared with young people" in page
    assert not YouthResource.objects.exists()
