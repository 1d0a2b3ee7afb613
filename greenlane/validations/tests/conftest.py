import pytest

from conftest import make_user


@pytest.fixture
def officer(db, catalog):
    return make_user("officer@validated.example")


@pytest.fixture
def scs(db):
    return make_user("scs@cbp.example", staff_role="scs")


@pytest.fixture
def supervisor(db):
    return make_user("sup@cbp.example", staff_role="supervisory_scs")


@pytest.fixture
def partner(officer):
    from .support import member

    return member(officer)
