"""Two people asking for the last seat at the same moment: one gets it, the other is refused (no waiting
list). The seminar row is locked before seats are counted, so the second waits for the first to commit."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from greenlane.core.errors import Conflict
from greenlane.training import services
from greenlane.training.models import Registration

from .support import member, open_seminar


@pytest.mark.django_db(transaction=True)
def test_two_last_seat_registrations_cannot_both_win(staff, user_factory):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("in-memory SQLite shares one cache across threads: no real concurrent transactions")
    seminar = open_seminar(staff["scs"], capacity=1, waitlist_enabled=False)
    partner, people = member(user_factory, people=2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user) -> None:
        try:
            barrier.wait()
            services.registration_create(actor=user, partner_id=partner.pk, seminar_id=seminar.pk)
            outcomes.append("seat")
        except Conflict:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["refused", "seat"]
    assert Registration.objects.filter(seminar=seminar, status="registered").count() == 1
