from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _ensure_safeguarding_group(sender, **kwargs):
    from django.contrib.auth.models import Group

    from .permissions import SAFEGUARDING_LEAD

    Group.objects.get_or_create(name=SAFEGUARDING_LEAD)


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from community.dashboard import register_panel
        from community.demo import register_demo_loader
        from community.export import register_exporter
        from notifications.kinds import Delivery, register_kind

        from . import dashboard, demo, export
        from .services import record_submission

        # submit_content() decides before the row exists; the queue entry needs its id, so it
        # is written right after the caller's save, inside the caller's transaction. The hook
        # returns at once for every save that submit_content did not mark.
        post_save.connect(record_submission, dispatch_uid="moderation_record_submission")
        post_migrate.connect(_ensure_safeguarding_group, sender=self)

        for panel in dashboard.PANELS:
            register_panel(panel)
        register_exporter("moderation", export.personal_data_of)
        register_demo_loader("moderation", demo.load_demo, order=20)

        group = _("Moderation")
        register_kind("moderation_decision", label=_("Decisions about your posts"), group=group, is_account=True)
        register_kind("flag_outcome", label=_("Outcome of your reports"), group=group)
        register_kind("sanction", label=_("Restrictions on your account"), group=group, is_account=True)
        register_kind("moderation_appeal", label=_("Appeals for you to decide"), group=group,
                      default_delivery=Delivery.EMAIL)
        register_kind("moderation_reminder", label=_("Items waiting more than a day in your spaces"), group=group,
                      default_delivery=Delivery.EMAIL)
        register_kind("moderation_escalation", label=_("Items escalated to the network moderators"), group=group,
                      default_delivery=Delivery.EMAIL)
        register_kind("safeguarding_concern", label=_("Safeguarding concerns for you to handle"), group=group,
                      default_delivery=Delivery.EMAIL, is_account=True)
