"""Time to the first search result, in Chromium, as a reader meets it.

    .venv/bin/python -m benchmarks.search [--sizes 2000] [--runs 3] [--folder DIR]

The bundled playbook is the baseline, measured in the same run; then a synthetic catalog of each size. Each site is
built with `playbook build` and served on a local port. Every run opens a fresh browser context (nothing cached)
and measures two readers:

- settled: the page has loaded and gone quiet; "/" opens the search and a query is typed, until the first result
  shows (target: at most 1.5 s);
- at once: from asking for the page, "/" and the query as soon as the search box can open, until the first result
  shows (target: at most 3 s).

It prints the median and the worst run of each, the index's size on disk, the ratio to the baseline, and whether each
target is met; with --out it writes the table there as Markdown.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .legibility import CHROMIUM, FLAGS, served
from .scale import REPO, project

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: What readers type; each run takes the next one, so no answer comes from an earlier run's download.
QUERIES = ("gateway", "evaluation", "incident response", "vector search", "cost")
SETTLED_TARGET = 1.5
AT_ONCE_TARGET = 3.0


def bundled(folder: Path) -> Path:
    """A copy of the bundled playbook (the baseline)."""
    root = folder / "playbook-bundled"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", ".git", "site", ".playbook-cache",
                                                              "node_modules", "playbook"))
    return root


def build(root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "generators", "--root", str(root), "build"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return root / "site"


def first_result(browser: Browser, url: str, query: str, settled: bool) -> float:
    """Seconds until the first result of `query` shows, from typing on a settled page or from asking for the page."""
    context = browser.new_context()
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="networkidle" if settled else "commit")
        page.wait_for_function("customElements.get('pagefind-modal-trigger') !== undefined", polling=20)
        if settled:
            start = time.perf_counter()
        page.keyboard.press("/")
        page.locator("pagefind-modal input[type=search]").fill(query)
        page.locator("pagefind-modal .pf-result-link").first.wait_for(timeout=60_000)
        return time.perf_counter() - start
    finally:
        context.close()


def measure(browser: Browser, site: Path, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"settled": [], "at once": []}
    with served(site) as url:
        for run in range(runs):
            query = QUERIES[run % len(QUERIES)]
            times["settled"].append(first_result(browser, url + "/playbook/", query, settled=True))
            times["at once"].append(first_result(browser, url + "/playbook/", query, settled=False))
    return times


def size_of(folder: Path) -> float:
    """MiB on disk."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def table(rows: list[tuple[str, int, float, dict[str, list[float]]]]) -> str:
    base = rows[0][3]
    lines = ["| Catalog | Pages indexed | Index (MiB) | Settled: median, worst (s) | At once: median, worst (s) "
             "| Ratio to bundled (settled, at once) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, pages, mib, times in rows:
        ratio = [statistics.median(times[k]) / statistics.median(base[k]) for k in ("settled", "at once")]
        lines.append(f"| {name} | {pages:,} | {mib:.1f} | {statistics.median(times['settled']):.2f}, "
                     f"{max(times['settled']):.2f} | {statistics.median(times['at once']):.2f}, "
                     f"{max(times['at once']):.2f} | {ratio[0]:.2f}×, {ratio[1]:.2f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000", help="synthetic catalog sizes, comma-separated (default: 2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per reader and size (default: 3)")
    parser.add_argument("--folder", type=Path, help="where to build the sites (default: a temporary folder)")
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = args.folder or Path(tempfile.mkdtemp(prefix="search-bench-"))
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, make in [("bundled", bundled), *((f"{int(n):,} entries", lambda f, n=int(n): project(f, n))
                                                   for n in args.sizes.split(","))]:
            print(f"building the {name} site …", file=sys.stderr, flush=True)
            site = build(make(folder))
            pages = len(list((site / "pagefind" / "fragment").iterdir()))
            print(f"measuring search on {pages:,} pages …", file=sys.stderr, flush=True)
            rows.append((name, pages, size_of(site / "pagefind"), measure(browser, site, args.runs)))
        browser.close()
    report = table(rows)
    print(report)
    failed = False
    for name, _, _, times in rows[1:]:
        for reader, target in (("settled", SETTLED_TARGET), ("at once", AT_ONCE_TARGET)):
            worst = max(times[reader])
            met = worst <= target
            failed |= not met
            print(f"{name}, {reader}: worst {worst:.2f} s, target {target} s: {'met' if met else 'MISSED'}")
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
