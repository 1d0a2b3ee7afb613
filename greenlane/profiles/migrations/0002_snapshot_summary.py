from django.db import migrations, models


def fill(apps, schema_editor):
    ProfileSnapshot = apps.get_model("profiles", "ProfileSnapshot")
    from greenlane.profiles.services import summarize

    for snapshot in ProfileSnapshot.objects.all().iterator():
        snapshot.summary = summarize(snapshot.data)
        snapshot.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="profilesnapshot",
            name="summary",
            field=models.JSONField(default=dict, help_text="Counts the screening rules read (no need to load data)."),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
