from django import template
from django.utils.safestring import mark_safe

from greenlane.comms import markup

register = template.Library()


@register.filter
def comms_markup(text: str) -> str:
    """The markdown-lite of a bulletin or an assessment, every character escaped first (markup.render)."""
    return mark_safe(markup.render(text or ""))


@register.filter
def excerpt(text: str, limit: int = 160) -> str:
    return markup.plain_excerpt(text or "", int(limit))
