from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from community.markup import render_markdown

from .models import PanelMembership, YouthFollower, YouthPanel, YouthResource


@admin.register(YouthPanel)
class YouthPanelAdmin(GuardedModelAdmin):
    """Coordinators beyond the national youth coordinators (e.g. the Insafe youth team for the
    European area) are appointed here with the object permission "moderate_youthpanel"."""

    list_display = ["name", "country", "is_european", "slug"]
    readonly_fields = ["is_european", "discussion_forum"]
    search_fields = ["name", "country__name"]


@admin.register(PanelMembership)
class PanelMembershipAdmin(admin.ModelAdmin):
    list_display = ["panel", "user", "status", "parental_authorisation", "created_at", "approved_at", "removed_at"]
    list_filter = ["status", "panel"]
    raw_id_fields = ["user", "invitation", "invited_by", "approved_by", "removed_by"]


@admin.register(YouthResource)
class YouthResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "panel", "is_pinned", "created_at"]
    list_filter = ["panel", "is_pinned"]
    exclude = ["description_html"]

    def save_model(self, request, obj, form, change):
        obj.description_html = render_markdown(obj.description)
        super().save_model(request, obj, form, change)


admin.site.register(YouthFollower)
