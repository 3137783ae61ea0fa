from django.db import migrations

# The portal's topic taxonomy (see shared/DOMAIN.md).
TOPICS = [
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


def seed_topics(apps, schema_editor):
    Topic = apps.get_model("meetings", "Topic")
    for position, (slug, name) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
