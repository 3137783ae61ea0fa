from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from community.dashboard import register_panel
        from community.demo import register_demo_loader
        from community.erasure import register_eraser
        from community.export import register_exporter
        from notifications.digest import register_section
        from notifications.kinds import Delivery, register_kind

        from . import dashboard, demo, digest, erasure, export, moderated

        for panel in dashboard.PANELS:
            register_panel(panel)
        register_exporter("meetings", export.personal_data_of)
        register_eraser("meetings", erasure.erase_meetings_data)
        moderated.register_case_studies()
        register_demo_loader("meetings", demo.load_demo, order=50)
        register_section("meetings_upcoming", _("Upcoming meetings"), digest.upcoming_meetings)
        register_section("meetings_deadlines", _("Approaching deadlines"), digest.approaching_deadlines)

        group = _("Meetings and case studies")
        # Reminders and changes of plan are worth an email at once; the rest waits on the site.
        register_kind("meeting_reminder", label=_("Reminders of your meetings, a day and an hour before"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("meeting_cancelled", label=_("A meeting you are invited to is cancelled"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("meeting_record_published", label=_("Reports and recordings of your meetings"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("meeting_action_item", label=_("Actions given to you in a meeting record"),
                      default_delivery=Delivery.EMAIL, group=group)
        register_kind("meeting_emerging_issue", label=_("Emerging issues submitted for meetings you organise"),
                      group=group)
        register_kind("case_study_submitted", label=_("Case studies waiting for your review"),
                      default_delivery=Delivery.DIGEST, group=group)
        register_kind("case_study_decision", label=_("Decisions about the case studies you shared"),
                      default_delivery=Delivery.EMAIL, group=group)
