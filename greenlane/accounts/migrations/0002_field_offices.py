from django.db import migrations

OFFICES = [("New York", "new-york"), ("Miami", "miami"), ("Los Angeles", "los-angeles"), ("Washington DC", "washington-dc")]


def add_offices(apps, schema_editor):
    FieldOffice = apps.get_model("accounts", "FieldOffice")
    for name, code in OFFICES:
        FieldOffice.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_offices, migrations.RunPython.noop)]
