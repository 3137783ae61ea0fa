from django.contrib import admin

from .models import AuditEntry, BlockedPhrase, ModerationItem


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "actor_name", "action", "object_label", "space_label", "subject_name"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_label", "subject_name", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationItem)
class ModerationItemAdmin(admin.ModelAdmin):
    """Read-only here: decisions go through the queue, where they are audited."""

    list_display = ["created_at", "kind", "reason", "status", "title", "space_label", "author_name"]
    list_filter = ["status", "kind", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BlockedPhrase)
class BlockedPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "language", "added_by", "created_at"]
    list_filter = ["language"]

    def has_add_permission(self, request):
        return False  # Added on /moderation/settings/, where changes are audited.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
