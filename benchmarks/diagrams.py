"""Diagram drawing: time per diagram cold and cached, parallel speed-up, and page weight.

    .venv/bin/python -m benchmarks.diagrams [--root .] [--runs 3]

Every figure is measured in this run on this machine; the ratios compare runs of the same
diagrams, so they hold on a noisy shared machine better than the absolute times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generators.pipeline import check, diagram_jobs
from generators.project import Project
from generators.render import diagrams as drawing


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def _fmt(times: list[float], per: int) -> str:
    median = statistics.median(times) / per * 1000
    spread = (max(times) - min(times)) / per * 1000
    return f"{median:8.1f} ms (spread {spread:.1f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog, report = check(Project(args.root.resolve()))
    if report.errors:
        raise SystemExit("the catalog has errors; run 'playbook check'")
    jobs = diagram_jobs(catalog)
    cores = os.cpu_count() or 1
    print(f"{len(jobs)} diagram views, {cores} cores, {drawing.graphviz_version()}")

    sources = [job.dot().encode() for job in jobs]
    dot = shutil.which("dot") or "dot"
    plugins = drawing._plugin_folder()
    env = {**os.environ, "GVBINDIR": plugins} if plugins else None
    raw = _timed(lambda: [subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, cwd=drawing.ICON_ROOT,
                                         env=env, check=False) for source in sources], args.runs)
    laid_out = _timed(lambda: [drawing._lay_out(job, source.decode()) for job, source in zip(jobs, sources)], args.runs)
    serial = _timed(lambda: drawing.draw_all(jobs, None, workers=1), args.runs)
    parallel = _timed(lambda: drawing.draw_all(jobs, None, workers=cores), args.runs)
    with tempfile.TemporaryDirectory() as cache:
        drawing.draw_all(jobs, Path(cache))
        cached = _timed(lambda: drawing.draw_all(jobs, Path(cache), workers=cores), args.runs)
    print(f"raw dot, one core   {_fmt(raw, len(jobs))} per diagram (dot -Tsvg on the same DOT source)")
    print(f"from DOT, one core  {_fmt(laid_out, len(jobs))} per diagram (dot, then icons, font and title put in)")
    print(f"from DOT / raw dot  {statistics.median(laid_out) / statistics.median(raw):8.2f}x (target: at most 1.3x)")
    print(f"cold, one core      {_fmt(serial, len(jobs))} per diagram (the DOT source built too)")
    print(f"cold, {cores} cores      {_fmt(parallel, len(jobs))} per diagram")
    print(f"cached              {_fmt(cached, len(jobs))} per diagram")
    print(f"parallel speed-up   {statistics.median(serial) / statistics.median(parallel):8.2f}x")
    print(f"cache speed-up      {statistics.median(parallel) / statistics.median(cached):8.2f}x")

    # Page weight: icons copied once and referenced (what the site does), against icons embedded in every SVG.
    referenced, _ = drawing.draw_all(jobs, None)
    embedded, _ = drawing.draw_all([replace(job, icons="") for job in jobs], None)
    icons = {job.path: drawing.icons_used(referenced[job.path], job.icons) for job in jobs}
    first = jobs[0].entry_id
    views = [job.path for job in jobs if job.entry_id == first]

    def weight(names: list[str], table: dict[str, str], with_icons: bool) -> int:
        total = sum(len(table[name].encode()) for name in names)
        if with_icons:
            total += sum(len(drawing.icon_bytes(icon)) for icon in set().union(*(icons[name] for name in names)))
        return total

    every = [job.path for job in jobs]
    print(f"diagrams of '{first}' ({len(views)} views): referenced {weight(views, referenced, True) / 1024:.0f} KiB "
          f"(icons included, first visit), embedded {weight(views, embedded, False) / 1024:.0f} KiB")
    print(f"every diagram: referenced {weight(every, referenced, True) / 1024:.0f} KiB, "
          f"embedded {weight(every, embedded, False) / 1024:.0f} KiB")

if __name__ == "__main__":
    main()
