from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_user
from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import FieldOffice, User
from greenlane.audit.models import AuditEvent

from .helpers import events

pytestmark = pytest.mark.django_db


def _admin_urls(staff) -> list[tuple[str, str]]:
    target = staff["scs"].pk
    office = FieldOffice.objects.get(code="miami").pk
    return [
        ("get", reverse("accounts:staff_users")),
        ("post", reverse("accounts:staff_users")),
        ("get", reverse("accounts:staff_user", args=[target])),
        ("post", reverse("accounts:staff_user", args=[target])),
        ("get", reverse("accounts:staff_user_action", args=[target, "deactivate"])),
        ("post", reverse("accounts:staff_user_action", args=[target, "deactivate"])),
        ("post", reverse("accounts:staff_user_action", args=[target, "reset-mfa"])),
        ("get", reverse("accounts:field_offices")),
        ("post", reverse("accounts:field_offices")),
        ("get", reverse("accounts:field_office_rename", args=[office])),
        ("post", reverse("accounts:field_office_rename", args=[office])),
        ("post", reverse("accounts:field_office_deactivate", args=[office])),
        ("post", reverse("accounts:field_office_reactivate", args=[office])),
    ]


@pytest.mark.parametrize("role", [*[r for r in StaffRole.values if r != StaffRole.SYSTEM_ADMIN], "trade"])
def test_admin_pages_are_404_for_everyone_but_system_admins(staff, login, role):
    user = make_user("trader@example.com") if role == "trade" else staff[role]
    client = login(user)
    before = (AuditEvent.objects.count(), User.objects.filter(is_active=True).count())
    for method, url in _admin_urls(staff):
        response = getattr(client, method)(
            url, {"name": "Boston", "reason": "x"} if method == "post" else None
        )
        assert response.status_code == 404, (role, method, url)
    assert (AuditEvent.objects.count(), User.objects.filter(is_active=True).count()) == before
    assert FieldOffice.objects.get(code="miami").name == "Miami"


def test_admin_pages_send_anonymous_visitors_to_sign_in(staff):
    for method, url in _admin_urls(staff):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))


