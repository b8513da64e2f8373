"""`playbook serve`: regenerate on every catalog or playbook.toml change beside MkDocs' live-reloading server."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..config import CONFIG_FILE
from ..project import PYTHON, Project
from .serve_errors import ERRORS_ENV, clear_errors, prepare_errors

#: Events that change a file; reading one (opened, closed) is not a change.
_CHANGES = {"created", "modified", "deleted", "moved"}


class _Debounced(FileSystemEventHandler):
    """Runs `action` once a burst of changes to files whose names end in `endings` has settled."""

    def __init__(self, action: Callable[[], None], endings: tuple[str, ...] = (".yaml", ".yml"), delay: float = 0.1) -> None:
        self.action = action
        self.endings = endings
        self.delay = delay
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES or event.is_directory:
            return
        if not any(str(path).endswith(self.endings) for path in (event.src_path, getattr(event, "dest_path", ""))):
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.delay, self.action)
            self.timer.daemon = True
            self.timer.start()


def supervise(server: subprocess.Popen[bytes]) -> int:
    """Wait for a server process; Ctrl-C, or SIGTERM sent to this process, stops it cleanly (exit 0)."""
    stopped = False

    def stop(*_: object) -> None:
        nonlocal stopped
        stopped = True
        server.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        code = server.wait()
        return 0 if stopped else code
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


class Regenerator:
    """Regeneration in a process of its own, forked before any thread starts.

    It keeps everything the first generation parsed, and having one thread it may share a large
    regeneration between forked processes, which a process running the file watcher's threads may not.
    Should it stop, regeneration goes on in this process.
    """

    def __init__(self, regenerate: Callable[[], bool]) -> None:
        context = multiprocessing.get_context("fork")
        self.regenerate = regenerate
        self.lock = threading.Lock()
        self.connection, worker_end = context.Pipe()
        self.process = context.Process(target=_regenerate_on_request, args=(worker_end, regenerate, self.connection),
                                       daemon=True)
        self.process.start()
        worker_end.close()

    def __call__(self) -> bool:
        with self.lock:
            if self.process.is_alive():
                try:
                    self.connection.send(True)
                    return bool(self.connection.recv())
                except (EOFError, OSError):
                    print("the regenerating process stopped; regenerating here", file=sys.stderr)
            return self.regenerate()

    def close(self) -> None:
        self.connection.close()  # the worker reads the end of its requests and leaves
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _regenerate_on_request(connection: Connection, regenerate: Callable[[], bool], server_end: Connection) -> None:
    server_end.close()  # the copy forked with this process: with it open, the server's close would never reach us
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server decides
    while True:
        try:
            connection.recv()
        except EOFError:
            return
        try:
            done = regenerate()
        except Exception:  # noqa: BLE001 - reported, and the server keeps serving the last good pages
            traceback.print_exc()
            done = False
        connection.send(done)


def serve(project: Project, address: str, regenerate: Callable[[], bool], env: dict[str, str] | None = None,
          dirty: bool = False, errors: Path | None = None) -> int:
    """Serve the site and keep the generated pages in step with the catalog and playbook.toml until interrupted.

    `errors` is the file the generations record their errors in (serve_errors.record_errors): the site shows them.
    """
    regenerator = Regenerator(regenerate)  # before the watcher's threads start
    observer = Observer()
    observer.schedule(_Debounced(regenerator), str(project.catalog), recursive=True)
    observer.schedule(_Debounced(regenerator, endings=(f"/{CONFIG_FILE}",)), str(project.root), recursive=False)
    observer.start()
    command = [*PYTHON, "-m", "mkdocs", "serve", "-f", str(project.mkdocs_config), "-a", address]
    if dirty:  # rebuild only the pages generation rewrote; hooks/search_index.py indexes the whole served site
        command += ["--dirty", "--no-strict"]  # MkDocs warns about every dirty build; `playbook build` stays strict
    if errors is not None:
        env = _showing_errors(env, errors)
    try:
        return supervise(subprocess.Popen(command, cwd=project.root, env=env))
    finally:
        observer.stop()
        observer.join()
        regenerator.close()
        if errors is not None:
            clear_errors(errors)


def _showing_errors(env: dict[str, str] | None, errors: Path) -> dict[str, str]:
    """The environment of an MkDocs that shows the catalog's errors in the browser (hooks/serve_errors.py)."""
    prepare_errors(errors)
    return {**(env if env is not None else os.environ), ERRORS_ENV: str(errors)}
