from __future__ import annotations

import random

import pytest


@pytest.fixture
def demo_data(db, settings, monkeypatch):
    """A small scored targeting day (synthetic), crossings, a snapshot and the measures for 2025."""
    from greenlane.metrics import demo

    monkeypatch.setattr(demo, "DEMO_ROWS", 3000)
    demo.seed_demo(random.Random(4))
    return demo
