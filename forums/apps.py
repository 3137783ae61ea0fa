from django.apps import AppConfig


def _latest_discussions_panel(request):
    from . import permissions, selectors

    if not permissions.is_member(request.user):
        return None
    return {"topics": selectors.latest_topics_for_dashboard(request.user, limit=5)}


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Communities of practice"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from community.dashboard import DashboardPanel, register_panel
        from community.demo import register_demo_loader
        from community.erasure import register_eraser
        from community.export import register_exporter
        from notifications.digest import register_section
        from notifications.events import register_stream
        from notifications.kinds import Delivery, register_kind

        from . import demo, erasure, permissions, queries, selectors, services
        from .moderation_registration import register_moderated_models

        register_panel(DashboardPanel(
            key="forums_latest_discussions", template_name="forums/dashboard_panel.html",
            get_context=_latest_discussions_panel, order=20,
        ))
        register_exporter("forum_posts", selectors.personal_forum_data)
        register_eraser("forums", erasure.erase_forums_data)
        register_moderated_models()
        register_demo_loader("forums", demo.load_demo, order=30)

        group = _("Forums and blog")
        # A mention asks for the person by name: worth an email, and a reminder while unread.
        register_kind(services.KIND_MENTION, label=_("Someone mentions you"), default_delivery=Delivery.EMAIL,
                      group=group, remind_if_unread=True)
        register_kind(services.KIND_REPLY, label=_("Replies to your posts"), group=group)
        register_kind(services.KIND_WATCHED_POST, label=_("Replies in topics you watch"), group=group)
        # The weekly digest lists new topics of watched forums in its own section, so the
        # notification itself stays on site by default (otherwise each topic shows twice).
        register_kind(services.KIND_NEW_TOPIC, label=_("New topics in forums you watch"), group=group)
        register_kind(services.KIND_BLOG_COMMENT, label=_("Comments on blog posts you watch"), group=group)
        register_kind(services.KIND_TOPIC_MOVED, label=_("Your topic is moved to another forum"), group=group)
        register_section("forums_new_topics", _("New topics in forums you watch"), queries.digest_new_topics)
        register_stream(services.LIVE_TOPIC_STREAM, may_subscribe=permissions.can_follow_topic_live)
