"""Shared pytest fixtures: users of every role, companies, API clients."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from django.test import Client

    from greenlane.accounts.models import User

# Django is imported inside the fixtures so that the pure-engine tests can run with `-p no:django`.
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _fast_hashing(request):
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = str(request.getfixturevalue("tmp_path") / "media")
    # Files the app writes under VAR_DIR (Parquet, exports, snapshots) go to the test's own folder, so that
    # parallel workers (pytest -n) never share them.
    settings.VAR_DIR = request.getfixturevalue("tmp_path") / "var"
    settings.VAR_DIR.mkdir(exist_ok=True)


def make_user(email: str, *, staff_role: str = "", office: str | None = "new-york", **extra) -> User:
    from greenlane.accounts.models import FieldOffice, User

    field_office = FieldOffice.objects.get(code=office) if staff_role and office else None
    return User.objects.create_user(
        email,
        PASSWORD,
        staff_role=staff_role,
        field_office=field_office,
        full_name=extra.pop("full_name", email.split("@")[0].title()),
        **extra,
    )


@pytest.fixture
def user_factory(db):
    return make_user


@pytest.fixture
def staff(db):
    """One user per staff role, keyed by role code."""
    from greenlane.accounts.choices import StaffRole

    return {role: make_user(f"{role}@cbp.example", staff_role=role) for role in StaffRole.values}


def verified_client(user: User) -> Client:
    """A browser client signed in; staff have passed MFA for the session."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    if user.staff_role:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login():
    return verified_client


def bearer(user: User) -> dict[str, str]:
    from greenlane.accounts.services import api_token_create

    _token, raw = api_token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def auth_header():
    return bearer


def load_catalogs() -> None:
    """Load the bundled criteria catalogs and activate the one in effect (idempotent, ~0.2 s)."""
    import io

    from django.core.management import call_command

    call_command("load_criteria", stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The criteria catalog is reference data every test may need: load it once into the test database."""
    with django_db_blocker.unblock():
        load_catalogs()


@pytest.fixture
def catalog(db):
    """For transactional tests (live server), whose flush empties the tables: load the catalog again."""
    load_catalogs()


def restore_reference_data() -> None:
    """What the data migrations put in every database (field offices, the agreement, screening rules and
    country threat levels, handling markings, foreign programs) and the criteria catalog: a transactional
    test's flush removes them."""
    from importlib import import_module

    from django.apps import apps

    import_module("greenlane.accounts.migrations.0002_field_offices").add_offices(apps, None)
    import_module("greenlane.partners.migrations.0002_agreement_v1").publish(apps, None)
    import_module("greenlane.screening.migrations.0002_bundled_rules_and_threats").load(apps, None)
    import_module("greenlane.comms.migrations.0001_initial").add_markings(apps, None)
    import_module("greenlane.mra.migrations.0002_load_programs").load(apps, None)
    load_catalogs()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's fixtures are torn down (its flush included), put reference data back."""
    yield
    if not item.config.pluginmanager.hasplugin("django") or not _is_transactional(item):
        return
    if nextitem is None:  # the session's last test: its database is already gone
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        restore_reference_data()
