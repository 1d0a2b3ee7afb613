import pytest


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@mra.example")


@pytest.fixture
def manager(staff):
    return staff["program_manager"]
