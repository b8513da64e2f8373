"""The generate step of generate, build, serve and publish: write the pages and say what happened."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable

from ..diagnostics import FORMATTERS, Diagnostic, Report
from ..history.snapshots import HistoryError
from ..load.entries import ParseCache
from ..pipeline import generate
from ..project import Project, Release
from ..render.diagrams import DiagramError, print_progress
from ..write.writer import WriteError


def generate_and_report(project: Project, today: dt.date | None = None, audience: str | None = None, force: bool = False,
                        jobs: int | None = None, cache: ParseCache | None = None, release: Release | None = None,
                        reported: Callable[[Report], None] | None = None) -> bool:
    """Generate the pages of `audience`'s edition (of `release` when publishing one) and print what was written.

    The arguments are those of `pipeline.generate`; `reported`, when given, is handed the run's report as well
    (one error on the output folder when the pages could not be written or the diagrams drawn).
    False, with the reason printed on stderr, when nothing was generated.
    """
    started = time.perf_counter()
    try:
        report, result, stats = generate(project, progress=print_progress, today=today, audience=audience, force=force,
                                         jobs=jobs, cache=cache, release=release)
    except (WriteError, DiagramError, HistoryError) as exc:  # HistoryError: a damaged record on the publishing branch
        print(f"error: {exc}", file=sys.stderr)
        if reported is not None:  # the run's one error, so that what shows it does not keep the previous run's
            output = project.output.relative_to(project.root).as_posix()
            reported(Report([Diagnostic(output, 1, 1, "error", str(exc), code="generate")]))
        return False
    if reported is not None:
        reported(report)
    if report.diagnostics:
        print(FORMATTERS["text"](report), file=sys.stderr)
    if result is None:
        print(f"nothing {'published' if release else 'generated'}: fix the errors above first", file=sys.stderr)
        return False
    elapsed = time.perf_counter() - started
    drawn = f"; diagrams: {stats.drawn} drawn, {stats.cached} cached" if stats and (stats.drawn or stats.cached) else ""
    edition = f"{audience} edition, " if audience else ""
    print(f"generated {project.output.relative_to(project.root)}: {result.summary()}{drawn} ({edition}{elapsed:.2f} s)",
          file=sys.stderr)
    return True
