"""Helpline case studies: the upload window, checked files, review before the network sees them."""

import uuid

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import CaseStudy, FileDownload, StoredFile, Topic
from moderation.models import ModerationItem, ModerationState
from tests.factories import make_member, make_organisation

from . import samples


@pytest.fixture
def uploads_open(network_coordinator):
    services.set_upload_window(actor=network_coordinator, is_open=True)


def _form_data(**overrides):
    data = {
        "title": "Sextortion through a gaming platform",
        "summary": "A 14-year-old was threatened after sharing images.",
        "narrative_source": "The young person contacted us by **chat**.",
        "topics": [Topic.objects.get(slug="sextortion").pk],
        "age_band": "13_15",
        "contact_channel": "chat",
        "outcome": "Reported to the platform; the account was removed.",
        "lessons_learned": "Act fast.",
        "confirm_names_removed": "on",
        "confirm_contacts_removed": "on",
        "confirm_places_removed": "on",
        "confirm_files_checked": "on",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _submit(client, **overrides):
    return client.post(reverse("meetings:case_study_new"), _form_data(**overrides))


@pytest.mark.django_db
def test_while_uploads_are_closed_the_form_is_not_reachable_and_explains_why(client_for, member, network_coordinator):
    services.set_upload_window(actor=network_coordinator, is_open=False,
                               closed_message="Uploads open on 1 February, after the trial.")
    client = client_for(member)
    page = client.get(reverse("meetings:case_study_new"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Uploads open on 1 February, after the trial." in content
    assert 'name="narrative_source"' not in content
    assert _submit(client).status_code == 200
    assert not CaseStudy.all_objects.exists()


@pytest.mark.django_db
def test_uploads_close_by_themselves_after_the_last_day_the_coordinators_set(client_for, member,
                                                                              network_coordinator):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    client_for(network_coordinator).post(reverse("meetings:upload_window"), {
        "is_open": "on", "closes_on": today.isoformat(), "closed_message": "Uploads open again in spring."})
    client = client_for(member)
    assert 'name="narrative_source"' in client.get(reverse("meetings:case_study_new")).content.decode()

    services.set_upload_window(actor=network_coordinator, is_open=True, closes_on=today - timedelta(days=1),
                               closed_message="Uploads open again in spring.")

    assert not services.case_study_uploads_open()
    content = client.get(reverse("meetings:case_study_new")).content.decode()
    assert "Uploads open again in spring." in content and 'name="narrative_source"' not in content
    assert _submit(client).status_code == 200
    assert not CaseStudy.all_objects.exists()


@pytest.mark.django_db
def test_only_coordinators_open_or_close_uploads(client_for, member, network_coordinator):
    assert client_for(member).post(reverse("meetings:upload_window"), {"is_open": "on"}).status_code == 403
    assert not services.case_study_uploads_open()
    client_for(network_coordinator).post(reverse("meetings:upload_window"), {"is_open": "on", "closed_message": ""})
    assert services.case_study_uploads_open()


@pytest.mark.django_db
def test_a_case_study_waits_for_a_network_coordinator_before_the_network_sees_it(
        client_for, member, org_admin, network_coordinator, moderator, uploads_open,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client_for(member), attachments=[samples.upload("notes.pdf", samples.pdf_bytes())])
    case_study = CaseStudy.all_objects.get()
    assert response["Location"] == reverse("meetings:case_study_detail", args=[case_study.pk])
    assert case_study.moderation_state == ModerationState.PENDING
    assert "<strong>chat</strong>" in case_study.narrative_html
    detail = reverse("meetings:case_study_detail", args=[case_study.pk])
    assert client_for(org_admin).get(detail).status_code == 404
    assert client_for(member).get(detail).status_code == 200  # the author sees their own
    assert client_for(moderator).post(reverse("meetings:case_study_decide", args=[case_study.pk]),
                                      {"decision": "approve"}).status_code == 403

    client_for(network_coordinator).post(reverse("meetings:case_study_decide", args=[case_study.pk]),
                                         {"decision": "approve"})
    case_study.refresh_from_db()
    assert case_study.moderation_state == ModerationState.APPROVED
    # The decision went through the shared moderation queue, which keeps the audit trail.
    item = ModerationItem.objects.get(object_id=case_study.pk)
    assert (item.status, item.decision, item.decided_by) == ("decided", "approved", network_coordinator)
    assert client_for(org_admin).get(detail).status_code == 200
    listing = client_for(org_admin).get(reverse("meetings:case_study_list")).content.decode()
    assert case_study.title in listing


@pytest.mark.django_db
def test_a_double_submit_creates_one_case_study_and_one_stored_file(client_for, member, uploads_open, settings):
    client = client_for(member)
    data = _form_data()
    first = client.post(reverse("meetings:case_study_new"),
                        {**data, "attachments": [samples.upload("a.pdf", samples.pdf_bytes())]})
    second = client.post(reverse("meetings:case_study_new"),
                         {**data, "attachments": [samples.upload("a.pdf", samples.pdf_bytes())]})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CaseStudy.all_objects.count() == 1
    assert StoredFile.objects.count() == 1
    assert len(list((settings.PRIVATE_MEDIA_ROOT / "meetings").iterdir())) == 1


@pytest.mark.django_db
def test_a_rejected_file_gets_a_clear_message_and_the_form_keeps_what_was_typed(client_for, member, uploads_open):
    response = _submit(client_for(member), title="Kept title",
                       attachments=[samples.upload("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert response.status_code == 200
    content = response.content.decode()
    assert "is not a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file" in content
    assert 'value="Kept title"' in content
    assert "The young person contacted us by **chat**." in content
    assert not CaseStudy.all_objects.exists() and not StoredFile.objects.exists()


@pytest.mark.django_db
def test_likely_personal_data_is_pointed_out_before_submitting(client_for, member, uploads_open):
    client = client_for(member)
    response = _submit(client, narrative_source="Maria Papadopoulou, 14, from Athens Primary School wrote to "
                                                "maria@example.gr and gave +30 210 123 4567.")
    content = response.content.decode()
    assert response.status_code == 200
    for what in ["an email address", "a phone number", "a full name next to an age", "the name of a school"]:
        assert what in content
    assert not CaseStudy.all_objects.exists()
    confirmed = _submit(client, narrative_source="Maria Papadopoulou, 14, wrote to us.", acknowledge_warnings="on")
    assert confirmed.status_code == 302
    assert CaseStudy.all_objects.count() == 1


@pytest.mark.django_db
def test_the_anonymisation_checklist_must_be_confirmed(client_for, member, uploads_open):
    response = _submit(client_for(member), confirm_places_removed="")
    assert response.status_code == 200
    assert not CaseStudy.all_objects.exists()


@pytest.mark.django_db
def test_members_who_are_not_helpline_staff_cannot_submit_or_browse(client_for, uploads_open):
    awareness = make_member(organisation=make_organisation(country_code="IE", services_codes=("awareness",)),
                            services_codes=("awareness",))
    client = client_for(awareness)
    assert client.get(reverse("meetings:case_study_new")).status_code == 403
    assert client.get(reverse("meetings:case_study_list")).status_code == 403


def _approved_case_study(author, coordinator, *, hotline_only=False, files=()):
    case_study, _created = services.submit_case_study(
        actor=author, case_study=CaseStudy(title="Case", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat", hotline_only=hotline_only),
        topics=Topic.objects.filter(slug="grooming"), attachments=list(files), submission_token=uuid.uuid4())
    services.decide_case_study(actor=coordinator, case_study=case_study, approve=True)
    return case_study


@pytest.mark.django_db
def test_hotline_only_case_studies_are_for_hotline_staff_and_coordinators(client_for, member, org_admin,
                                                                         hotline_analyst, network_coordinator,
                                                                         uploads_open):
    case_study = _approved_case_study(member, network_coordinator, hotline_only=True)
    url = reverse("meetings:case_study_detail", args=[case_study.pk])
    assert client_for(org_admin).get(url).status_code == 404
    assert client_for(hotline_analyst).get(url).status_code == 200
    assert client_for(network_coordinator).get(url).status_code == 200


@pytest.mark.django_db
def test_downloads_are_permission_checked_logged_and_sent_with_safe_headers(
        client_for, member, org_admin, youth_panellist, network_coordinator, uploads_open):
    clean = samples.upload("../../Case notes.pdf", samples.pdf_bytes())
    from meetings import files

    case_study = _approved_case_study(member, network_coordinator, files=[files.check_and_clean(clean)])
    stored = case_study.files.get()
    url = reverse("meetings:download_file", args=[stored.public_id])
    assert url.startswith("/meetings/files/")

    response = client_for(org_admin).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Case notes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    log = FileDownload.objects.get()
    assert (log.user, log.file) == (org_admin, stored)

    assert client_for(youth_panellist).get(url).status_code == 404
    assert FileDownload.objects.count() == 1


@pytest.mark.django_db
def test_files_of_a_pending_case_study_are_not_downloadable_by_the_network(client_for, member, org_admin,
                                                                           uploads_open):
    from meetings import files

    case_study, _created = services.submit_case_study(
        actor=member, case_study=CaseStudy(title="Held", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat"),
        topics=Topic.objects.filter(slug="grooming"), submission_token=uuid.uuid4(),
        attachments=[files.check_and_clean(samples.upload("a.pdf", samples.pdf_bytes(javascript="app.alert(1)")))])
    assert any("JavaScript" in reason for reason in case_study.hold_reasons)
    url = reverse("meetings:download_file", args=[case_study.files.get().public_id])
    assert client_for(org_admin).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 200


@pytest.mark.django_db
def test_record_documents_are_only_for_the_records_audience(client_for, member, awareness_member,
                                                            network_coordinator, helpline_series):
    from datetime import timedelta

    from django.utils import timezone

    from meetings import files

    from .conftest import make_meeting

    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=2))
    record = services.record_for_editing(actor=network_coordinator, meeting=meeting)
    services.save_record(actor=network_coordinator, record=record,
                         documents=[files.check_and_clean(samples.upload("report.docx", samples.docx_bytes()))])
    url = reverse("meetings:download_file", args=[record.files.get().public_id])
    assert client_for(member).get(url).status_code == 404  # not published yet
    services.publish_record(actor=network_coordinator, record=record)
    assert client_for(member).get(url).status_code == 200
    assert client_for(awareness_member).get(url).status_code == 404


@pytest.mark.django_db
def test_a_pdf_with_scripts_is_held_even_when_a_coordinator_shares_it(client_for, member, network_coordinator,
                                                                      uploads_open):
    from meetings import files

    def share(title, attachment):
        case_study, _created = services.submit_case_study(
            actor=network_coordinator, case_study=CaseStudy(title=title, summary="S", narrative_source="N",
                                                            age_band="13_15", contact_channel="chat"),
            topics=Topic.objects.filter(slug="grooming"), submission_token=uuid.uuid4(),
            attachments=[files.check_and_clean(samples.upload("a.pdf", attachment))])
        return reverse("meetings:download_file", args=[case_study.files.get().public_id])

    plain = share("Plain", samples.pdf_bytes())
    scripted = share("Scripted", samples.pdf_bytes(javascript="app.alert(1)"))
    assert client_for(member).get(plain).status_code == 200
    assert client_for(member).get(scripted).status_code == 404
    assert CaseStudy.all_objects.get(title="Scripted").moderation_state == ModerationState.PENDING
    review = client_for(network_coordinator).get(reverse("meetings:case_study_review")).content.decode()
    assert "Scripted" in review and "JavaScript" in review


@pytest.mark.django_db
def test_the_meeting_a_case_was_presented_at_is_linked_only_for_its_audience(client_for, member, hotline_analyst,
                                                                             network_coordinator, helpline_meeting,
                                                                             uploads_open):
    case_study = _approved_case_study(member, network_coordinator, hotline_only=True)
    CaseStudy.all_objects.filter(pk=case_study.pk).update(meeting=helpline_meeting)
    meeting_url = reverse("meetings:meeting_detail", args=[helpline_meeting.pk])
    url = reverse("meetings:case_study_detail", args=[case_study.pk])
    assert meeting_url in client_for(network_coordinator).get(url).content.decode()
    hotline_page = client_for(hotline_analyst).get(url)
    assert hotline_page.status_code == 200
    assert meeting_url not in hotline_page.content.decode()


@pytest.mark.django_db
def test_the_reviewer_sees_only_what_calls_for_a_closer_look(client_for, member, network_coordinator, uploads_open):
    from moderation import services as moderation_services

    moderation_services.add_blocked_phrase(actor=network_coordinator, language="en", phrase="send nudes")

    def submit(title, narrative):
        return services.submit_case_study(
            actor=member, case_study=CaseStudy(title=title, summary="S", narrative_source=narrative,
                                               age_band="13_15", contact_channel="chat"),
            topics=Topic.objects.filter(slug="grooming"), submission_token=uuid.uuid4(), attachments=[])[0]

    plain = submit("Plain", "A boy was contacted in a game.")
    flagged = submit("Flagged", "The stranger wrote: send nudes or else.")
    assert plain.moderation_state == flagged.moderation_state == ModerationState.PENDING
    assert plain.hold_reasons == []
    page = client_for(network_coordinator).get(reverse("meetings:case_study_review")).content.decode()
    # Every case study waits for this reviewer: the space's policy sentence would be noise.
    assert "reads every post before it appears" not in page
    assert page.count("word or phrase on our review list") == 1
