"""Diagrams as code: a reference architecture's spec drawn with `diagrams` and Graphviz.

The `diagrams` library builds the DOT graph (stable node ids, literal labels); Graphviz runs
as a subprocess with a time limit; icons are embedded in the SVG so it shows anywhere. Drawings
are cached by the hash of their DOT source and drawn in parallel.
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol
from functools import cache
from importlib.metadata import version
from pathlib import Path

import diagrams
import graphviz

from .models.architecture import Architecture, Diagram, DiagramCluster
from .vocabulary import node_class

RENDERER_VERSION = "2"
DOT_TIMEOUT = 30.0
MAX_NODES = 120
MAX_EDGES = 300
ICON_ROOT = Path(diagrams.__file__).resolve().parent.parent / "resources"

_EDGE_STYLES = {
    "data": {"style": "solid"},
    "control": {"style": "bold", "color": "#4051B5"},
    "async": {"style": "dashed", "color": "#7B8894"},
    "optional": {"style": "dotted", "color": "#9AA5AE"},
}
#: Graphviz estimates text widths from its built-in metrics of this font, the same on every machine.
FONT = "Helvetica"
_GRAPH = {"pad": "0.3", "splines": "spline", "nodesep": "0.5", "ranksep": "0.8", "fontsize": "13", "bgcolor": "white"}


class DiagramError(Exception):
    """A diagram could not be drawn; the message says which and why."""


@dataclass(frozen=True)
class Job:
    """One view of one architecture's diagram, with the page each linked node points at.

    `icons` is where the SVG finds its icons, relative to itself; empty embeds them instead,
    for an SVG that must stand alone.
    """

    entry_id: str
    view: str
    spec: Diagram
    links: tuple[tuple[str, str], ...] = ()
    icons: str = ""

    @property
    def name(self) -> str:
        return f"{self.entry_id}.{self.view}.svg"

    @property
    def path(self) -> str:
        """Where the SVG goes, relative to the generated folder: next to the architecture's page."""
        return f"{Architecture.folder}/{self.name}"

    def dot(self) -> str:
        return dot_source(self)


class Drawable(Protocol):
    """Anything `draw` can turn into an SVG: a file path, its DOT source, and where its icons are."""

    @property
    def path(self) -> str: ...

    icons: str

    def dot(self) -> str: ...


class _Unrendered(diagrams.Diagram):
    """A `diagrams.Diagram` that only builds the graph: no file written, no viewer opened."""

    def __exit__(self, *exc: object) -> None:
        diagrams.setdiagram(None)


def _literal(text: str) -> str:
    """Graphviz shows the text as written: no escapes such as \\N, no HTML-like label."""
    return graphviz.escape(text)


def dot_source(job: Job) -> str:
    """The DOT graph of one view; the same job always gives the same text."""
    spec = job.spec
    by_id = {node.id: node for node in spec.nodes}
    links = dict(job.links)
    drawn: dict[str, diagrams.Node] = {}

    def place(node_id: str) -> None:
        node = by_id[node_id]
        attrs = {"URL": links[node_id], "target": "_top", "tooltip": _literal(node.label)} if node_id in links else {}
        cls = node_class(node.kind, job.view)
        drawn[node_id] = cls(_literal(node.label), nodeid=f"n_{node_id.replace('-', '_')}", **attrs)

    def place_clusters(clusters: list[DiagramCluster]) -> None:
        for cluster in clusters:
            with diagrams.Cluster(_literal(cluster.label)) as group:
                group.dot.name = f"cluster_{cluster.id.replace('-', '_')}"
                for node_id in cluster.nodes:
                    place(node_id)
                place_clusters(cluster.clusters)

    with _Unrendered("", show=False, outformat="svg", direction=spec.direction, graph_attr=_GRAPH) as drawing:
        drawing.dot.graph_attr.pop("label", None)
        place_clusters(spec.clusters)
        for node in spec.nodes:
            if node.id not in drawn:
                place(node.id)
        for edge in spec.edges:
            attrs = dict(_EDGE_STYLES[edge.style])
            if edge.label:
                attrs["label"] = _literal(edge.label)
            drawn[edge.source] >> diagrams.Edge(**attrs) >> drawn[edge.target]
    return drawing.dot.source.replace(f'"{ICON_ROOT}/', '"').replace('fontname="Sans-Serif"', f"fontname={FONT}")


