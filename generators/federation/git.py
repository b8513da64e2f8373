"""Git, run as a plain subprocess: no shell, every value a user wrote after the options, no prompt, few transports."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: The transports git may use to fetch a source, as GIT_ALLOW_PROTOCOL lists them, colon-separated
#: (https://git-scm.com/docs/git, GIT_ALLOW_PROTOCOL): never `ext::`, which runs a command, nor another remote helper.
ALLOWED_PROTOCOLS = "file:git:http:https:ssh"
#: Variables that would point git at another repository, index or object store than the one it is given
#: (`git rev-parse --local-env-vars`); they are left out of its environment.
_LOCAL = {"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
          "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE",
          "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX",
          "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE", "GIT_COMMON_DIR"}
#: How long one git command may take: a fetch of a large repository over a slow link, at most.
TIMEOUT = 600


class GitError(Exception):
    """A git command failed: `str()` is what git said last."""


def _environment() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in _LOCAL}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": ALLOWED_PROTOCOLS, "LC_ALL": "C"})
    return env


def git(repository: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The output of `git --git-dir=REPOSITORY ARGS...`; GitError with git's last line when it fails."""
    try:
        result = subprocess.run(["git", f"--git-dir={repository}", *args], input=stdin, capture_output=True,
                                env=_environment(), timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GitError(f"git took longer than {TIMEOUT} seconds") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if result.returncode != 0:
        said = [line for line in result.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        raise GitError(said[-1].removeprefix("fatal: ").removeprefix("error: ") if said else f"git exited with {result.returncode}")
    return result.stdout
