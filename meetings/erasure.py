"""This app's part of erasing a member (community.erasure): registered in MeetingsConfig.ready().

An adult's emerging issues and case studies stay, signed "Former member"; a minor's are deleted
with their files. Either way the person's answers, attendance, time zone and calendar feed go,
and the download log keeps the downloads but no longer names them.
"""

from django.db import transaction

from community.erasure import FORMER_MEMBER_NAME

from . import files
from .models import CaseStudy, EmergingIssue, FileDownload, MeetingPreferences, MeetingRecord, Rsvp, StoredFile


def erase_meetings_data(user, *, delete_content: bool) -> None:
    MeetingPreferences.objects.filter(user=user).delete()
    Rsvp.objects.filter(user=user).delete()
    MeetingRecord.attendees.through.objects.filter(user=user).delete()
    FileDownload.objects.filter(user=user).update(user_name=FORMER_MEMBER_NAME)
    CaseStudy.all_objects.filter(decided_by=user).update(decided_by_name=FORMER_MEMBER_NAME)
    issues = EmergingIssue.objects.filter(author=user)
    case_studies = CaseStudy.all_objects.filter(author=user)
    if not delete_content:
        issues.update(author_name=FORMER_MEMBER_NAME)
        case_studies.update(author_name=FORMER_MEMBER_NAME)
        return
    stored_names = list(StoredFile.objects.filter(case_study__in=case_studies).values_list("stored_name", flat=True))
    issues.delete()
    case_studies.delete()
    # The files go once the rows are gone for good.
    transaction.on_commit(lambda: [files.discard(name) for name in stored_names])
