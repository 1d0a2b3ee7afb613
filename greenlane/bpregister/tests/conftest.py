import pytest


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@bpr.example")


@pytest.fixture
def member(officer):
    from greenlane.mra.tests.support import certified

    return certified(officer, name="Register Owner Inc")
