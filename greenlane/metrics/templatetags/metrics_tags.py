from __future__ import annotations

from django import template

from greenlane.metrics.exports import fmt_value

register = template.Library()


@register.filter
def measure_value(value, unit):
    return fmt_value(value, unit)


@register.filter
def num(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        if abs(value) >= 100 or value == int(value):
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return value


@register.filter
def pct(value):
    return "—" if value is None else f"{value * 100:.1f}%"
