import pytest


@pytest.fixture(autouse=True)
def _fresh_index(request):
    """Each test starts without a cached match index (the cache is keyed by import token anyway)."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from greenlane.vetting import index

    index.clear()
    yield
    index.clear()


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")
