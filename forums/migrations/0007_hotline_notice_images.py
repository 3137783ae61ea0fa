"""The seeded Hotlines composer notice said images "are not accepted"; a Markdown image is
accepted and shown as its text only. The notice is rewritten only where coordinators left the
seeded words unchanged: their own wording is theirs."""

from django.db import migrations

SEEDED_NOTICE = (
    "Never post suspected illegal material, links that lead to it, or anything that identifies a "
    "victim, a reporter or a suspect. Links are shown defanged and are not clickable; images and "
    "attachments are not accepted in this forum."
)
ACCURATE_NOTICE = (
    "Never post suspected illegal material, links that lead to it, or anything that identifies a "
    "victim, a reporter or a suspect. Links are shown defanged and are not clickable, images are "
    "not shown, and files cannot be attached in this forum."
)


def rewrite(apps, schema_editor):
    apps.get_model("forums", "Forum").objects.filter(composer_notice=SEEDED_NOTICE).update(
        composer_notice=ACCURATE_NOTICE)


def restore(apps, schema_editor):
    apps.get_model("forums", "Forum").objects.filter(composer_notice=ACCURATE_NOTICE).update(
        composer_notice=SEEDED_NOTICE)


class Migration(migrations.Migration):
    dependencies = [("forums", "0006_post_search_entries")]

    operations = [migrations.RunPython(rewrite, restore)]
