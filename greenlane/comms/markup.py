"""Markdown-lite for bulletins and assessments: paragraphs, '- ' lists, **bold**. Escapes all HTML first.

Pure Python: text in, safe HTML out. Nothing the author types can become a tag or an attribute.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=True))


def render(text: str) -> str:
    """The HTML of a text: blocks split on blank lines; a block whose lines all start with '- ' is a list."""
    out: list[str] = []
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    for block in blocks:
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:].strip())}</li>" for line in lines)
            out.append(f'<ul class="usa-list">{items}</ul>')
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "\n".join(out)


def plain_excerpt(text: str, limit: int = 160) -> str:
    """One line of plain text for lists and e-mail: markup removed, cut at a word."""
    flat = " ".join(_BOLD.sub(r"\1", (text or "")).replace("- ", "").split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"
