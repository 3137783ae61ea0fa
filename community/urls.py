from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin signs in through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "SIC Community administration"

# A database outage answers the friendly 503 page, any other crash the friendly 500 page.
handler500 = "community.security.server_error"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("legal/<slug:page>/", views.legal_page, name="legal"),
    # Onboarding
    path("onboarding/", views.onboarding_choose, name="onboarding_choose"),
    path("onboarding/organisations/<int:organisation_id>/join/", views.onboarding_join, name="onboarding_join"),
    path("onboarding/request-organisation/", views.onboarding_request_organisation,
         name="onboarding_request_organisation"),
    path("onboarding/waiting/", views.onboarding_waiting, name="onboarding_waiting"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Membership decisions
    path("memberships/requests/", views.membership_requests, name="membership_requests"),
    path("memberships/<int:membership_id>/approve/", views.membership_approve, name="membership_approve"),
    path("memberships/<int:membership_id>/reject/", views.membership_reject, name="membership_reject"),
    path("organisations/requests/", views.organisation_requests, name="organisation_requests"),
    path("organisations/requests/<int:organisation_id>/decide/", views.organisation_request_decide,
         name="organisation_request_decide"),
    # Organisations and people
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:organisation_id>/members/", views.organisation_members, name="organisation_members"),
    path("organisations/<int:organisation_id>/members/<int:membership_id>/", views.organisation_member_action,
         name="organisation_member_action"),
    path("members/", views.member_directory, name="member_directory"),
    path("members/<int:user_id>/", views.member_profile, name="member_profile"),
    path("members/<int:user_id>/suspend/", views.member_suspend, name="member_suspend"),
    path("members/<int:user_id>/unsuspend/", views.member_unsuspend, name="member_unsuspend"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("your-data/", views.your_data, name="your_data"),
    path("your-data/export.json", views.your_data_export, name="your_data_export"),
    path("your-data/delete/", views.your_data_delete_request, name="your_data_delete"),
    # Feature apps
    path("notifications/", include("notifications.urls")),
    path("forums/", include("forums.urls")),
    path("youth/", include("youth_panels.urls")),
    path("moderation/", include("moderation.urls")),
    path("meetings/", include("meetings.urls")),
]
