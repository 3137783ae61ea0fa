from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from guardian.admin import GuardedModelAdmin

from .models import Country, Invitation, Membership, Organisation, SaferInternetCentre, Service, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "suspended_at", "is_staff"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "first_name", "last_name", "languages", "bio", "birth_year")}),
        ("Privacy", {"fields": ("show_surname", "show_email", "show_in_directory")}),
        ("Suspension", {"fields": ("suspended_at", "suspended_until", "suspension_reason")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")}),)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_sic_plus"]


@admin.register(SaferInternetCentre)
class SaferInternetCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]


@admin.register(Organisation)
class OrganisationAdmin(GuardedModelAdmin):
    list_display = ["name", "country", "status"]
    list_filter = ["status", "country"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "status", "created_at"]
    list_filter = ["status", "role"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


admin.site.register(Service)
