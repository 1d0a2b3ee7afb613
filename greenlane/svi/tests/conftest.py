import pytest

from greenlane.svi import webhooks

from .support import fake_resolver


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """No test resolves real names or opens sockets: resolution and posting are replaced."""
    monkeypatch.setattr(webhooks, "RESOLVER", fake_resolver())
    calls: list[dict] = []

    def fake_post(*, address, target, body, headers):
        calls.append({"address": address, "url": target.url, "body": body, "headers": headers})
        return 200

    monkeypatch.setattr(webhooks, "post", fake_post)
    return calls
