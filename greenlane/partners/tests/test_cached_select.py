"""The search form's selects render from memory: the same HTML as Django's Select, per value and language."""

from __future__ import annotations

from types import SimpleNamespace

from django import forms as django_forms
from django.utils import translation

from greenlane.partners import forms
from greenlane.partners.models import COUNTRY_CHOICES

OFFICES = [SimpleNamespace(pk=1, name="Miami <South>")]
SPECIALISTS = [SimpleNamespace(pk=7, display_name="Sam & Co")]


def _plain(field: str, form: forms.SearchForm) -> str:
    """What an ordinary Select renders for this bound field."""
    bound = form[field]
    widget = django_forms.Select(attrs=bound.field.widget.attrs, choices=bound.field.choices)
    return widget.render(
        bound.html_name, bound.value(), attrs=bound.build_widget_attrs({"id": bound.auto_id})
    )


def _form(data=None) -> forms.SearchForm:
    form = forms.SearchForm(data, offices=OFFICES, specialists=SPECIALISTS)
    form.is_valid()
    return form


def test_every_select_renders_as_djangos_select_would():
    for data in (None, {"country": "MX", "status": "certified", "assigned_scs": "none", "field_office": "1"}):
        form = _form(data)
        for field in ("status", "entity_type", "country", "field_office", "assigned_scs"):
            assert str(form[field]) == _plain(field, form)


def test_the_selected_country_follows_the_request_not_the_cache():
    mx, ca = str(_form({"country": "MX"})["country"]), str(_form({"country": "CA"})["country"])
    assert '<option value="MX" selected>' in mx and '<option value="CA" selected>' not in mx
    assert '<option value="CA" selected>' in ca and '<option value="MX" selected>' not in ca
    assert " selected" not in str(_form()["country"]).replace('value="" selected', "")
    assert mx.count("<option") == len(COUNTRY_CHOICES) + 1


def test_an_invalid_value_is_marked_and_selects_nothing():
    form = _form({"status": "nonsense"})
    html = str(form["status"])
    assert 'aria-invalid="true"' in html and " selected" not in html


def test_each_language_gets_its_own_rendering():
    for language in ("en", "es", "en"):
        with translation.override(language):
            form = _form({"country": "FR"})
            assert str(form["status"]) == _plain("status", form)
            assert str(form["country"]) == _plain("country", form)


def test_forms_share_the_country_choices_but_not_their_changes():
    one, two = _form(), forms.SearchForm(offices=[], specialists=[])
    assert one.fields["country"].choices is two.fields["country"].choices  # shared, not copied
    two.fields["country"].choices = [("", "Any"), ("MX", "Mexico")]
    assert len(forms.SearchForm().fields["country"].choices) == len(COUNTRY_CHOICES) + 1
    assert len(one.fields["country"].widget.choices) == len(COUNTRY_CHOICES) + 1
    assert "Miami &lt;South&gt;" in str(one["field_office"]) and "Sam &amp; Co" in str(one["assigned_scs"])
