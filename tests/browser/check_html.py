#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium loads the page that
`zhibiao check --format html` writes for the Rizhao example, runs its
script, and the DOM it ends with is checked: one row per outcome of the
JSON report, a chart with data for every rule whose outcomes have values,
the filter bar shown by the script, and no external URL anywhere in the
file. A screenshot is written for a person to look at.

Usage: tests/browser/check_html.py [PATH_TO_ZHIBIAO]
Installs Debian's `chromium` (and a CJK font) when they are absent.
Prints `browser: N passed, M failed` and exits 1 on any failure.
"""

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "target", "browser")
RULES = "rules/rizhao-2024.rules"
DATA = "examples/rizhao/data.csv"


def ensure_chromium():
    """The browser's path, installed from Debian's packages if absent."""
    wanted = []
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        wanted.append("chromium")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    if fonts.returncode != 0 or not fonts.stdout.strip():
        wanted.append("fonts-wqy-microhei")
    if wanted:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", *wanted], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(browser, profile, *args):
    """Runs headless Chromium with a fresh profile and no network habits."""
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--virtual-time-budget=2000", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class Dom(html.parser.HTMLParser):
    """What the checks need from the DOM: outcome rows, rule cards with
    their charts, and the filter bar."""

    def __init__(self):
        super().__init__()
        self.rows = []
        self.rules = {}
        self.current_rule = None
        self.filters_hidden = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "article" and "rule" in classes:
            self.current_rule = attrs.get("data-rule")
            self.rules[self.current_rule] = []
        elif tag == "svg" and "chart" in classes and self.current_rule is not None:
            self.rules[self.current_rule].append(int(attrs.get("data-points", "0")))
        elif tag == "tr" and "outcome" in classes:
            self.rows.append((self.current_rule, attrs.get("data-status")))
        elif tag == "div" and "filters" in classes:
            self.filters_hidden = "hidden" in attrs


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "zhibiao")
    os.makedirs(OUT, exist_ok=True)
    page = os.path.join(OUT, "report.html")
    shot = os.path.join(OUT, "report.png")
    results = []

    def check(name, ok, why=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {why}"))

    run = subprocess.run([binary, "check", RULES, "--data", DATA, "--format", "html", "-o", page],
                         cwd=ROOT, capture_output=True, text=True)
    check("the report is written", run.returncode in (0, 1) and os.path.exists(page), run.stderr)
    report = json.loads(subprocess.run([binary, "check", RULES, "--data", DATA, "--format", "json"],
                                       cwd=ROOT, capture_output=True, text=True).stdout)
    outcomes = report["outcomes"]
    source = open(page, encoding="utf-8").read()
    external = re.findall(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(""", source, re.I)
    check("no external URL", not external, f"found {external[:3]}")

    browser = ensure_chromium()
    check("chromium is there", bool(browser), "not installed")
    if not browser:
        return finish(results)
    with tempfile.TemporaryDirectory() as profile:
        dumped = chromium(browser, profile, "--dump-dom", "file://" + page)
    check("chromium loads the page", dumped.returncode == 0 and "<html" in dumped.stdout,
          dumped.stderr[-500:])
    dom = Dom()
    dom.feed(dumped.stdout)
    check("one row per outcome", len(dom.rows) == len(outcomes),
          f"{len(dom.rows)} rows for {len(outcomes)} outcomes")
    with_data = {f"{o['rule']['file']}:{o['rule']['line']}" for o in outcomes if o.get("series")}
    without_chart = sorted(rule for rule in with_data
                           if not any(points > 0 for points in dom.rules.get(rule, [])))
    check("a chart with data for every rule with values", bool(with_data) and not without_chart,
          f"no chart for {without_chart[:3]}")
    statuses = sorted(status for _, status in dom.rows)
    check("rows keep their statuses", statuses == sorted(o["status"] for o in outcomes))
    check("the script shows the filter bar", dom.filters_hidden is False)

    with tempfile.TemporaryDirectory() as profile:
        if os.path.exists(shot):
            os.remove(shot)
        taken = chromium(browser, profile, f"--screenshot={shot}", "--window-size=1280,2400",
                         "--hide-scrollbars", "file://" + page)
    check("a screenshot is written", taken.returncode == 0 and os.path.exists(shot),
          taken.stderr[-500:])
    print(f"screenshot: {os.path.relpath(shot, ROOT)}")
    return finish(results)


def finish(results):
    passed = sum(results)
    failed = len(results) - passed
    print(f"browser: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
