"""Helpers for browser tests: sign in through the real login page, check accessibility."""

from __future__ import annotations

from pathlib import Path

from coquan.core.testing.factories import PASSWORD

AXE_JS = Path(__file__).with_name("axe.min.js")


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would, and wait for the dashboard."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (vendored from npm) on the current page; return serious violations."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, "
        "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"accessibility violations: {violations}"
