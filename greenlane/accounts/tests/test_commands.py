from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import PASSWORD, make_user
from greenlane.accounts.models import ApiToken, FieldOffice, User
from greenlane.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_trade_user():
    out = _run("create_user", "Ana@Example.com", "--password", PASSWORD, "--name", "Ana Diaz")
    assert out.strip() == "Created trade user ana@example.com."
    user = User.objects.get(email="ana@example.com")
    assert (user.full_name, user.staff_role, user.field_office) == ("Ana Diaz", "", None)
    assert user.email_verified_at is not None and user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.create")
    assert (event.actor, event.actor_label) == (None, "system")


def test_create_staff_user_with_office_by_name_or_code():
    _run(
        "create_user",
        "a@cbp.example",
        "--password",
        PASSWORD,
        "--staff-role",
        "scs",
        "--field-office",
        "new york",
    )
    _run(
        "create_user",
        "b@cbp.example",
        "--password",
        PASSWORD,
        "--staff-role",
        "auditor",
        "--field-office",
        "miami",
    )
    assert User.objects.get(email="a@cbp.example").field_office.code == "new-york"
    assert User.objects.get(email="b@cbp.example").field_office.name == "Miami"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--staff-role", "janitor"], "Unknown staff role 'janitor'. Known roles: scs, supervisory_scs"),
        (
            ["--staff-role", "scs", "--field-office", "Atlantis"],
            "Unknown field office 'Atlantis'. Known offices:",
        ),
        (["--field-office", "Miami"], "A field office applies only to staff accounts"),
        (["--password", "short"], "too short"),
    ],
)
def test_create_user_refusals(args, message):
    before = (User.objects.count(), AuditEvent.objects.count())
    argv = ["create_user", "x@example.com", *args]
    if "--password" not in args:
        argv += ["--password", PASSWORD]
    with pytest.raises(CommandError, match=message):
        _run(*argv)
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_create_user_duplicate_email():
    make_user("taken@example.com")
    with pytest.raises(CommandError, match="already exists"):
        _run("create_user", "TAKEN@example.com", "--password", PASSWORD)
    assert User.objects.count() == 1


def test_create_user_without_password_and_no_terminal(monkeypatch):
    from greenlane.accounts.management.commands import create_user

    monkeypatch.setattr(create_user.Command, "stdin_is_tty", staticmethod(lambda: False))
    with pytest.raises(CommandError, match="Give --password"):
        _run("create_user", "x@example.com")
    assert not User.objects.exists()


def test_greenlane_script_maps_hyphens(monkeypatch):
    import django.core.management

    from greenlane.cli import main

    seen = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)
    main(["greenlane", "create-user", "cli@example.com", "--password", PASSWORD])
    main(["greenlane", "api-token", "--user", "cli@example.com"])
    assert [argv[1] for argv in seen] == ["create_user", "api_token"]


def test_api_token_prints_only_a_working_token():
    user = make_user("t@example.com")
    out = _run("api_token", "--user", "T@example.com", "--name", "nightly")
    raw = out.strip()
    assert out == raw + "\n" and raw.startswith("glt_")
    token = ApiToken.objects.get(user=user)
    assert token.name == "nightly"
    assert Client().get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_api_token_refusals():
    make_user("gone@example.com", is_active=False)
    with pytest.raises(CommandError, match=r"No user with the e-mail address nobody@example\.com"):
        _run("api_token", "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="deactivated"):
        _run("api_token", "--user", "gone@example.com")
    assert ApiToken.objects.count() == 0
    assert FieldOffice.objects.count() == 4
