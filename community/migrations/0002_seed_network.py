from django.core.management import call_command
from django.db import migrations

# The 31 Safer Internet Centres of the European network (shared/DOMAIN.md), by ISO 3166-1 code.
SIC_COUNTRIES = [
    ("AT", "Austria"), ("BE", "Belgium"), ("BG", "Bulgaria"), ("HR", "Croatia"), ("CY", "Cyprus"),
    ("CZ", "Czech Republic"), ("DK", "Denmark"), ("EE", "Estonia"), ("FI", "Finland"), ("FR", "France"),
    ("DE", "Germany"), ("GR", "Greece"), ("HU", "Hungary"), ("IS", "Iceland"), ("IE", "Ireland"),
    ("IT", "Italy"), ("LV", "Latvia"), ("LT", "Lithuania"), ("LU", "Luxembourg"), ("MT", "Malta"),
    ("NL", "Netherlands"), ("NO", "Norway"), ("PL", "Poland"), ("PT", "Portugal"), ("RO", "Romania"),
    ("RU", "Russia"), ("RS", "Serbia"), ("SK", "Slovakia"), ("SI", "Slovenia"), ("SE", "Sweden"),
    ("GB", "United Kingdom"),
]
# SIC+ extends the model beyond Europe.
SIC_PLUS_COUNTRIES = [("CO", "Colombia")]

SERVICES = [
    ("awareness", "Awareness centre"),
    ("helpline", "Helpline"),
    ("hotline", "Hotline"),
    ("youth", "Youth participation"),
]


def seed(apps, schema_editor):
    Country = apps.get_model("community", "Country")
    SaferInternetCentre = apps.get_model("community", "SaferInternetCentre")
    Service = apps.get_model("community", "Service")
    for code, name in SIC_COUNTRIES:
        country, _ = Country.objects.get_or_create(code=code, defaults={"name": name})
        SaferInternetCentre.objects.get_or_create(country=country, defaults={"name": f"Safer Internet Centre {name}"})
    for code, name in SIC_PLUS_COUNTRIES:
        Country.objects.get_or_create(code=code, defaults={"name": name, "is_sic_plus": True})
    for code, name in SERVICES:
        Service.objects.get_or_create(code=code, defaults={"name": name})


def create_cache_table(apps, schema_editor):
    # The database cache backs allauth's rate limits; creating its table here means every
    # deployment that migrates has it.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
