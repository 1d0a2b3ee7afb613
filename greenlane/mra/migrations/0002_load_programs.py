from django.db import migrations


def load(apps, schema_editor):
    from greenlane.mra.programs import sync

    sync(apps.get_model("mra", "ForeignProgram"))


class Migration(migrations.Migration):
    dependencies = [("mra", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
