import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.comms import audience as aud
from greenlane.comms import services
from greenlane.comms.choices import BULLETIN_TRANSITIONS, BulletinStatus
from greenlane.comms.models import Bulletin, BulletinRead, DigestEntry
from greenlane.comms.selectors import bulletins as selectors
from greenlane.core.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.notifications.models import Notification

pytestmark = pytest.mark.django_db

S = BulletinStatus


def draft(actor, **kw):
    data = {"title": "Seal checks", "body": "Check **every** seal.", **kw}
    return services.bulletin_create(actor=actor, data=services.BulletinInput(**data))


def test_create_publish_and_member_sees_it(world):
    pm = world["staff"]["program_manager"]
    b = draft(pm, audience={"entity_types": ["importer"]})
    assert b.status == S.DRAFT and b.audience_size == 2
    assert not selectors.bulletins_for(world["officer_a"]).exists()  # a draft is invisible
    services.bulletin_publish(actor=pm, bulletin_id=b.pk)
    b.refresh_from_db()
    assert b.status == S.PUBLISHED and b.published_at is not None
    assert list(selectors.bulletins_for(world["officer_a"])) == [b]
    assert list(selectors.bulletins_for(world["officer_b"])) == [b]
    assert AuditEvent.objects.filter(action="bulletin.publish", object_id=str(b.pk)).count() == 1


@pytest.mark.parametrize(
    "rules,who",
    [
        ({}, {"a", "b", "carrier"}),
        ({"entity_types": ["highway_carrier"]}, {"carrier"}),
        ({"tiers": [3]}, {"b"}),
        ({"countries": ["CA", "MX"]}, {"b", "carrier"}),
        ({"statuses": ["certified"], "tiers": [2, 3], "countries": ["US"]}, {"a"}),
        ({"entity_types": ["importer"], "countries": ["MX"]}, set()),
    ],
)
def test_audience_both_directions_agree(world, rules, who):
    audience = aud.clean_audience(rules)
    matched = set(aud.matching_partners(audience).values_list("pk", flat=True))
    assert matched == {world[k].pk for k in who}
    b = draft(world["staff"]["program_manager"], audience=rules)
    for key in ("a", "b", "carrier"):
        admitted = Bulletin.objects.filter(aud.q_for_partners([world[key]]), pk=b.pk).exists()
        assert admitted == (key in who), key


def test_field_office_audience(world):
    from greenlane.accounts.models import FieldOffice

    miami = FieldOffice.objects.get(code="miami").pk
    audience = aud.clean_audience({"field_offices": [str(miami)]})
    assert set(aud.matching_partners(audience).values_list("pk", flat=True)) == {
        world["b"].pk,
        world["carrier"].pk,
    }


def test_audience_resolution_is_one_query(world, django_assert_num_queries):
    audience = aud.clean_audience({"entity_types": ["importer"], "tiers": [2, 3], "statuses": ["certified"]})
    with django_assert_num_queries(1):
        assert aud.audience_count(audience) == 2


@pytest.mark.parametrize(
    "rules,field",
    [
        ({"entity_types": ["spaceship"]}, "audience.entity_types"),
        ({"tiers": ["7"]}, "audience.tiers"),
        ({"countries": ["XX"]}, "audience.countries"),
        ({"field_offices": ["99999"]}, "audience.field_offices"),
        ({"statuses": ["happy"]}, "audience.statuses"),
        ({"planets": ["mars"]}, "audience.planets"),
    ],
)
def test_bad_audience_refused_nothing_stored(world, rules, field):
    with pytest.raises(InvalidInput) as exc:
        draft(world["staff"]["program_manager"], audience=rules)
    assert exc.value.field == field
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"title": " "}, "title"),
        ({"body": ""}, "body"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "alert"}, "severity"),
        ({"severity": "high"}, "severity"),
        ({"kind": "memo"}, "kind"),
        (
            {
                "publish_at": dt.datetime(2030, 1, 2, tzinfo=dt.UTC),
                "expires_at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            },
            "expires_at",
        ),
        ({"publish_at": dt.datetime(1990, 1, 1, tzinfo=dt.UTC)}, "publish_at"),
    ],
)
def test_bad_bulletin_refused(world, kw, field):
    with pytest.raises(InvalidInput) as exc:
        draft(world["staff"]["program_manager"], **kw)
    assert field in {e["field"] for e in exc.value.errors} or exc.value.field == field
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("role", ["scs", "vetting_officer", "auditor", "targeting_officer", "system_admin"])
def test_only_editors_write(world, role):
    with pytest.raises(Forbidden):
        draft(world["staff"][role])
    assert not Bulletin.objects.exists()


