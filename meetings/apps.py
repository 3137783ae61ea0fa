from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from community.dashboard import register_panel
        from community.demo import register_demo_loader
        from community.export import register_exporter

        from . import dashboard, demo, export, moderated

        for panel in dashboard.PANELS:
            register_panel(panel)
        register_exporter("meetings", export.personal_data_of)
        moderated.register_case_studies()
        register_demo_loader("meetings", demo.load_demo, order=50)
