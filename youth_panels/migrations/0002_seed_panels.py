from django.db import migrations

EUROPEAN_AREA = {"name": "European youth area", "slug": "europe"}


def seed(apps, schema_editor):
    """The European youth area and one youth panel per country that has a Safer Internet Centre."""
    Country = apps.get_model("community", "Country")
    YouthPanel = apps.get_model("youth_panels", "YouthPanel")
    YouthPanel.objects.get_or_create(is_european=True, defaults=EUROPEAN_AREA)
    for country in Country.objects.filter(sic__isnull=False).order_by("name"):
        YouthPanel.objects.get_or_create(
            country=country, defaults={"name": f"{country.name} youth panel", "slug": country.code.lower()}
        )


class Migration(migrations.Migration):
    dependencies = [("youth_panels", "0001_initial"), ("community", "0002_seed_network")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
