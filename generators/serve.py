"""`playbook serve`: regenerate on every catalog or playbook.toml change beside MkDocs' live-reloading server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .audiences import CONFIG_FILE
from .pipeline import Project
from .search_merge import DIRTY_ENV


#: Events that change a file; reading one (opened, closed) is not a change.
_CHANGES = {"created", "modified", "deleted", "moved"}


class _Debounced(FileSystemEventHandler):
    """Runs `action` once a burst of changes to files whose names end in `endings` has settled."""

    def __init__(self, action: Callable[[], None], endings: tuple[str, ...] = (".yaml", ".yml"), delay: float = 0.3) -> None:
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


def serve(project: Project, address: str, regenerate: Callable[[], bool], env: dict[str, str] | None = None,
          dirty: bool = False) -> int:
    """Serve the site and keep the generated pages in step with the catalog and playbook.toml until interrupted."""
    observer = Observer()
    observer.schedule(_Debounced(regenerate), str(project.catalog), recursive=True)
    observer.schedule(_Debounced(regenerate, endings=(f"/{CONFIG_FILE}",)), str(project.root), recursive=False)
    observer.start()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(project.mkdocs_config), "-a", address]
    if dirty:  # rebuild only the pages generation rewrote; hooks/dirty_search.py keeps the search index whole
        command += ["--dirty", "--no-strict"]  # MkDocs warns about every dirty build; `playbook build` stays strict
        env = {**(env or os.environ), DIRTY_ENV: "1"}
    try:
        return supervise(subprocess.Popen(command, cwd=project.root, env=env))
    finally:
        observer.stop()
        observer.join()
