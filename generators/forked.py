"""Work shared between this process and forked copies of it, for the cores a large catalog can use.

A forked process starts with everything this one holds (the loaded catalog, the templates), so
tasks need no arguments sent to them; only their results travel back, pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

R = TypeVar("R")
T = TypeVar("T")


#: How many processes share the work: 1 keeps everything in one process. Unset: the free cores, at most 8, for large work.
JOBS_ENV = "PLAYBOOK_JOBS"


def jobs_setting(value: str | None) -> int | None:
    """A number of processes as given (PLAYBOOK_JOBS, read where a process starts), None when not given.

    ValueError says what is wrong with it.
    """
    setting = (value or "").strip()
    if not setting:
        return None
    try:
        number = int(setting)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{JOBS_ENV}={setting!r}: give a whole number of processes, 1 or more (1 works in one process)")
    return number


def jobs(work: int, threshold: int, setting: int | None = None) -> int:
    """How many processes share `work` items: `setting` when given, else the free cores (at most 8) once `work`
    reaches `threshold`."""
    if setting is not None:
        return max(1, min(setting, work))
    free = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(free, 8) if work >= threshold else 1


def can_fork() -> bool:
    """Forking is safe only from a process running one thread: a fork copies other threads' locks, not the threads."""
    return hasattr(os, "fork") and threading.active_count() == 1


def run_forked(tasks: Sequence[Callable[[], R]]) -> list[R]:
    """Each task's result, in order: the first task runs here while each other one runs in a forked process."""
    if len(tasks) < 2 or not can_fork():
        return [task() for task in tasks]
    children: list[tuple[int, int]] = []
    try:
        for task in tasks[1:]:
            reader, writer = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the child: run one task, send its result or its error, and leave, whatever happens
                status = 1
                try:
                    os.close(reader)
                    try:
                        payload, status = pickle.dumps((True, task()), protocol=pickle.HIGHEST_PROTOCOL), 0
                    except BaseException:  # noqa: BLE001 - every failure goes back to the parent
                        payload = pickle.dumps((False, traceback.format_exc()))
                    with os.fdopen(writer, "wb") as out:
                        out.write(payload)
                finally:
                    os._exit(status)
            os.close(writer)
            children.append((pid, reader))
        results = [tasks[0]()]
        while children:
            pid, reader = children.pop(0)
            try:
                with os.fdopen(reader, "rb") as handle:
                    data = handle.read()
            finally:
                os.waitpid(pid, 0)
            if not data:
                raise RuntimeError("a forked worker stopped without a result")
            ok, value = pickle.loads(data)
            if not ok:
                raise RuntimeError(f"a forked worker failed:\n{value}")
            results.append(value)
        return results
    finally:
        for pid, reader in children:  # after a failure here: stop and reap the others
            try:
                os.close(reader)
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass


def shares(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`items` dealt into `parts` interleaved shares, so that costly neighbours land in different ones."""
    return [items[index::parts] for index in range(max(1, parts))]
