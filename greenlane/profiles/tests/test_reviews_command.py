"""`greenlane annual-reviews open|remind|overdue [--today YYYY-MM-DD]`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from greenlane.audit.models import AuditEvent
from greenlane.profiles.models import AnnualReview, ReminderSent

from .test_reviews_support import DUE, OPENS, certified_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def member(officer, staff):
    """A certified importer on the fixed calendar; its specialist is staff['scs']."""
    return certified_member(officer, staff)


def run(*args, capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("annual_reviews", *args, stdout=out)
    return out.getvalue()


def test_the_daily_jobs_with_a_given_date(member, officer, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    assert run("open", "--today", (OPENS - dt.timedelta(days=1)).isoformat(), capture=cap).endswith(
        "0 annual review(s) opened.\n"
    )
    out = run("open", "--today", OPENS.isoformat(), capture=cap)
    assert f"opened  {member.reference}  review 1  due 2026-03-01" in out
    assert out.endswith("1 annual review(s) opened.\n")
    assert run("open", "--today", OPENS.isoformat(), capture=cap).endswith("0 annual review(s) opened.\n")
    assert AnnualReview.objects.filter(partner=member).count() == 1

    out = run("remind", "--today", "2026-01-30", capture=cap)
    assert f"due_in_30 {member.reference}" in out and out.endswith("1 reminder(s) sent.\n")
    assert run("remind", "--today", "2026-01-30", capture=cap).endswith("0 reminder(s) sent.\n")
    assert run("remind", "--today", "2026-02-22", capture=cap).endswith("1 reminder(s) sent.\n")
    assert run("remind", "--today", "2026-02-23", capture=cap).endswith("0 reminder(s) sent.\n")

    assert run("overdue", "--today", DUE.isoformat(), capture=cap).endswith("0 review(s) newly overdue.\n")
    out = run("overdue", "--today", "2026-03-02", capture=cap)
    assert "(suspension cause)" in out and out.endswith("1 review(s) newly overdue.\n")
    assert run("overdue", "--today", "2026-03-09", capture=cap).endswith("0 review(s) newly overdue.\n")

    assert [m.to for m in mail.outbox] == [[officer.email]] * 4
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == [
        "due_in_30",
        "due_in_7",
        "opened",
        "overdue",
    ]
    assert list(
        AuditEvent.objects.filter(partner=member, action__startswith="review.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["review.open", "review.remind", "review.remind", "review.overdue"]


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("annual_reviews", "open", "--today", "01/02/2026", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("annual_reviews", "close", stdout=io.StringIO())


def test_the_greenlane_script_spells_it_with_a_hyphen(member, capsys, django_capture_on_commit_callbacks):
    from greenlane.cli import main

    with django_capture_on_commit_callbacks(execute=True):
        main(["greenlane", "annual-reviews", "open", "--today", OPENS.isoformat()])
    assert "1 annual review(s) opened." in capsys.readouterr().out
