"""Where the browser tests leave what people look at (screenshots, downloads), and axe-core's accessibility check."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "artifacts"
AXE = ROOT / "client" / "node_modules" / "axe-core" / "axe.min.js"


def save_artifact(page, name: str) -> Path:
    """Save a screenshot under artifacts/ (kept by CI runs for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious(result: dict) -> list[dict]:
    """The serious or critical violations of an axe run, shortened for an assertion message."""
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def axe_violations(browser, url: str, storage_state=None) -> list[dict]:
    """Serious or critical axe-core violations on a page (axe from npm, injected into a CSP-free context)."""
    context = browser.new_context(bypass_csp=True, storage_state=storage_state)
    try:
        page = context.new_page()
        page.goto(url)
        page.locator("#app > :not(.loading)").first.wait_for()
        page.add_script_tag(path=str(AXE))
        return serious(page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})"))
    finally:
        context.close()
