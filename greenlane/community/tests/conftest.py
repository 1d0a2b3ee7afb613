from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = b"Seal verification steps.\n"


@dataclass
class World:
    officer: object
    contributor: object
    consultant: object
    member: object  # certified importer of the officer
    outsider: object  # a person whose only company is a draft
    draft: object
    other_officer: object
    other: object  # another certified company


@pytest.fixture
def world(db, staff) -> World:
    from greenlane.partners import services as partner_services
    from greenlane.screening.tests.test_lifecycle_support import certified, enrolled

    officer = make_user("officer@acme.example", full_name="Olivia Officer")
    contributor = make_user("contrib@acme.example", full_name="Cora Contributor")
    consultant = make_user("consult@acme.example", full_name="Connor Consultant")
    member = certified(officer, name="Acme Imports")
    for user, role in ((contributor, "contributor"), (consultant, "consultant")):
        partner_services.membership_add(actor=officer, partner_id=member.pk, email=user.email, role=role)
    outsider = make_user("new@draft.example")
    draft = enrolled(outsider, name="Draft Co")
    other_officer = make_user("officer@globex.example", full_name="Gail Globex")
    other = certified(other_officer, name="Globex Trading")
    member.assigned_scs = staff["scs"]
    member.save(update_fields=["assigned_scs"])
    return World(officer, contributor, consultant, member, outsider, draft, other_officer, other)


@pytest.fixture
def topic(world, staff):
    from greenlane.community import board_services

    return board_services.topic_create(
        actor=staff["scs"], title="Seals and container inspection", description="Seven-point checks, seals."
    )


@pytest.fixture
def thread(topic, world):
    from greenlane.community import board_services

    return board_services.thread_create(
        actor=world.officer, topic_id=topic.pk, title="Bolt seals", body="Which bolt seals do you use?"
    )
