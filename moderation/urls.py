from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.index, name="index"),
    path("bulk/", views.bulk_decide, name="bulk_decide"),
    path("pending-count.json", views.pending_count, name="pending_count"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/decide/", views.item_decide, name="decide"),
    path("items/<int:item_id>/silence/", views.item_silence, name="silence"),
    path("items/<int:item_id>/suspend/", views.item_suspend, name="suspend"),
    path("items/<int:item_id>/appeal/", views.item_appeal, name="appeal"),
    path("sanctions/<int:sanction_id>/lift/", views.sanction_lift, name="sanction_lift"),
    path("mine/", views.my_items, name="my_items"),
    path("flag/<int:content_type_id>/<int:object_id>/", views.flag, name="flag"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/", views.concern_list, name="concerns"),
    path("concerns/<int:concern_id>/", views.concern_detail, name="concern"),
    path("audit/", views.audit_log, name="audit"),
    path("audit.csv", views.audit_log_csv, name="audit_csv"),
    path("settings/", views.moderation_settings, name="settings"),
    path("settings/<slug:action>/", views.settings_action, name="settings_action"),
    path("settings/phrases/<int:phrase_id>/remove/", views.phrase_remove, name="phrase_remove"),
]
