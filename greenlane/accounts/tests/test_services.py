from __future__ import annotations

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from conftest import PASSWORD, make_user
from greenlane.accounts import services
from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import ApiToken, FieldOffice, User, hash_token
from greenlane.accounts.tokens import make_verification_token
from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound

from .helpers import code_for, events

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        AuditEvent.objects.count(),
        ApiToken.objects.count(),
        FieldOffice.objects.count(),
    )


# Sign-up and users


def test_sign_up_creates_unverified_trade_user_and_sends_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_sign_up(email=" Ana@Example.COM ", password=PASSWORD, full_name="  Ana   Diaz ")
    assert (user.email, user.full_name, user.staff_role, user.email_verified_at) == (
        "ana@example.com",
        "Ana Diaz",
        "",
        None,
    )
    assert user.check_password(PASSWORD)
    assert [e.actor_id for e in events("user.sign_up")] == [user.pk]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.com"]
    assert "/accounts/verify/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"email": "not-an-address"}, InvalidInput, "email"),
        ({"email": ""}, InvalidInput, "email"),
        ({"full_name": "   "}, InvalidInput, "full_name"),
        ({"full_name": "x" * 151}, InvalidInput, "full_name"),
        ({"password": "short"}, InvalidInput, "password"),
        ({"password": "1234567890123"}, InvalidInput, "password"),
        ({"password": "password123"}, InvalidInput, "password"),
        ({"email": "taken@example.com"}, Conflict, "email"),
        ({"email": "TAKEN@example.com"}, Conflict, "email"),
    ],
)
def test_sign_up_refusals_change_nothing(kwargs, error, field, django_capture_on_commit_callbacks):
    make_user("taken@example.com")
    before = _counts()
    data = {"email": "new@example.com", "password": PASSWORD, "full_name": "New Person", **kwargs}
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(error) as exc:
        services.user_sign_up(**data)
    assert exc.value.field == field
    assert exc.value.message
    assert _counts() == before
    assert mail.outbox == []


def test_verify_email_token_confirms_once_and_is_idempotent():
    user = User.objects.create_user("v@example.com", PASSWORD, email_verified_at=None)
    token = make_verification_token(user)
    services.user_verify_email_token(token=token)
    user.refresh_from_db()
    first = user.email_verified_at
    assert first is not None
    services.user_verify_email_token(token=token)
    user.refresh_from_db()
    assert user.email_verified_at == first
    assert len(events("user.verify_email")) == 1


def test_verify_email_token_refuses_tampered_expired_and_changed_address(settings):
    user = User.objects.create_user("v@example.com", PASSWORD, email_verified_at=None)
    token = make_verification_token(user)
    for bad in (token + "x", "garbage", token.replace(":", ";", 1)):
        with pytest.raises(InvalidInput) as exc:
            services.user_verify_email_token(token=bad)
        assert exc.value.code == "link_invalid"
    User.objects.filter(pk=user.pk).update(email="other@example.com")
    with pytest.raises(InvalidInput):
        services.user_verify_email_token(token=token)
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert events("user.verify_email") == []


def test_verify_email_token_expires_after_three_days(monkeypatch):
    import time

    user = User.objects.create_user("v@example.com", PASSWORD, email_verified_at=None)
    token = make_verification_token(user)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 86400 + 5)
    with pytest.raises(InvalidInput) as exc:
        services.user_verify_email_token(token=token)
    assert exc.value.code == "link_expired"
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_resend_verification_only_for_unverified_and_throttled():
    from django.core.cache import cache

    cache.clear()
    User.objects.create_user("u@example.com", PASSWORD, email_verified_at=None)
    make_user("done@example.com")
    services.verification_email_resend(email="done@example.com")
    services.verification_email_resend(email="nobody@example.com")
    assert mail.outbox == []
    services.verification_email_resend(email="U@example.com")
    services.verification_email_resend(email="u@example.com")
    assert [m.to for m in mail.outbox] == [["u@example.com"]]


def test_user_create_staff_is_verified_and_audited(staff):
    office = FieldOffice.objects.get(code="miami")
    user = services.user_create(
        actor=staff["system_admin"],
        email="scs2@cbp.example",
        password=PASSWORD,
        full_name="Sam S",
        staff_role=StaffRole.SCS,
        field_office=office,
    )
    assert user.email_verified_at is not None
    assert (user.staff_role, user.field_office) == ("scs", office)
    event = events("user.create")[-1]
    assert event.actor == staff["system_admin"]
    assert event.after == {"email": "scs2@cbp.example", "staff_role": "scs", "field_office": "Miami"}


