"""The package's shape: each stage imports only the stages below it, and no module imports itself in a circle.

Read from the source's import statements (late imports inside functions included), so a test fails the
day an import runs back up or closes a circle, whatever the import looks like.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generators"
#: The stages, top first: a module may import from its own stage or any stage after it. Modules at the
#: top of the package (project, config, diagnostics, text...) are shared nouns, below every stage.
STAGES = ("cli", "assist", "publish", "site", "pipeline", "authoring", "history", "render", "resolve", "load", "federation", "write", "models")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                source = ".".join([*base, *([node.module] if node.module else [])])
                for candidate in (source, *(f"{source}.{alias.name}" for alias in node.names)):
                    if candidate in modules and candidate not in (name, "generators"):
                        targets.add(candidate)
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name in modules and alias.name != name}
        found[name] = targets
    return found


def rank(module: str) -> int:
    """0 for the top stage; shared modules at the top of the package rank below every stage."""
    parts = module.split(".")
    stage = parts[1] if len(parts) > 1 else ""
    return STAGES.index(stage) if stage in STAGES else len(STAGES) if stage != "__main__" else -1


def test_every_import_points_down_the_stages() -> None:
    upward = sorted(f"{a} imports {b}" for a, targets in imports().items() for b in targets if rank(b) < rank(a))
    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    graph = imports()
    circles = []
    state: dict[str, int] = {}  # 1: being followed, 2: done

    def follow(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(" → ".join([*trail[trail.index(target):], target]))
            elif target not in state:
                follow(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            follow(module, [module])
    assert circles == []


def test_every_stage_is_a_folder_of_the_package() -> None:
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"
                  and (p / "__init__.py").exists()) == sorted(s for s in STAGES if s != "pipeline")
    assert (PACKAGE / "pipeline.py").is_file()
