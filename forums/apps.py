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
        from community.dashboard import DashboardPanel, register_panel
        from community.demo import register_demo_loader
        from community.export import register_exporter

        from . import demo, selectors
        from .moderation_registration import register_moderated_models

        register_panel(DashboardPanel(
            key="forums_latest_discussions", template_name="forums/dashboard_panel.html",
            get_context=_latest_discussions_panel, order=20,
        ))
        register_exporter("forum_posts", selectors.personal_forum_data)
        register_moderated_models()
        register_demo_loader("forums", demo.load_demo, order=30)
