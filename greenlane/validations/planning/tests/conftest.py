import pytest

from conftest import make_user


@pytest.fixture
def officer(db, catalog):
    return make_user("officer@planned.example")


@pytest.fixture
def manager(db):
    return make_user("pm@cbp.example", staff_role="program_manager")


@pytest.fixture
def scs(db):
    return make_user("scs@cbp.example", staff_role="scs")


@pytest.fixture
def scs2(db):
    return make_user("scs2@cbp.example", staff_role="scs")


@pytest.fixture
def members(officer):
    from greenlane.validations.tests.support import member

    return [member(officer, name=f"Planned Imports {i}") for i in range(3)]


@pytest.fixture
def computed(manager, scs, scs2, members, django_capture_on_commit_callbacks):
    """A draft plan for next year over three certified members and two specialists."""
    from greenlane.validations.planning import inputs, services

    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_compute(actor=manager, year=inputs.next_year(), time_limit=2, oversight_sample=0)
    plan.refresh_from_db()
    return plan
