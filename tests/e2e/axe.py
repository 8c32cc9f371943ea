"""axe-core in the page under test: WCAG 2.0/2.1 level A and AA rules only."""
from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def violations(page) -> list[dict]:
    results = _axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    })
    return results.response["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            target = " ".join(map(str, node.get("target", [])))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"  {violation['id']} ({violation['impact']}): {target} :: {summary}"
                         f" :: {node.get('html', '')[:160]}")
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    """No WCAG 2.1 A/AA violation on the page as it is now; the message names each rule
    id and the element selector."""
    found = violations(page)
    assert not found, f"axe-core: WCAG 2.1 A/AA violations on {what} ({page.url}):\n{describe(found)}"
