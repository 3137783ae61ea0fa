from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from community.dashboard import register_panel
        from community.export import register_exporter

        from . import dashboard, export, moderated

        for panel in dashboard.PANELS:
            register_panel(panel)
        register_exporter("meetings", export.personal_data_of)
        moderated.register_case_studies()
