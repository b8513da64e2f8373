"""Performance at scale: synthetic catalogs of 200, 1,000 and 2,000 entries, every step timed and weighed.

    .venv/bin/python -m benchmarks [--sizes 200,1000,2000,10000] [--runs 3] [--baseline-runs 1] [--serve-size 1000]

For each size it writes a synthetic project (benchmarks/synthetic.py) and measures, as separate
processes, each several times with the median and the spread, and the peak memory of each:
`playbook check`; `playbook generate` cold, cold with the diagrams already cached, with nothing
changed, and after one entry changed; the MkDocs build of the generated pages, on every core and in
one process, every page made afresh; the whole `playbook build` from nothing, and again after one
entry changed (a pull request's preview: the page cache and the parsed catalog of the cold build at
hand); the size of the built site, by what it holds and per page; and, in the same run, the naive
baseline: the same pages built with Material's defaults and every entry in the navigation. Zensical
builds the same pages when it is installed. The naive baseline and Zensical are measured up to
--baseline-max entries (they grow faster than linearly: Zensical needs about 4 GB at 2,000). Edit-to-reload
is timed under `playbook serve` on one size. The results go to benchmarks/results.json and
benchmarks/results.md, which the site's Benchmarks page includes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.compare import compare
from benchmarks.sizes import SiteSize, site_size
from benchmarks.synthetic import write_catalog
from generators.forked import JOBS_ENV
from generators.project import PARSED_FILE, SITE_CACHE_ENV

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PLAYBOOK = [sys.executable, "-m", "generators"]
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Step:
    """Several runs of one step: seconds and peak memory (MiB) of each."""

    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        return max(self.seconds) - min(self.seconds)


def run(command: list[str], cwd: Path, step: Step | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command to the end; record its wall time and peak memory in `step`; return its output."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=cwd, env={**ENV, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{output[-3000:]}")
    if step is not None:
        step.seconds.append(elapsed)
        step.peak_mib.append(usage.ru_maxrss / 1024)  # the largest process of the step (kilobytes on Linux)
    return output


def project(folder: Path, size: int) -> Path:
    """A playbook project holding a synthetic catalog of `size` entries and the site configuration."""
    root = folder / f"playbook-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in ("mkdocs.yml", "playbook.toml"):
        shutil.copy2(REPO / name, root / name)
    for name in ("overrides", "hooks"):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("playbook"))
    # The bundled golden path quotes bundled entries; a synthetic catalog has other ids.
    (root / "docs" / "golden-path.md").write_text("# Golden path\n\nSee the reference architectures.\n", encoding="utf-8")
    write_catalog(root, size)
    return root


def clean(root: Path, *names: str) -> None:
    """Remove each named folder or file of the project."""
    for name in names:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def edit_one(root: Path, marker: str) -> None:
    """Change the title of one ADR, as an architect editing one entry would."""
    path = sorted((root / "catalog" / "adrs").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: Revised decision {marker}", text, count=1, flags=re.M), encoding="utf-8")


def written(output: str) -> int:
    match = re.search(r"(\d+) written", output)
    return int(match.group(1)) if match else -1


def taken(output: str) -> str:
    """What the site build's page cache said it took from the last build."""
    match = re.search(r"site cache: (\d+) of (\d+) pages taken", output)
    return f"{int(match[1]):,} of {int(match[2]):,} pages from the page cache" if match else "page cache not reported"


