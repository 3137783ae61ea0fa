from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("past/", views.past_meetings, name="past_meetings"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    # Reached by calendar apps without a session: community.middleware lets /meetings/feed/ through.
    path("feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("dates/new/", views.network_date_edit, name="network_date_new"),
    path("dates/<int:date_id>/edit/", views.network_date_edit, name="network_date_edit"),
    path("dates/<int:date_id>/delete/", views.network_date_delete, name="network_date_delete"),
    path("series/new/", views.series_edit, name="series_new"),
    path("series/<int:series_id>/", views.series_detail, name="series_detail"),
    path("series/<int:series_id>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:series_id>/meetings/new/", views.meeting_edit, name="meeting_new"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:meeting_id>/rsvp/", views.meeting_rsvp, name="meeting_rsvp"),
    path("<int:meeting_id>/attendees/", views.meeting_attendees, name="meeting_attendees"),
    path("<int:meeting_id>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:meeting_id>/issues/new/", views.emerging_issue_new, name="emerging_issue_new"),
    path("<int:meeting_id>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("<int:meeting_id>/record/", views.record_detail, name="record_detail"),
    path("<int:meeting_id>/record/edit/", views.record_edit, name="record_edit"),
    path("<int:meeting_id>/record/publish/", views.record_publish, name="record_publish"),
    path("<int:meeting_id>/record/actions/", views.action_item_add, name="action_item_add"),
    path("<int:meeting_id>/record/actions/<int:item_id>/done/", views.action_item_done, name="action_item_done"),
    path("<int:meeting_id>/record/files/<uuid:public_id>/remove/", views.record_file_remove,
         name="record_file_remove"),
    path("files/<uuid:public_id>/", views.download_file, name="download_file"),
    path("trends/", views.trends, name="trends"),
    path("trends.csv", views.trends_csv, name="trends_csv"),
    path("case-studies/", views.case_study_list, name="case_study_list"),
    path("case-studies/new/", views.case_study_new, name="case_study_new"),
    path("case-studies/review/", views.case_study_review, name="case_study_review"),
    path("case-studies/uploads/", views.upload_window_edit, name="upload_window"),
    path("case-studies/<int:case_study_id>/", views.case_study_detail, name="case_study_detail"),
    path("case-studies/<int:case_study_id>/decide/", views.case_study_decide, name="case_study_decide"),
]
