"""The four communities of practice, the topic taxonomy, and the full-text index.

Audiences (see forums.permissions.forum_access, the one place they are read):
- Awareness and Helplines: all staff (every role group except youth panellists) read and post.
- Hotlines: hotline staff (members whose approved membership has the hotline service, via the
  forum's read/post services) and the network roles only; safe mode on.
- Youth: youth panellists, youth coordinators and staff.
Network coordinators and moderators are given read and post in every forum by these grants;
their moderation power is global (forums.permissions.can_moderate_forum).
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

STAFF_GROUPS = ["member", "org_admin", "youth_coordinator", "network_coordinator", "moderator"]
NETWORK_GROUPS = ["network_coordinator", "moderator"]

HOTLINE_NOTICE = (
    "Never post suspected illegal material, links that lead to it, or anything that identifies a "
    "victim, a reporter or a suspect. Links are shown defanged and are not clickable; images and "
    "attachments are not accepted in this forum."
)

FORUMS = [
    # slug, name, description, reader/poster groups, reader/poster services, safe mode, notice
    ("awareness", "Awareness raising",
     "Campaigns, resources, training and Safer Internet Day: what awareness centres are working on.",
     STAFF_GROUPS, [], False, ""),
    ("helplines", "Helplines",
     "Counselling practice, emerging issues in contacts, referrals and helpline trends.",
     STAFF_GROUPS, [], False, ""),
    ("hotlines", "Hotlines",
     "For hotline analysts: assessment practice, notice and takedown, cooperation with law enforcement.",
     NETWORK_GROUPS, ["hotline"], True, HOTLINE_NOTICE),
    ("youth", "Youth panels",
     "Youth participation across the network: youth panellists, their coordinators and staff.",
     STAFF_GROUPS + ["youth_panellist"], [], False, ""),
]

TAXONOMY = [
    ("cyberbullying", "Cyberbullying"),
    ("data-privacy", "Data privacy"),
    ("e-crime", "E-crime"),
    ("excessive-use", "Excessive use"),
    ("grooming", "Grooming"),
    ("hate-speech", "Hate speech"),
    ("love-relationships-sexuality", "Love, relationships, sexuality (online)"),
    ("media-literacy", "Media literacy/education"),
    ("potentially-harmful-content", "Potentially harmful content"),
    ("sexting", "Sexting"),
    ("sextortion", "Sextortion"),
    ("sexual-harassment", "Sexual harassment"),
    ("deepfakes", "Deepfakes"),
    ("gaming", "Gaming"),
    ("age-assurance", "Age assurance"),
]


def seed(apps, schema_editor):
    # Content types and permissions are normally created after migrate; the grants below
    # need them now.
    forums_config = apps.get_app_config("forums")
    forums_config.models_module = True
    create_contenttypes(forums_config, verbosity=0, apps=apps)
    create_permissions(forums_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    Forum = apps.get_model("forums", "Forum")
    Service = apps.get_model("community", "Service")
    Tag = apps.get_model("forums", "Tag")

    for slug, name in TAXONOMY:
        Tag.objects.get_or_create(slug=slug, defaults={"name": name})

    forum_type = ContentType.objects.get(app_label="forums", model="forum")
    read = Permission.objects.get(content_type=forum_type, codename="read_forum")
    post = Permission.objects.get(content_type=forum_type, codename="post_in_forum")
    for position, (slug, name, description, groups, services, safe_mode, notice) in enumerate(FORUMS, start=1):
        forum, created = Forum.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "safe_mode": safe_mode,
                      "composer_notice": notice, "position": position * 10},
        )
        if not created:
            continue
        for group_name in groups:
            group, _ = Group.objects.get_or_create(name=group_name)
            for permission in (read, post):
                GroupObjectPermission.objects.get_or_create(
                    group=group, permission=permission, content_type=forum_type, object_pk=str(forum.pk)
                )
        forum.read_services.set(Service.objects.filter(code__in=services))
        forum.post_services.set(Service.objects.filter(code__in=services))


def create_search_index(apps, schema_editor):
    # A GIN index over the stored tsvector; SQLite has no tsvector and searches with LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS forums_post_search_gin ON forums_post USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS forums_post_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0001_initial"),
        ("community", "0002_seed_network"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
