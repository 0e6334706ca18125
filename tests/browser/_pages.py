"""Page helpers for the browser tests (a plain module: `conftest` names collide across folders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "out" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def new_page(browser: Any, errors: list[str], width: int, height: int = 900) -> Any:
    """A fresh page whose uncaught errors land in `errors` (a test fails on any)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console.error: {msg.text}") if msg.type == "error" else None,
    )
    page.set_default_timeout(20_000)
    return page


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(frame: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's WCAG 2 A/AA violations of the given impacts, one line each."""
    frame.evaluate(AXE.read_text(encoding="utf-8"))
    result = frame.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
        for v in result
        if v["impact"] in impacts
    ]
