"""axe-core in the page: inject the locally installed axe.min.js, run the WCAG 2.1 A/AA rules, report.

The site's CSP (`script-src 'self'`) blocks injected inline scripts, so pages are opened in a browser context
created with `bypass_csp=True` (see conftest.py).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN = """async (tags) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const result = await window.axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(" "), summary: n.failureSummary || ""})),
  }));
}"""


@functools.cache
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing: {AXE_JS} does not exist. Install the front-end assets with `make install` "
            "(npm ci), which installs axe-core from package.json.",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(_RUN, list(WCAG_TAGS))


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        lines.extend(f"      at {node['target']}" for node in v["nodes"])
    return "\n".join(lines)


def assert_accessible(page, *, where: str = "") -> list[dict]:
    """Fail on serious or critical violations; print every violation found. Returns them all."""
    violations = run_axe(page)
    where = where or page.url
    if violations:
        print(f"axe on {where}:\n{describe(violations)}")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        pytest.fail(
            f"axe-core: serious or critical accessibility violations on {where}:\n{describe(failing)}",
            pytrace=False,
        )
    return violations