def test_admin_pages_open_for_system_admin(staff, login):
    client = login(staff["system_admin"])
    for name, args in [
        ("accounts:staff_users", []),
        ("accounts:staff_user", [staff["scs"].pk]),
        ("accounts:staff_user_action", [staff["scs"].pk, "deactivate"]),
        ("accounts:field_offices", []),
        ("accounts:field_office_rename", [FieldOffice.objects.get(code="miami").pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert (
        client.get(reverse("accounts:staff_user_action", args=[staff["scs"].pk, "explode"])).status_code
        == 404
    )
    trade = make_user("trader@example.com")
    assert client.get(reverse("accounts:staff_user", args=[trade.pk])).status_code == 404


def test_staff_list_shows_role_office_mfa_and_status(staff, login):
    TOTPDevice.objects.filter(user=staff["scs"]).delete()
    TOTPDevice.objects.create(user=staff["auditor"], name="phone", confirmed=True)
    User.objects.filter(pk=staff["targeting_officer"].pk).update(is_active=False)
    make_user("trader@example.com")
    client = login(staff["system_admin"])
    response = client.get(reverse("accounts:staff_users"))
    rows = {u.email: u for u in response.context["page"].items}
    assert "trader@example.com" not in rows
    assert len(rows) == len(StaffRole.values)
    assert rows["auditor@cbp.example"].has_mfa is True
    assert rows["scs@cbp.example"].has_mfa is False
    assert rows["targeting_officer@cbp.example"].is_active is False
    body = response.content.decode()
    assert (
        "Auditor (read-only)" in body
        and "New York" in body
        and "Not set up" in body
        and "Deactivated" in body
    )
    filtered = client.get(reverse("accounts:staff_users"), {"active": "no"}).context["page"]
    assert [u.email for u in filtered.items] == ["targeting_officer@cbp.example"]


def test_staff_list_query_count_is_constant(staff, login):
    client = login(staff["system_admin"])
    url = reverse("accounts:staff_users")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        make_user(f"extra{n}@cbp.example", staff_role=StaffRole.SCS, office="miami")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_create_staff_user_through_the_page(staff, login):
    client = login(staff["system_admin"])
    miami = FieldOffice.objects.get(code="miami")
    response = client.post(
        reverse("accounts:staff_users"),
        {
            "new-email": "New.Officer@cbp.example",
            "new-full_name": "Nia Officer",
            "new-staff_role": "vetting_officer",
            "new-field_office": miami.pk,
            "new-password": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.officer@cbp.example")
    assert (user.staff_role, user.field_office, user.full_name) == ("vetting_officer", miami, "Nia Officer")
    assert user.email_verified_at is not None and user.check_password(PASSWORD)
    assert events("user.create")[-1].actor == staff["system_admin"]
    # The new officer can sign in and is sent to set up MFA.
    fresh = Client()
    response = fresh.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.url.startswith(reverse("accounts:mfa"))


def test_create_staff_user_duplicate_or_inactive_office_is_refused(staff, login):
    client = login(staff["system_admin"])
    closed = FieldOffice.objects.create(name="Closed", code="closed", is_active=False)
    before = (User.objects.count(), AuditEvent.objects.count())
    data = {"new-full_name": "X", "new-staff_role": "scs", "new-password": PASSWORD}
    response = client.post(reverse("accounts:staff_users"), {**data, "new-email": "SCS@cbp.example"})
    assert response.status_code == 200
    assert b"already exists" in response.content
    response = client.post(
        reverse("accounts:staff_users"), {**data, "new-email": "n@cbp.example", "new-field_office": closed.pk}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_edit_deactivate_reactivate_and_reset_mfa(staff, login):
    admin = staff["system_admin"]
    target = staff["scs"]
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    client = login(admin)
    target_client = login(target)
    la = FieldOffice.objects.get(code="los-angeles")

    response = client.post(
        reverse("accounts:staff_user", args=[target.pk]),
        {"full_name": "Sam Scs", "staff_role": "supervisory_scs", "field_office": la.pk},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.staff_role, target.field_office) == ("supervisory_scs", la)

    url = reverse("accounts:staff_user_action", args=[target.pk, "deactivate"])
    assert client.post(url, {"reason": "Retired"}).status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    assert events("user.deactivate")[-1].reason == "Retired"
    # Their open session ends.
    assert target_client.get(reverse("accounts:tokens")).status_code == 302

    url = reverse("accounts:staff_user_action", args=[target.pk, "reactivate"])
    assert client.post(url, {"reason": ""}).status_code == 302
    target.refresh_from_db()
    assert target.is_active is True

    url = reverse("accounts:staff_user_action", args=[target.pk, "reset-mfa"])
    assert client.post(url, {"reason": "Lost phone"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()


def test_admin_cannot_deactivate_or_demote_self(staff, login):
    admin = staff["system_admin"]
    client = login(admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("accounts:staff_user_action", args=[admin.pk, "deactivate"]), {"reason": ""}
    )
    assert response.status_code == 200
    assert b"You cannot deactivate your own account" in response.content
    response = client.post(
        reverse("accounts:staff_user", args=[admin.pk]),
        {"full_name": "", "staff_role": "scs", "field_office": ""},
    )
    assert response.status_code == 200
    assert b"You cannot take the system administrator role from yourself" in response.content
    admin.refresh_from_db()
    assert (admin.is_active, admin.staff_role) == (True, "system_admin")
    assert AuditEvent.objects.count() == before


def test_field_offices_page_add_rename_deactivate(staff, login):
    client = login(staff["system_admin"])
    response = client.get(reverse("accounts:field_offices"))
    assert [o.name for o in response.context["offices"]] == [
        "Los Angeles",
        "Miami",
        "New York",
        "Washington DC",
    ]
    ny = next(o for o in response.context["offices"] if o.name == "New York")
    assert ny.staff_count == len(StaffRole.values)

    assert client.post(reverse("accounts:field_offices"), {"name": "Houston"}).status_code == 302
    houston = FieldOffice.objects.get(name="Houston")
    response = client.post(reverse("accounts:field_offices"), {"name": "houston"})
    assert response.status_code == 200 and b"already exists" in response.content
    assert FieldOffice.objects.filter(name__iexact="houston").count() == 1

    url = reverse("accounts:field_office_rename", args=[houston.pk])
    assert client.post(url, {"name": "Houston TX"}).status_code == 302
    assert client.post(reverse("accounts:field_office_deactivate", args=[houston.pk])).status_code == 302
    houston.refresh_from_db()
    assert (houston.name, houston.is_active) == ("Houston TX", False)
    form = client.get(reverse("accounts:staff_users")).context["form"]
    assert houston not in form.fields["field_office"].queryset
    response = client.post(reverse("accounts:field_office_deactivate", args=[houston.pk]), follow=True)
    assert b"already deactivated" in response.content
    assert client.post(reverse("accounts:field_office_reactivate", args=[houston.pk])).status_code == 302
    houston.refresh_from_db()
    assert houston.is_active is True
    assert client.post(reverse("accounts:field_office_deactivate", args=[999_999])).status_code == 404