def naive_baseline(root: Path, folder: Path) -> Path:
    """The generated pages in a folder of their own, with Material's defaults and every page in the navigation."""
    base = folder / "naive"
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(root / "docs", base / "docs", ignore=shutil.ignore_patterns(".*"))
    for page in base.joinpath("docs").rglob("*.md"):  # hand-written pages without the macros plugin
        page.write_text(re.sub(r"\{[{%].*?[%}]\}", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    pages = sorted(p.relative_to(base / "docs").as_posix() for p in (base / "docs").rglob("*.md"))
    config = {
        "site_name": "Naive baseline",
        "theme": {"name": "material"},
        "extra_css": ["assets/playbook.css"],
        "markdown_extensions": ["admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
                                "pymdownx.details", "pymdownx.superfences", {"pymdownx.tabbed": {"alternate_style": True}},
                                "pymdownx.tasklist", "pymdownx.highlight", "pymdownx.inlinehilite"],
        "nav": pages,
    }
    (base / "mkdocs.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")  # JSON is YAML
    return base


def serve_reload(root: Path, runs: int, *options: str) -> Step:
    """Seconds from saving one catalog file until `playbook serve` serves the regenerated page."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    step = Step(note="time from saving a tool's YAML to the served page showing the new title")
    path = sorted((root / "catalog" / "tools").glob("*.yaml"))[0]
    url = f"http://127.0.0.1:{port}/playbook/tools/{path.stem}/"
    server = subprocess.Popen([*PLAYBOOK, "--root", str(root), "serve", "-a", f"127.0.0.1:{port}", *options], cwd=root, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def served(text: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
                return text in response.read().decode("utf-8", "replace")
        except OSError:
            return False

    try:
        deadline = time.monotonic() + 900
        while not served("<h1"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"playbook serve {' '.join(options)} stopped or never served {url}")
            time.sleep(0.5)
        for index in range(runs):
            time.sleep(2)  # let the server settle
            marker = f"Reloaded tool {index} {time.time_ns()}"
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.M), encoding="utf-8")
            started = time.perf_counter()
            while not served(marker):
                if time.perf_counter() - started > 300:
                    raise SystemExit("the edit was not served within 300 s")
                time.sleep(0.1)
            step.seconds.append(time.perf_counter() - started)
            step.peak_mib.append(0.0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return step


def zensical() -> list[str] | None:
    path = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    return [path] if path else None


#: How much faster than the catalog the cold build may grow between the largest sizes: 6 times for 5 times the entries.
GROWTH = 1.2
#: The MkDocs build measured on its own makes every page afresh: the page cache is the pull request's step.
FRESH = {SITE_CACHE_ENV: "off"}


def measure(size: int, folder: Path, runs: int, baseline_runs: int) -> tuple[dict[str, Step], SiteSize]:
    print(f"\n{size} entries", flush=True)
    root = project(folder, size)
    steps: dict[str, Step] = {name: Step() for name in (
        "check", "generate cold", "generate cold, diagrams cached", "generate, nothing changed",
        "generate, one entry changed", "mkdocs build", "mkdocs build, one process", "playbook build, cold",
        "playbook build, one entry changed")}
    if baseline_runs:
        steps["naive baseline build"] = Step()
    for _ in range(runs):
        clean(root, f".playbook-cache/{PARSED_FILE}")  # each step below that says cold parses every file
        run([*PLAYBOOK, "--root", str(root), "check"], root, steps["check"])
        clean(root, "docs/playbook", ".playbook-cache")
        run([*PLAYBOOK, "--root", str(root), "generate"], root, steps["generate cold"])
        clean(root, "docs/playbook", ".playbook-cache/generated-internal.json", f".playbook-cache/{PARSED_FILE}")
        run([*PLAYBOOK, "--root", str(root), "generate"], root, steps["generate cold, diagrams cached"])
        out = run([*PLAYBOOK, "--root", str(root), "generate"], root, steps["generate, nothing changed"])
        steps["generate, nothing changed"].note = f"{written(out)} files written"
        edit_one(root, str(time.time_ns()))
        out = run([*PLAYBOOK, "--root", str(root), "generate"], root, steps["generate, one entry changed"])
        steps["generate, one entry changed"].note = f"{written(out)} files written"
        run([*MKDOCS, "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")], root,
            steps["mkdocs build, one process"], {JOBS_ENV: "1", **FRESH})
        run([*MKDOCS, "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")], root, steps["mkdocs build"],
            FRESH)
        clean(root, "site-mkdocs")
        (root / "site").rename(root / "site-mkdocs")  # kept to compare with Zensical's pages
        clean(root, "docs/playbook", ".playbook-cache", "site")
        run([*PLAYBOOK, "--root", str(root), "build"], root, steps["playbook build, cold"])
        size_of_site = site_size(root / "site")
        edited = sorted((root / "catalog" / "adrs").glob("*.yaml"))[0]
        before = edited.read_bytes()
        edit_one(root, str(time.time_ns()))
        out = run([*PLAYBOOK, "--root", str(root), "build"], root, steps["playbook build, one entry changed"])
        steps["playbook build, one entry changed"].note = taken(out)
        edited.write_bytes(before)  # back to the pages site-mkdocs was built from, which Zensical's are compared with
        run([*PLAYBOOK, "--root", str(root), "generate"], root)
        print(f"  run done: {', '.join(f'{k} {v.seconds[-1]:.1f} s' for k, v in steps.items() if v.seconds)}", flush=True)
    if not baseline_runs:
        return steps, size_of_site
    base = naive_baseline(root, folder)
    for _ in range(baseline_runs):
        run([*MKDOCS, "build", "-q", "-f", str(base / "mkdocs.yml"), "-d", str(base / "site")], base,
            steps["naive baseline build"])
    print(f"  naive baseline {steps['naive baseline build'].median:.1f} s", flush=True)
    engine = zensical()
    if engine:
        steps["zensical build"] = Step()
        for _ in range(runs):
            clean(root, "site", ".cache")
            run([*engine, "build", "-f", str(root / "mkdocs.yml")], root, steps["zensical build"])
        pages, same, differ = compare(root / "site-mkdocs", root / "site")
        steps["zensical build"].note = f"{same} of {pages} pages match MkDocs' text" + (f" (first: {differ[0]})" if differ else "")
        print(f"  zensical {steps['zensical build'].median:.1f} s; {steps['zensical build'].note}", flush=True)
    return steps, size_of_site


def table(results: dict[int, dict[str, Step]]) -> str:
    sizes = sorted(results)
    lines = ["| Step | " + " | ".join(f"{s:,} entries" for s in sizes) + " |", "| --- |" + " --- |" * len(sizes)]
    names = list(dict.fromkeys(n for s in sizes for n in results[s]))
    for name in names:
        cells = []
        for size in sizes:
            step = results[size].get(name)
            if not step or not step.seconds:
                cells.append("")
                continue
            peak = f", {max(step.peak_mib):.0f} MiB" if max(step.peak_mib) else ""
            note = f", {step.note}" if step.note and any(w in step.note for w in ("written", "match", "cache")) else ""
            cells.append(f"{step.median:.2f} s ± {step.spread / 2:.2f}{peak}{note}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def size_table(sizes: dict[int, SiteSize]) -> str:
    """One published version's size at each catalog size: what it holds, per page, and how many fit in 1 GB."""
    order = sorted(sizes)
    lines = ["| One version of the site | " + " | ".join(f"{s:,} entries" for s in order) + " |",
             "| --- |" + " --- |" * len(order)]
    rows = [("whole site", lambda z: f"{z.total / 1e6:,.1f} MB"),
            ("HTML pages", lambda z: f"{z.bytes['pages'] / 1e6:,.1f} MB in {z.pages:,} pages"),
            ("per page", lambda z: f"{z.page_mean / 1e3:,.1f} KB mean, {z.page_median / 1e3:,.1f} KB median"),
            ("search index", lambda z: f"{z.bytes['search'] / 1e6:,.1f} MB"),
            ("diagrams", lambda z: f"{z.bytes['diagrams'] / 1e6:,.1f} MB"),
            ("exports", lambda z: f"{z.bytes['exports'] / 1e6:,.1f} MB"),
            ("theme assets and other", lambda z: f"{(z.bytes['assets'] + z.bytes['other']) / 1e6:,.1f} MB"),
            ("versions in 1 GB", lambda z: f"{z.versions:,}")]
    for name, cell in rows:
        lines.append(f"| {name} | " + " | ".join(cell(sizes[s]) for s in order) + " |")
    return "\n".join(lines)


def targets(results: dict[int, dict[str, Step]], sizes: dict[int, SiteSize],
            reload: Step | None) -> list[tuple[str, str, bool]]:
    """(target, measured, met): at the largest size with a naive baseline (2,000 entries in `make bench`), and the
    growth to the largest size."""
    with_baseline = [s for s in results if "naive baseline build" in results[s]]
    size = max(with_baseline or results)
    r = results[size]
    out = []
    whole = r["playbook build, cold"].median
    if "naive baseline build" in r:
        naive = r["naive baseline build"].median
        out.append((f"whole build, cold, at most 25% of the naive baseline ({size:,} entries)",
                    f"{whole:.1f} s = {whole / naive:.0%} of {naive:.1f} s", whole <= 0.25 * naive))
    core = r["generate cold, diagrams cached"].median  # generate checks the catalog first
    site, serial = r["mkdocs build"].median, r["mkdocs build, one process"].median
    out.append((f"check + generate, cold, without drawing, at most 15% of the MkDocs build ({size:,} entries)",
                f"{core:.1f} s = {core / site:.0%} of {site:.1f} s ({core / serial:.0%} of {serial:.1f} s in one process)",
                core <= 0.15 * site))
    again = r["playbook build, one entry changed"]
    out.append((f"a pull request's build after one entry changed at most 15% of the cold build ({size:,} entries)",
                f"{again.median:.1f} s = {again.median / whole:.0%} of {whole:.1f} s ({again.note})",
                again.median <= 0.15 * whole))
    same = r["generate, nothing changed"]
    out.append((f"generate with nothing changed: under 1 s, no file written ({size:,} entries)",
                f"{same.median:.2f} s, {same.note}", same.median < 1 and same.note.startswith("0 ")))
    memory = max(max(r[n].peak_mib) for n in ("check", "generate cold", "generate cold, diagrams cached"))
    out.append((f"peak memory of check + generate under 500 MB ({size:,} entries)", f"{memory:.0f} MiB",
                memory * 1.048576 < 500))
    if size in sizes:
        one = sizes[size]
        out.append((f"20 versions under 1 GB: one version at most 50 MB ({size:,} entries)",
                    f"{one.total / 1e6:,.1f} MB: {one.versions} versions fit", one.versions >= 20))
    top = max(results)
    if top > size:
        big = results[top]
        cold = big["playbook build, cold"].median
        allowed = GROWTH * top / size  # close to linear: 6 times for 5 times the entries
        out.append((f"cold build at {top:,} entries at most {allowed:g} times the {size:,}-entry one",
                    f"{cold:.1f} s = {cold / whole:.1f} times {whole:.1f} s", cold <= allowed * whole))
        heaviest = max((max(step.peak_mib), name) for name, step in big.items() if step.peak_mib)
        out.append((f"largest process under 1 GB ({top:,} entries)", f"{heaviest[0]:.0f} MiB ({heaviest[1]})",
                    heaviest[0] * 1.048576 < 1000))
    if reload is not None and reload.seconds:
        out.append(("edit-to-reload under playbook serve --dirty: under 5 s", f"{reload.median:.1f} s", reload.median < 5))
    return out


def report(data: dict[str, Any]) -> str:
    """results.md from what results.json holds: the steps, the sizes of the sites, the targets."""
    results = {int(size): {name: Step(**step) for name, step in steps.items()} for size, steps in data["sizes"].items()}
    site_sizes = {int(size): SiteSize(one["bytes"], one["pages"], one["page_mean"], one["page_median"])
                  for size, one in data["site_sizes"].items()}
    reloads = data.get("edit_to_reload") or {}
    reload, full_reload = (Step(**reloads["dirty"]), Step(**reloads["full"])) if reloads else (None, None)
    checks = targets(results, site_sizes, reload)
    data["targets"] = [{"target": t, "measured": m, "met": ok} for t, m, ok in checks]
    return "\n".join([
        f"Measured on {data['date']} ({data['machine']}) with `{data['command']}`; median of {data['runs']} runs "
        f"(naive baseline: {data['baseline_runs']}, up to {data['baseline_max']:,} entries), ± half the spread, peak "
        "memory of the step's largest process.",
        "", table(results), "",
        *([f"Edit-to-reload under `playbook serve --dirty`, {data['serve_size']:,} entries: {reload.median:.1f} s "
           f"± {reload.spread / 2:.1f} ({len(reload.seconds)} edits); under `playbook serve` (MkDocs rebuilds "
           f"every page): {full_reload.median:.1f} s ± {full_reload.spread / 2:.1f}.", ""]
          if reload and full_reload else []),
        size_table(site_sizes), "",
        "| Target | Measured | Met |", "| --- | --- | --- |",
        *[f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in checks], ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,1000,2000",
                        help="catalog sizes, comma-separated (default: 200,1000,2000; `make bench` adds 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (default: 3)")
    parser.add_argument("--baseline-runs", type=int, default=1, help="runs of the slow naive baseline (default: 1)")
    parser.add_argument("--baseline-max", type=int, default=2000,
                        help="the largest size the naive baseline and Zensical are measured at (default: 2000)")
    parser.add_argument("--serve-size", type=int, default=1000, help="catalog size for edit-to-reload; 0 skips it")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "playbook-bench")
    parser.add_argument("--out", type=Path, default=OUT, help="where results.json and results.md go")
    parser.add_argument("--report", action="store_true",
                        help="measure nothing: write results.md again from the results.json in --out")
    args = parser.parse_args()
    if args.report:
        data = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
    else:
        data = measure_all(args)
    markdown = report(data)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print("\n" + markdown)


def measure_all(args: argparse.Namespace) -> dict[str, Any]:
    """Every step at every size, the sizes of the sites and edit-to-reload, as results.json holds them."""
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    measured = {size: measure(size, args.work, args.runs, args.baseline_runs if size <= args.baseline_max else 0)
                for size in sizes}
    reload = full_reload = None
    if args.serve_size:
        print(f"\nedit-to-reload, {args.serve_size} entries", flush=True)
        root = project(args.work, args.serve_size)
        full_reload = serve_reload(root, args.runs)
        print(f"  full rebuild {full_reload.median:.1f} s", flush=True)
        reload = serve_reload(root, args.runs, "--dirty")
        print(f"  --dirty {reload.median:.1f} s", flush=True)
    command = (f"python -m benchmarks --sizes {args.sizes} --runs {args.runs} --baseline-runs {args.baseline_runs}"
               + (f" --baseline-max {args.baseline_max}" if args.baseline_max != 2000 else ""))
    return {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d"), "command": command, "runs": args.runs,
            "baseline_runs": args.baseline_runs, "baseline_max": args.baseline_max, "serve_size": args.serve_size,
            "sizes": {str(s): {n: asdict(step) for n, step in steps.items()} for s, (steps, _) in measured.items()},
            "site_sizes": {str(s): {**asdict(one), "total": one.total, "versions": one.versions}
                           for s, (_, one) in measured.items()},
            "edit_to_reload": {"dirty": asdict(reload), "full": asdict(full_reload)} if reload and full_reload else None}
