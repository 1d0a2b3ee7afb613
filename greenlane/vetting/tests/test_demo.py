"""The demo compliance seed: imports through the service and matches some demo partners both ways."""

from __future__ import annotations

import random

import pytest

from greenlane.vetting.demo import seed_compliance
from greenlane.vetting.models import ComplianceImport, ComplianceRecord, VettingMatch

from .support import partner

pytestmark = pytest.mark.django_db


def test_seed_compliance(officer):
    names = [
        "Atlas Imports LLC #1",
        "Granite Freightways Inc. #2",
        "Zenith Apparel Ltd. #3",
        "Cedar Logistics #4",
        "Horizon Trading Co. #5",
    ]
    partners = [partner(officer, name=n) for n in names]
    result = seed_compliance(partners, random.Random(7))
    assert ComplianceImport.objects.get().source == "demo-compliance"
    assert result["records"] == ComplianceRecord.objects.count() > 300
    methods = set(VettingMatch.objects.values_list("method", flat=True))
    assert methods == {"identifier", "name_address"}
    assert result["matches"] == VettingMatch.objects.count()
    # Made-up subjects never match a partner.
    assert not VettingMatch.objects.filter(record__source_ref__startswith="DEMO-0").exists()
