from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthPanelsConfig(AppConfig):
    name = "youth_panels"
    verbose_name = "Youth panels"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_save

        from community.dashboard import register_panel
        from community.demo import register_demo_loader
        from community.erasure import register_eraser
        from community.export import register_exporter
        from community.services import BirthYearRule, register_birth_year_rule
        from moderation.registry import register
        from notifications.kinds import Delivery, register_kind

        from . import dashboard, demo, erasure, export, moderated, services, signals

        m2m_changed.connect(signals.role_groups_changed, sender=get_user_model().groups.through,
                            dispatch_uid="youth_role_groups_changed")
        post_save.connect(signals.invitation_saved, sender="community.Invitation",
                          dispatch_uid="youth_panel_invitation_accepted")

        for panel in dashboard.PANELS:
            register_panel(panel)
        register_exporter("youth_area", export.personal_data_of)
        register_eraser("youth_panels", erasure.erase_youth_content)
        # After the community's people and moderation's demo data.
        register_demo_loader("youth_panels", demo.load_demo, order=40)
        for registration in moderated.REGISTRATIONS:
            register(registration)
        register_birth_year_rule(BirthYearRule(
            holds=services.hold_birth_year_for_coordinator, applied=services.reconsider_panel_place,
            waiting=services.birth_year_waiting_notice,
        ))

        group = _("Youth area")
        register_kind("youth_new_post", label=_("New posts in your youth spaces"), group=group)
        register_kind("youth_comment_on_post", label=_("Comments on your youth posts"), group=group)
        register_kind("youth_post_promoted", label=_("Your post is promoted to the European youth area"),
                      group=group)
        register_kind("youth_waiting_for_review", label=_("Youth posts and comments waiting for your review"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("youth_authorisation_needed",
                      label=_("A panellist waits for you to record a parent's authorisation"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("youth_birth_year_to_check", label=_("A panellist's birth year waits for you to check it"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("youth_birth_year_checked", label=_("Your coordinator checked your birth year"), group=group,
                      is_account=True)
        register_kind("youth_panel_joined", label=_("You joined a youth panel"), group=group, is_account=True)
        register_kind("youth_panel_left", label=_("You left a youth panel"), group=group, is_account=True)
