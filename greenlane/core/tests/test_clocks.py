import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from greenlane.core import clocks
from greenlane.core.clocks import Pause

D = dt.date


def test_certification_due_is_90_days_after_submission():
    assert clocks.certification_due(D(2026, 1, 1)) == D(2026, 4, 1)


def test_a_closed_pause_moves_the_deadline_by_its_length():
    assert clocks.certification_due(D(2026, 1, 1), [Pause(D(2026, 2, 1), D(2026, 2, 11))]) == D(2026, 4, 11)


def test_a_pause_after_the_deadline_does_not_count():
    assert clocks.certification_due(D(2026, 1, 1), [Pause(D(2026, 5, 1), D(2026, 5, 20))]) == D(2026, 4, 1)


def test_an_open_pause_counts_up_to_today():
    due = clocks.certification_due(D(2026, 1, 1), [Pause(D(2026, 3, 1))], today=D(2026, 3, 6))
    assert due == D(2026, 4, 6)


def test_overlapping_pauses_count_once():
    pauses = [Pause(D(2026, 2, 1), D(2026, 2, 11)), Pause(D(2026, 2, 5), D(2026, 2, 15))]
    assert clocks.certification_due(D(2026, 1, 1), pauses) == D(2026, 4, 15)


def test_leap_day_anniversary_falls_on_28_february():
    assert clocks.first_validation_due(D(2024, 2, 29)) == D(2025, 2, 28)
    assert clocks.revalidation_due(D(2024, 2, 29)) == D(2028, 2, 29)


def test_annual_review_window_opens_90_days_before_the_anniversary():
    w = clocks.annual_review_window(D(2025, 6, 15))
    assert (w.cycle, w.due, w.opens) == (1, D(2026, 6, 15), D(2026, 3, 17))
    assert not w.is_open(D(2026, 3, 16)) and w.is_open(D(2026, 3, 17))
    assert clocks.annual_review_window(D(2025, 6, 15), completed_cycles=1).due == D(2027, 6, 15)
    assert clocks.reminder_dates(w) == {
        "opened": D(2026, 3, 17),
        "due_in_30": D(2026, 5, 16),
        "due_in_7": D(2026, 6, 8),
    }


def test_appeal_windows():
    assert clocks.appeal_due(D(2026, 1, 1), false_information=False) == D(2026, 4, 1)
    assert clocks.appeal_due(D(2026, 1, 1), false_information=True) == D(2026, 1, 31)
    assert clocks.appeal_decision_due(D(2026, 1, 1)) == D(2026, 6, 30)


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1))


@given(dates, st.lists(st.tuples(dates, st.integers(0, 60)), max_size=5))
def test_pauses_never_shorten_and_never_add_more_than_their_length(start, raw):
    pauses = [Pause(s, s + dt.timedelta(days=n)) for s, n in raw]
    base = clocks.certification_due(start)
    due = clocks.certification_due(start, pauses)
    assert base <= due <= base + dt.timedelta(days=sum(n for _s, n in raw))
