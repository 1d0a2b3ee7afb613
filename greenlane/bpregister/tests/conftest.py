import pytest


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@bpr.example")


@pytest.fixture
def member(officer):
    from greenlane.mra.tests.support import certified

    return certified(officer, name="Register Owner Inc")


@pytest.fixture(autouse=True)
def _programs(request):
    """Programs are reference data from a migration; a transactional test's flush elsewhere may remove them."""
    if not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from greenlane.mra import programs
    from greenlane.mra.models import ForeignProgram

    if not ForeignProgram.objects.exists():
        programs.sync(ForeignProgram)
