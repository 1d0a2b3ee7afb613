"""Load the bundled screening rule set (active) and the illustrative country threat levels."""

import hashlib
from pathlib import Path

import yaml
from django.db import migrations
from django.utils import timezone

HERE = Path(__file__).resolve().parents[1]


def load(apps, schema_editor):
    RuleSetVersion = apps.get_model("screening", "RuleSetVersion")
    CountryThreat = apps.get_model("screening", "CountryThreat")
    text = (HERE / "rules" / "rulesets" / "2026.1.yaml").read_text(encoding="utf-8")
    if not RuleSetVersion.objects.filter(version="2026.1").exists():
        RuleSetVersion.objects.create(
            name="greenlane-screening", version="2026.1", text=text,
            checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(), status="active",
            activated_at=timezone.now(), notes="Bundled baseline rule set.",
        )
    levels = yaml.safe_load((HERE / "data" / "country_threat.yaml").read_text(encoding="utf-8"))
    for level, countries in levels.items():
        for code in countries:
            CountryThreat.objects.update_or_create(country=code, defaults={"level": int(level)})


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