def _run_dot(source: str, name: str) -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError("Graphviz is not installed: the 'dot' command was not found; install it with 'apt-get install graphviz'")
    plugins = _plugin_folder()
    env = {**os.environ, "GVBINDIR": plugins} if plugins else None
    try:
        result = subprocess.run([dot, "-Tsvg"], input=source.encode(), capture_output=True, timeout=DOT_TIMEOUT,
                                cwd=ICON_ROOT, check=False, env=env)
    except subprocess.TimeoutExpired as exc:
        raise DiagramError(f"{name}: Graphviz took longer than {DOT_TIMEOUT:.0f} s; simplify the diagram") from exc
    if result.returncode != 0:
        raise DiagramError(f"{name}: Graphviz failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode("utf-8")


@cache
def _plugin_folder() -> str | None:
    """A Graphviz plugin folder holding only the DOT layout and the core renderers, made once per process.

    Without the Pango plugin, dot estimates text widths from its built-in font metrics instead of
    loading the installed fonts for every drawing: about five times faster per diagram, and the same
    layout on every machine whatever fonts it has. None when it cannot be made: the system's plugins
    are used then.
    """
    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        probe = subprocess.run([dot, "-v"], input=b"", capture_output=True, timeout=DOT_TIMEOUT, check=False)
        found = re.search(r'libdir = "([^"]+)"', probe.stderr.decode(errors="replace"))
        if found is None:
            return None
        libraries = [p for p in Path(found.group(1)).iterdir()
                     if p.name.startswith(("libgvplugin_core.", "libgvplugin_dot_layout."))]
        if len({p.name.split(".")[0] for p in libraries}) < 2:
            return None
        folder = Path(tempfile.mkdtemp(prefix="playbook-graphviz-"))
        atexit.register(shutil.rmtree, folder, True)
        for library in libraries:
            (folder / library.name).symlink_to(library)
        subprocess.run([dot, "-c"], env={**os.environ, "GVBINDIR": str(folder)}, capture_output=True,
                       timeout=DOT_TIMEOUT, check=True)
        return str(folder) if any(p.name.startswith("config") for p in folder.iterdir()) else None
    except (OSError, subprocess.SubprocessError):
        return None


def _icon_path(relative: str) -> Path:
    path = (ICON_ROOT / relative).resolve()
    if ICON_ROOT not in path.parents:
        raise DiagramError(f"icon {relative} is outside the icon folder")
    return path


@cache
def _icon_uri(relative: str) -> str:
    return "data:image/png;base64," + base64.b64encode(_icon_path(relative).read_bytes()).decode("ascii")


_IMAGE = re.compile(r'xlink:href="([^"#][^"]*\.png)"')
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def _portable(svg: str, icons: str) -> str:
    """Graphviz's comments dropped; icons referenced below `icons` or, without it, embedded."""
    svg = _COMMENT.sub("", svg)
    if icons:
        return _IMAGE.sub(lambda m: f'xlink:href="{icons}{_icon_path(m.group(1)).relative_to(ICON_ROOT).as_posix()}"', svg)
    return _IMAGE.sub(lambda m: f'xlink:href="{_icon_uri(m.group(1))}"', svg)


def icons_used(svg: str, icons: str) -> set[str]:
    """The icon files an SVG drawn with `icons` refers to, relative to the icon folder."""
    return {m.group(1)[len(icons):] for m in _IMAGE.finditer(svg) if m.group(1).startswith(icons)}


def icon_bytes(relative: str) -> bytes:
    return _icon_path(relative).read_bytes()


@cache
def graphviz_version() -> str:
    dot = shutil.which("dot")
    if dot is None:
        return "missing"
    metrics = "estimated text widths" if _plugin_folder() else "installed fonts"
    return subprocess.run([dot, "-V"], capture_output=True, text=True, check=False).stderr.strip() + f"; {metrics}"


#: The modules that turn a job into DOT; their source is part of the inputs cache key.
DRAWING_CODE = ("drawing.py", "vocabulary.py")


def cache_key(source: str, icons: str) -> str:
    material = "\n".join((RENDERER_VERSION, version("diagrams"), graphviz_version(), icons, source))
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass
class DrawStats:
    drawn: int = 0
    cached: int = 0


@cache
def _code_version() -> str:
    """The drawing code itself: a change to how DOT is built invalidates the inputs cache."""
    here = Path(__file__).parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in DRAWING_CODE)).hexdigest()


def inputs_key(job: Drawable) -> str:
    """A key from what a job is made of, so a cached drawing is found without building its DOT source."""
    material = "\n".join((RENDERER_VERSION, _code_version(), version("diagrams"), graphviz_version(), repr(job)))
    return hashlib.sha256(material.encode()).hexdigest()


def _store(path: Path, svg: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(svg, encoding="utf-8")
    os.replace(tmp, path)


def draw(job: Drawable, cache_dir: Path | None, stats: DrawStats | None = None) -> str:
    """The portable SVG of one job, from the cache when the same job (or the same DOT source) was drawn before."""
    by_inputs = cache_dir / "inputs" / f"{inputs_key(job)}.svg" if cache_dir else None
    if by_inputs is not None and by_inputs.is_file():
        if stats:
            stats.cached += 1
        return by_inputs.read_text(encoding="utf-8")
    source = job.dot()
    key = cache_key(source, job.icons)
    cached = cache_dir / f"{key}.svg" if cache_dir else None
    if cached is not None and cached.is_file():
        svg = cached.read_text(encoding="utf-8")
        if stats:
            stats.cached += 1
    else:
        svg = _portable(_run_dot(source, job.path), job.icons)
        if cached is not None:
            _store(cached, svg)
        if stats:
            stats.drawn += 1
    if by_inputs is not None:
        _store(by_inputs, svg)
    return svg


def draw_all(jobs: Iterable[Drawable], cache_dir: Path | None, *, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[dict[str, str], DrawStats]:
    """Every job's SVG by its path, drawn across the machine's cores."""
    jobs = list(jobs)
    stats = DrawStats()
    out: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for done, (job, svg) in enumerate(zip(jobs, pool.map(lambda j: draw(j, cache_dir, stats), jobs)), start=1):
            out[job.path] = svg
            if progress:
                progress(done, len(jobs))
    return out, stats


def jobs_for(architecture: Architecture, links: dict[str, str], icons: str = "") -> list[Job]:
    """The views of one architecture's diagram: provider-neutral first, then each provider asked for."""
    if architecture.diagram is None:
        return []
    spec = architecture.diagram
    frozen = tuple(sorted(links.items()))
    return [Job(architecture.id, view, spec, frozen, icons) for view in ("neutral", *spec.providers)]


def print_progress(done: int, total: int) -> None:
    if total >= 8 and (done == total or done % max(1, total // 4) == 0):
        print(f"drawing diagrams: {done}/{total}", file=sys.stderr)