def test_trade_user_cannot_write(world):
    with pytest.raises(NotFound):
        draft(world["officer_a"])


def test_schedule_then_release(world):
    pm = world["staff"]["program_manager"]
    b = draft(pm)
    later = timezone.now() + dt.timedelta(hours=2)
    services.bulletin_publish(actor=pm, bulletin_id=b.pk, publish_at=later)
    b.refresh_from_db()
    assert b.status == S.SCHEDULED
    assert not selectors.bulletins_for(world["officer_a"]).exists()
    assert services.bulletins_release_due() == 0
    assert services.bulletins_release_due(now=later + dt.timedelta(seconds=1)) == 1
    b.refresh_from_db()
    assert b.status == S.PUBLISHED


def test_scheduled_is_visible_once_due_before_release(world):
    pm = world["staff"]["program_manager"]
    b = draft(pm)
    services.bulletin_publish(actor=pm, bulletin_id=b.pk, publish_at=timezone.now() + dt.timedelta(hours=1))
    Bulletin.objects.filter(pk=b.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert list(selectors.bulletins_for(world["officer_a"])) == [b]


def test_expired_is_hidden(world):
    pm = world["staff"]["program_manager"]
    b = draft(pm, expires_at=timezone.now() + dt.timedelta(days=1))
    services.bulletin_publish(actor=pm, bulletin_id=b.pk)
    assert selectors.bulletins_for(world["officer_a"]).count() == 1
    now = timezone.now()
    Bulletin.objects.filter(pk=b.pk).update(
        publish_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(seconds=1)
    )
    assert selectors.bulletins_for(world["officer_a"]).count() == 0


def test_withdraw_hides_and_is_final(world):
    pm = world["staff"]["program_manager"]
    b = draft(pm)
    services.bulletin_publish(actor=pm, bulletin_id=b.pk)
    services.bulletin_withdraw(actor=pm, bulletin_id=b.pk, reason="Superseded")
    assert not selectors.bulletins_for(world["officer_a"]).exists()
    with pytest.raises(TransitionRefused):
        services.bulletin_publish(actor=pm, bulletin_id=b.pk)
    b.refresh_from_db()
    assert b.status == S.WITHDRAWN


def _put(b, status):
    Bulletin.objects.filter(pk=b.pk).update(status=status)


@pytest.mark.parametrize("current", list(S.values))
@pytest.mark.parametrize("target", list(S.values))
def test_transition_table(world, current, target):
    pm = world["staff"]["program_manager"]
    b = draft(pm)
    _put(b, current)
    future = timezone.now() + dt.timedelta(days=1)
    allowed = target in BULLETIN_TRANSITIONS[current]
    calls = {
        S.PUBLISHED: lambda: services.bulletin_publish(actor=pm, bulletin_id=b.pk),
        S.SCHEDULED: lambda: services.bulletin_publish(actor=pm, bulletin_id=b.pk, publish_at=future),
        S.WITHDRAWN: lambda: services.bulletin_withdraw(actor=pm, bulletin_id=b.pk),
        S.DRAFT: lambda: services.bulletin_unschedule(actor=pm, bulletin_id=b.pk),
    }
    if current == S.SCHEDULED:
        Bulletin.objects.filter(pk=b.pk).update(publish_at=future)
    if allowed:
        calls[target]()
        b.refresh_from_db()
        assert b.status == target
    else:
        with pytest.raises(TransitionRefused):
            calls[target]()
        b.refresh_from_db()
        assert b.status == current


def test_update_only_while_editable(world):
    pm = world["staff"]["program_manager"]
    b = draft(pm)
    services.bulletin_update(
        actor=pm, bulletin_id=b.pk, data=services.BulletinInput(title="New title", body="x")
    )
    b.refresh_from_db()
    assert b.title == "New title"
    services.bulletin_publish(actor=pm, bulletin_id=b.pk)
    with pytest.raises(InvalidInput):
        services.bulletin_update(
            actor=pm, bulletin_id=b.pk, data=services.BulletinInput(title="Again", body="x")
        )
    b.refresh_from_db()
    assert b.title == "New title"


def test_read_receipt_once_and_by_company(world):
    pm = world["staff"]["program_manager"]
    b = services.bulletin_publish(actor=pm, bulletin_id=draft(pm).pk)
    first = services.bulletin_read(actor=world["officer_a"], bulletin=b)
    again = services.bulletin_read(actor=world["officer_a"], bulletin=b)
    services.bulletin_read(actor=world["contributor_a"], bulletin=b)
    assert first.pk == again.pk and first.read_at == again.read_at
    assert BulletinRead.objects.filter(bulletin=b).count() == 2
    rows = selectors.reads_by_company(b)
    assert [(r["partner__legal_name"], r["readers"]) for r in rows] == [("Alpha Imports", 2)]
    assert selectors.companies_reached_with_reads(b) == 1
    listed = list(selectors.bulletins_for(world["officer_a"]))
    assert listed[0].is_read is True


def test_unread_first(world):
    pm = world["staff"]["program_manager"]
    old = services.bulletin_publish(actor=pm, bulletin_id=draft(pm, title="Old").pk)
    new = services.bulletin_publish(actor=pm, bulletin_id=draft(pm, title="New").pk)
    services.bulletin_read(actor=world["officer_a"], bulletin=new)
    assert [b.title for b in selectors.bulletins_for(world["officer_a"])] == ["Old", "New"]
    assert old.pk != new.pk


def test_member_cannot_open_a_bulletin_outside_its_audience(world):
    pm = world["staff"]["program_manager"]
    b = services.bulletin_publish(actor=pm, bulletin_id=draft(pm, audience={"countries": ["CA"]}).pk)
    with pytest.raises(NotFound):
        selectors.bulletin_for_member(world["officer_a"], b.pk)
    assert selectors.bulletin_for_member(world["officer_b"], b.pk) == b


def test_alert_notifies_audience_once_on_commit(world, django_capture_on_commit_callbacks):
    analyst = world["staff"]["intelligence_analyst"]
    alert = draft(
        analyst, kind="alert", severity="critical", title="Fake carriers", audience={"countries": ["US"]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_publish(actor=analyst, bulletin_id=alert.pk)
    notes = Notification.objects.filter(kind="comms.alert")
    assert {n.recipient.email for n in notes} == {"officer@a.example", "contributor@a.example"}
    assert all("Fake carriers" in n.title for n in notes)
    alert.refresh_from_db()
    assert alert.alerted_at is not None
    assert {m.to[0] for m in mail.outbox} >= {"officer@a.example", "contributor@a.example"}
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletins_release_due()
    assert Notification.objects.filter(kind="comms.alert").count() == 2


def test_digest_sends_once(world, django_capture_on_commit_callbacks):
    pm = world["staff"]["program_manager"]
    services.bulletin_publish(
        actor=pm, bulletin_id=draft(pm, title="For importers", audience={"entity_types": ["importer"]}).pk
    )
    services.bulletin_publish(
        actor=pm, bulletin_id=draft(pm, title="For Canada", audience={"countries": ["CA"]}).pk
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.digest_send()
    assert result == {"emails": 3, "bulletins": 4}
    by_user = {m.to[0]: m.body for m in mail.outbox}
    assert (
        "For importers" in by_user["officer@a.example"] and "For Canada" not in by_user["officer@a.example"]
    )
    assert "For Canada" in by_user["officer@b.example"]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send() == {"emails": 0, "bulletins": 0}
    assert len(mail.outbox) == 3
    assert DigestEntry.objects.count() == 4


def test_digest_command(world, capsys):
    from django.core.management import call_command

    pm = world["staff"]["program_manager"]
    services.bulletin_publish(actor=pm, bulletin_id=draft(pm).pk)
    call_command("comms", "digest")
    out = capsys.readouterr().out
    assert "Digest: 3 e-mail(s)" in out
    call_command("comms", "digest")
    assert "Digest: 0 e-mail(s)" in capsys.readouterr().out
