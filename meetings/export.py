"""This app's section of a member's personal-data export: only rows they wrote or that concern them."""

from .models import ActionItem, CaseStudy, EmergingIssue, FileDownload, MeetingPreferences, Rsvp


def personal_data_of(user) -> dict:
    preferences = MeetingPreferences.objects.filter(user=user).first()
    return {
        "time_zone": preferences.time_zone if preferences else "",
        "calendar_feed_active": bool(preferences and preferences.calendar_token_hash),
        "rsvps": list(Rsvp.objects.filter(user=user).values("meeting__title", "meeting__starts_at", "response",
                                                             "updated_at")),
        "emerging_issues": [
            {"meeting": issue.meeting.title, "title": issue.title, "description": issue.description_source,
             "country": issue.country.code, "platforms": issue.platforms,
             "topics": [topic.slug for topic in issue.topics.all()],
             "may_share_outside_network": issue.may_share_outside_network, "created_at": issue.created_at}
            for issue in EmergingIssue.objects.filter(author=user).select_related("meeting", "country")
            .prefetch_related("topics")
        ],
        "case_studies": [
            {"title": study.title, "summary": study.summary, "narrative": study.narrative_source,
             "outcome": study.outcome, "lessons_learned": study.lessons_learned, "state": study.moderation_state,
             "created_at": study.created_at, "files": [f.original_name for f in study.files.all()]}
            for study in CaseStudy.all_objects.filter(author=user).prefetch_related("files")
        ],
        "action_items": list(ActionItem.objects.filter(owner=user).values("description", "due_on", "done_at",
                                                                           "record__meeting__title")),
        "meetings_attended": list(user.attended_meeting_records.values("meeting__title", "meeting__starts_at")),
        "file_downloads": list(FileDownload.objects.filter(user=user).values("file__original_name",
                                                                              "downloaded_at")),
    }
