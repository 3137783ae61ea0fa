from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import (
    CaseStudy,
    CaseStudyUploadWindow,
    EmergingIssue,
    FileDownload,
    Meeting,
    MeetingRecord,
    MeetingSeries,
    NetworkDate,
    StoredFile,
    Topic,
)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(GuardedModelAdmin):
    list_display = ["title", "kind", "owner", "weekday", "local_time", "time_zone"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "starts_at", "time_zone", "status"]
    list_filter = ["series", "status"]
    readonly_fields = ["agenda_html", "day_reminder_sent_at", "hour_reminder_sent_at"]


@admin.register(MeetingRecord)
class MeetingRecordAdmin(admin.ModelAdmin):
    list_display = ["meeting", "published_at"]
    readonly_fields = ["report_html"]


@admin.register(EmergingIssue)
class EmergingIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "country", "author_name", "created_at"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "moderation_state", "created_at"]
    list_filter = ["moderation_state"]
    readonly_fields = ["narrative_html"]


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["stored_name", "sha256", "public_id"]


@admin.register(FileDownload)
class FileDownloadAdmin(admin.ModelAdmin):
    list_display = ["file", "user_name", "downloaded_at"]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(NetworkDate)
admin.site.register(Topic)
admin.site.register(CaseStudyUploadWindow)
