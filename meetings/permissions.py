"""Every "who may see or do what" of the meetings app, decided here and nowhere else.

A series' audience is role groups holding the guardian object permission `view_meetingseries`,
plus the services listed on the series (matched against the services of the person's approved
membership). Organisers are the owner, anyone holding `manage_meetingseries` on the series and
the network coordinators. The `*_visible_to` querysets are the one definition of visibility:
lists, detail pages, files, calendar feeds, reminders and notifications all go through them.

`can_*` answer for templates; `check_*` raise Http404 where the person may not know the thing
exists and PermissionDenied where they can see it but may not act.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_groups_with_perms, get_objects_for_user, get_users_with_perms

from community.models import Membership, Role, Service
from moderation.models import ModerationState

from .models import CaseStudy, Meeting, MeetingRecord, MeetingSeries, StoredFile

VIEW_SERIES = "meetings.view_meetingseries"
MANAGE_SERIES = "meetings.manage_meetingseries"


def _is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_approved_member)


def _is_coordinator(user) -> bool:
    return _is_member(user) and user.has_role(Role.NETWORK_COORDINATOR)


# --- Series and meetings ------------------------------------------------------------------

def series_visible_to(user):
    if not _is_member(user):
        return MeetingSeries.objects.none()
    if _is_coordinator(user):
        return MeetingSeries.objects.all()
    granted = get_objects_for_user(
        user, [VIEW_SERIES, MANAGE_SERIES], klass=MeetingSeries, any_perm=True, accept_global_perms=False,
        with_superuser=False,
    )
    return MeetingSeries.objects.filter(
        Q(pk__in=granted.values("pk"))
        | Q(owner=user)
        | Q(pk__in=MeetingSeries.objects.filter(audience_services__code__in=user.service_codes).values("pk"))
    )


def audience_of(series: MeetingSeries):
    """The people a series is for (its owner included): who is reminded and told of records.
    Network coordinators can open every series but are not its audience unless named in it."""
    groups = [group for group, perms in get_groups_with_perms(series, attach_perms=True).items()
              if "view_meetingseries" in perms]
    approved = Membership.objects.filter(status=Membership.Status.APPROVED)
    in_services = approved.filter(services__in=series.audience_services.all()).values("user_id")
    now = timezone.now()
    return (
        get_user_model().objects.filter(is_active=True, pk__in=approved.values("user_id"))
        .filter(Q(groups__in=groups) | Q(pk__in=in_services) | Q(pk=series.owner_id))
        .exclude(Q(suspended_at__isnull=False) & (Q(suspended_until__isnull=True) | Q(suspended_until__gt=now)))
        .distinct()
    )


def co_organisers_of(series: MeetingSeries):
    """The people holding `manage_meetingseries` on the series itself (the owner aside)."""
    granted = get_users_with_perms(series, only_with_perms_in=["manage_meetingseries"], with_group_users=False,
                                   with_superusers=False)
    return get_user_model().objects.filter(pk__in=granted.values("pk")).exclude(pk=series.owner_id)


def organisers_of(series: MeetingSeries):
    """The owner and the people holding `manage_meetingseries` on the series (not every
    network coordinator: they organise when they choose to)."""
    granted = get_users_with_perms(series, only_with_perms_in=["manage_meetingseries"], with_group_users=False,
                                   with_superusers=False)
    return get_user_model().objects.filter(Q(pk__in=granted.values("pk")) | Q(pk=series.owner_id), is_active=True)


def series_managed_by(user):
    if not _is_member(user):
        return MeetingSeries.objects.none()
    if _is_coordinator(user):
        return MeetingSeries.objects.all()
    granted = get_objects_for_user(user, MANAGE_SERIES, klass=MeetingSeries, accept_global_perms=False,
                                   with_superuser=False, use_groups=False)
    return MeetingSeries.objects.filter(Q(pk__in=granted.values("pk")) | Q(owner=user))


def meetings_visible_to(user):
    return Meeting.objects.filter(series__in=series_visible_to(user))


def can_view_series(user, series: MeetingSeries) -> bool:
    return series_visible_to(user).filter(pk=series.pk).exists()


def check_view_series(user, series: MeetingSeries) -> None:
    if not can_view_series(user, series):
        raise Http404


def can_create_series(user) -> bool:
    return _is_coordinator(user)


def check_create_series(user) -> None:
    if not can_create_series(user):
        raise PermissionDenied


def can_manage_series(user, series: MeetingSeries) -> bool:
    if not _is_member(user):
        return False
    if _is_coordinator(user) or series.owner_id == user.pk:
        return True
    return user.has_perm(MANAGE_SERIES, series)


def check_manage_series(user, series: MeetingSeries) -> None:
    check_view_series(user, series)
    if not can_manage_series(user, series):
        raise PermissionDenied


def can_manage_organisers(user, series: MeetingSeries) -> bool:
    """Choosing co-organisers stays with the owner and the coordination team: a co-organiser
    may run the meetings but not hand the series on."""
    return _is_member(user) and (_is_coordinator(user) or series.owner_id == user.pk)


def check_manage_organisers(user, series: MeetingSeries) -> None:
    check_view_series(user, series)
    if not can_manage_organisers(user, series):
        raise PermissionDenied


def check_view_meeting(user, meeting: Meeting) -> None:
    check_view_series(user, meeting.series)


def can_respond_to_meeting(user, meeting: Meeting) -> bool:
    return not meeting.is_cancelled and not meeting.is_past and can_view_series(user, meeting.series)


def check_respond_to_meeting(user, meeting: Meeting) -> None:
    check_view_meeting(user, meeting)
    if not can_respond_to_meeting(user, meeting):
        raise PermissionDenied


def can_submit_emerging_issue(user, meeting: Meeting) -> bool:
    return can_respond_to_meeting(user, meeting)


def check_submit_emerging_issue(user, meeting: Meeting) -> None:
    check_respond_to_meeting(user, meeting)


# --- Records -------------------------------------------------------------------------------

def can_view_record(user, record: MeetingRecord) -> bool:
    series = record.meeting.series
    if can_manage_series(user, series):
        return True
    return record.is_published and can_view_series(user, series)


def check_view_record(user, record: MeetingRecord) -> None:
    if not can_view_record(user, record):
        raise Http404


# --- Network dates -------------------------------------------------------------------------

def can_manage_network_dates(user) -> bool:
    return _is_coordinator(user)


def check_manage_network_dates(user) -> None:
    if not can_manage_network_dates(user):
        raise PermissionDenied


# --- Trends --------------------------------------------------------------------------------

def can_view_trends(user) -> bool:
    if not _is_member(user):
        return False
    return _is_coordinator(user) or bool({Service.HELPLINE, Service.AWARENESS} & user.service_codes)


def check_view_trends(user) -> None:
    if not can_view_trends(user):
        raise PermissionDenied


# --- Case studies --------------------------------------------------------------------------

def case_studies_visible_to(user):
    """Approved case studies for helpline staff (hotline-only ones for hotline staff); authors see
    their own in any state; network coordinators see all, as they review them."""
    if not _is_member(user):
        return CaseStudy.objects.none()
    if _is_coordinator(user):
        return CaseStudy.all_objects.all()
    codes = user.service_codes
    audience = Q(pk__in=[])
    if Service.HOTLINE in codes:
        audience |= Q(hotline_only=True)
    if Service.HELPLINE in codes:
        audience |= Q(hotline_only=False)
    return CaseStudy.all_objects.filter(Q(author=user) | (Q(moderation_state=ModerationState.APPROVED) & audience))


def can_view_case_study(user, case_study: CaseStudy) -> bool:
    return case_studies_visible_to(user).filter(pk=case_study.pk).exists()


def check_view_case_study(user, case_study: CaseStudy) -> None:
    if not can_view_case_study(user, case_study):
        raise Http404


def can_browse_case_studies(user) -> bool:
    return _is_member(user) and (
        _is_coordinator(user) or bool({Service.HELPLINE, Service.HOTLINE} & user.service_codes)
    )


def check_browse_case_studies(user) -> None:
    if not can_browse_case_studies(user):
        raise PermissionDenied


def can_submit_case_study(user) -> bool:
    """Helpline staff share case studies (the coordination team too). The upload window is a
    separate question: services.case_study_uploads_open()."""
    return _is_member(user) and (_is_coordinator(user) or Service.HELPLINE in user.service_codes)


def check_submit_case_study(user) -> None:
    if not can_submit_case_study(user):
        raise PermissionDenied


def can_review_case_studies(user) -> bool:
    return _is_coordinator(user)


def check_review_case_studies(user) -> None:
    if not can_review_case_studies(user):
        raise PermissionDenied


def can_manage_upload_window(user) -> bool:
    return _is_coordinator(user)


def check_manage_upload_window(user) -> None:
    if not can_manage_upload_window(user):
        raise PermissionDenied


# --- Files ---------------------------------------------------------------------------------

def can_download_file(user, stored_file: StoredFile) -> bool:
    if stored_file.case_study_id is not None:
        return case_studies_visible_to(user).filter(pk=stored_file.case_study_id).exists()
    return can_view_record(user, stored_file.record)


def check_download_file(user, stored_file: StoredFile) -> None:
    if not can_download_file(user, stored_file):
        raise Http404