@pytest.mark.parametrize(
    ("actor_role", "kwargs", "error"),
    [
        ("scs", {"staff_role": "scs"}, Forbidden),
        ("system_admin", {"staff_role": "janitor"}, InvalidInput),
        ("system_admin", {"staff_role": "", "office": "miami"}, InvalidInput),
        ("system_admin", {"staff_role": "scs", "office": "inactive"}, InvalidInput),
        ("system_admin", {"staff_role": "scs", "email": "scs@cbp.example"}, Conflict),
    ],
)
def test_user_create_refusals_change_nothing(staff, actor_role, kwargs, error):
    FieldOffice.objects.create(name="Closed", code="inactive", is_active=False)
    office_code = kwargs.pop("office", None)
    office = FieldOffice.objects.get(code=office_code) if office_code else None
    before = _counts()
    with pytest.raises(error):
        services.user_create(
            actor=staff[actor_role],
            email=kwargs.pop("email", "new@cbp.example"),
            password=PASSWORD,
            field_office=office,
            **kwargs,
        )
    assert _counts() == before


def test_password_reset_service_confirms_address_and_changes_password(django_capture_on_commit_callbacks):
    user = User.objects.create_user("r@example.com", PASSWORD, email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_set_password(actor=user, user=user, password="a-new-long-passphrase-7", via_reset=True)
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-7")
    assert user.email_verified_at is not None
    assert len(events("user.password_reset")) == 1


def test_weak_new_password_refused_and_unchanged():
    user = make_user("r@example.com")
    with pytest.raises(InvalidInput) as exc:
        services.user_set_password(actor=user, user=user, password="123", via_reset=False)
    assert exc.value.field == "password"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert events("user.password_change") == []


# Staff administration


def test_staff_update_records_before_and_after(staff):
    target = staff["scs"]
    miami = FieldOffice.objects.get(code="miami")
    services.staff_user_update(
        actor=staff["system_admin"],
        user_id=target.pk,
        full_name="Pat Lee",
        staff_role=StaffRole.SUPERVISORY_SCS,
        field_office=miami,
    )
    target.refresh_from_db()
    assert (target.full_name, target.staff_role, target.field_office) == ("Pat Lee", "supervisory_scs", miami)
    event = events("user.update")[-1]
    assert event.before == {"full_name": "Scs", "staff_role": "scs", "field_office": "New York"}
    assert event.after == {"full_name": "Pat Lee", "staff_role": "supervisory_scs", "field_office": "Miami"}


def test_staff_update_refusals_change_nothing(staff, user_factory):
    admin = staff["system_admin"]
    trade = user_factory("t@example.com")
    before = _counts()
    with pytest.raises(InvalidInput):
        services.staff_user_update(
            actor=admin, user_id=admin.pk, full_name="", staff_role=StaffRole.SCS, field_office=None
        )
    with pytest.raises(NotFound):
        services.staff_user_update(
            actor=admin, user_id=trade.pk, full_name="", staff_role="scs", field_office=None
        )
    with pytest.raises(Forbidden):
        services.staff_user_update(
            actor=staff["scs"], user_id=staff["auditor"].pk, full_name="", staff_role="scs", field_office=None
        )
    with pytest.raises(InvalidInput):
        services.staff_user_update(
            actor=admin, user_id=staff["scs"].pk, full_name="", staff_role="boss", field_office=None
        )
    assert _counts() == before
    admin.refresh_from_db()
    assert admin.staff_role == "system_admin"


def test_deactivate_and_reactivate_staff(staff):
    admin, target = staff["system_admin"], staff["scs"]
    services.staff_user_deactivate(actor=admin, user_id=target.pk, reason="Left the agency")
    target.refresh_from_db()
    assert target.is_active is False
    assert events("user.deactivate")[-1].reason == "Left the agency"
    with pytest.raises(Conflict):
        services.staff_user_deactivate(actor=admin, user_id=target.pk)
    services.staff_user_reactivate(actor=admin, user_id=target.pk)
    target.refresh_from_db()
    assert target.is_active is True
    assert len(events("user.deactivate")) == 1
    assert len(events("user.reactivate")) == 1


def test_cannot_deactivate_self_or_as_non_admin(staff):
    before = _counts()
    with pytest.raises(InvalidInput):
        services.staff_user_deactivate(actor=staff["system_admin"], user_id=staff["system_admin"].pk)
    with pytest.raises(Forbidden):
        services.staff_user_deactivate(actor=staff["program_manager"], user_id=staff["scs"].pk)
    assert _counts() == before
    assert User.objects.filter(is_active=False).count() == 0


def test_mfa_reset_removes_devices(staff):
    target = staff["scs"]
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    services.staff_mfa_reset(actor=staff["system_admin"], user_id=target.pk, reason="Lost phone")
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert events("mfa.reset")[-1].before == {"devices": ["phone"]}
    with pytest.raises(Conflict):
        services.staff_mfa_reset(actor=staff["system_admin"], user_id=target.pk)
    assert len(events("mfa.reset")) == 1


# MFA


def test_totp_device_confirm_with_real_code(staff):
    user = staff["scs"]
    key = random_hex(20)
    device = services.totp_device_confirm(actor=user, key_hex=key, code=code_for(key))
    assert device.confirmed and device.key == key and device.user == user
    assert len(events("mfa.setup")) == 1


def test_totp_device_confirm_refuses_wrong_code_and_second_device(staff):
    user = staff["scs"]
    key = random_hex(20)
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    with pytest.raises(InvalidInput) as exc:
        services.totp_device_confirm(actor=user, key_hex=key, code=wrong)
    assert exc.value.field == "code"
    assert not TOTPDevice.objects.filter(user=user).exists()
    services.totp_device_confirm(actor=user, key_hex=key, code=code_for(key))
    other = random_hex(20)
    with pytest.raises(Conflict):
        services.totp_device_confirm(actor=user, key_hex=other, code=code_for(other))
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert len(events("mfa.setup")) == 1


# Field offices


def test_field_office_lifecycle(staff):
    admin = staff["system_admin"]
    office = services.field_office_create(actor=admin, name="  El Paso ")
    assert (office.name, office.code, office.is_active) == ("El Paso", "el-paso", True)
    services.field_office_rename(actor=admin, office_id=office.pk, name="El Paso TX")
    services.field_office_deactivate(actor=admin, office_id=office.pk)
    services.field_office_reactivate(actor=admin, office_id=office.pk)
    office.refresh_from_db()
    assert (office.name, office.code, office.is_active) == ("El Paso TX", "el-paso", True)
    assert [
        e.action for e in AuditEvent.objects.filter(object_type="accounts.fieldoffice").order_by("id")
    ] == [
        "field_office.create",
        "field_office.rename",
        "field_office.deactivate",
        "field_office.reactivate",
    ]


def test_field_office_refusals_change_nothing(staff):
    admin = staff["system_admin"]
    miami = FieldOffice.objects.get(code="miami")
    before = _counts()
    for call in (
        lambda: services.field_office_create(actor=admin, name="miami"),
        lambda: services.field_office_create(actor=admin, name="   "),
        lambda: services.field_office_create(actor=admin, name="x" * 101),
        lambda: services.field_office_create(actor=staff["scs"], name="Boston"),
        lambda: services.field_office_rename(actor=admin, office_id=miami.pk, name="New York"),
        lambda: services.field_office_rename(actor=admin, office_id=999_999, name="Nowhere"),
        lambda: services.field_office_reactivate(actor=admin, office_id=miami.pk),
    ):
        with pytest.raises((InvalidInput, Conflict, Forbidden, NotFound)):
            call()
    assert _counts() == before
    miami.refresh_from_db()
    assert (miami.name, miami.is_active) == ("Miami", True)


# API tokens


def test_api_token_create_stores_only_hash():
    user = make_user("t@example.com")
    token, raw = services.api_token_create(actor=user, user=user, name=" CI  runner ")
    assert raw.startswith("glt_") and len(raw) > 40
    assert token.name == "CI runner"
    assert token.token_hash == hash_token(raw) and raw not in (token.token_hash, token.prefix)
    assert token.prefix == raw[:10]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_api_token_bad_name_refused(name):
    user = make_user("t@example.com")
    before = _counts()
    with pytest.raises(InvalidInput) as exc:
        services.api_token_create(actor=user, user=user, name=name)
    assert exc.value.field == "name"
    assert _counts() == before


def test_api_token_limit(monkeypatch):
    user = make_user("t@example.com")
    monkeypatch.setattr(services, "MAX_ACTIVE_TOKENS", 2)
    services.api_token_create(actor=user, user=user, name="a")
    services.api_token_create(actor=user, user=user, name="b")
    before = _counts()
    with pytest.raises(Conflict):
        services.api_token_create(actor=user, user=user, name="c")
    assert _counts() == before


def test_api_token_revoke_foreign_is_not_found_and_unchanged():
    owner, other = make_user("o@example.com"), make_user("x@example.com")
    token, _raw = services.api_token_create(actor=owner, user=owner, name="mine")
    before = _counts()
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=other, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _counts() == before
    services.api_token_revoke(actor=owner, token_id=token.pk)
    services.api_token_revoke(actor=owner, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert len(events("api_token.revoke")) == 1
