"""Diagrams as code: a reference architecture's spec drawn with `diagrams` and Graphviz.

The `diagrams` library builds the DOT graph (stable node ids, literal labels); Graphviz runs
as a subprocess with a time limit; icons are embedded in the SVG so it shows anywhere. Drawings
are cached by the hash of their DOT source and drawn in parallel.

Every spec `playbook check` accepts is drawn: when dot fails on a layout (its cluster ranking
has known bugs), it is run again with the other ranking (`newrank`); when that fails too, or the
time limit runs out, the view is drawn as a list of its parts and a warning names the
architecture, the view and one line of Graphviz's output.
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
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import diagrams
import graphviz

from .. import vocabulary
from ..diagnostics import Diagnostic
from ..models.architecture import Architecture, Diagram, DiagramCluster, DiagramNode
from ..vocabulary import PROVIDERS, SHAPES, VIEW_TITLES, VOCABULARY, icon_class
from ..write import cache_entries
from . import diagram_list
from .diagram_list import listed_svg
from .font import STACK, font_face, text_width

if TYPE_CHECKING:
    from ..load.catalog import Catalog

RENDERER_VERSION = "3"
DOT_TIMEOUT = 30.0
ICON_ROOT = Path(diagrams.__file__).resolve().parent.parent / "resources"

_EDGE_STYLES = {
    "data": {"style": "solid"},
    "control": {"style": "bold", "color": "#4051B5"},
    "async": {"style": "dashed", "color": "#7B8894"},
    "optional": {"style": "dotted", "color": "#9AA5AE"},
}
#: Graphviz estimates text widths from its built-in metrics of this font (Arial's), the same on every machine; the
#: page draws the text in Playbook Sans, which has the same widths (font.py).
FONT = "Helvetica"
FONT_SIZE = 13
#: An icon node's width (the `diagrams` library's), the widest a label line under it may be, and the room left
#: on each side of a line.
ICON_NODE_WIDTH = 1.4
WRAP_WIDTH = 96.0
#: The widest an edge label's line may be.
EDGE_WRAP_WIDTH = 130.0
LABEL_MARGIN = 4.0
_GRAPH = {"pad": "0.3", "splines": "spline", "nodesep": "0.5", "ranksep": "0.8", "fontsize": "13", "bgcolor": "white"}


class DiagramError(Exception):
    """No diagram can be drawn on this machine (Graphviz is missing); the message says why."""


class LayoutError(DiagramError):
    """Graphviz could not lay one drawing out; `cause` is one line saying why."""

    def __init__(self, name: str, cause: str, *, timed_out: bool = False) -> None:
        super().__init__(f"{name}: Graphviz: {cause}")
        self.cause = cause
        self.timed_out = timed_out


@dataclass(frozen=True)
class Job:
    """One view of one architecture's diagram, with the page each linked node points at.

    `icons` is where the SVG finds its icons, relative to itself; empty embeds them instead,
    for an SVG that must stand alone. `title` names the drawing for readers and screen readers.
    """

    entry_id: str
    view: str
    spec: Diagram
    links: tuple[tuple[str, str], ...] = ()
    icons: str = ""
    title: str = ""
    font: str = ""  # where the SVG finds the font, relative to itself; empty names none (fonts with the same widths)

    @property
    def name(self) -> str:
        return f"{self.entry_id}.{self.view}.svg"

    @property
    def path(self) -> str:
        """Where the SVG goes, relative to the generated folder: next to the architecture's page."""
        return f"{Architecture.folder}/{self.name}"

    def dot(self) -> str:
        return dot_source(self)


class _Unrendered(diagrams.Diagram):
    """A `diagrams.Diagram` that only builds the graph: no file written, no viewer opened."""

    def __exit__(self, *exc: object) -> None:
        diagrams.setdiagram(None)


def _literal(text: str) -> str:
    """Graphviz shows the text as written: no escapes such as \\N, no HTML-like label, no character entity.

    Graphviz reads `&lt;` in a label as `<`; written `&amp;lt;`, it shows the four characters typed.
    """
    return graphviz.escape(text.replace("&", "&amp;"))


def wrapped(text: str, width: float = WRAP_WIDTH, size: float = FONT_SIZE) -> list[str]:
    """`text` broken at spaces into lines at most `width` points wide, spaces at their ends aside (a single longer
    word keeps its own line).

    Only a plain space becomes a line break: the lines joined by spaces give `text` back, character for character.
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and (not word or not lines[-1] or text_width(f"{lines[-1]} {word}", size) <= width):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _label(*texts: str) -> tuple[str, float]:
    """A node's label, each text wrapped onto its own lines, and the width in inches its widest line needs."""
    lines = [line for text in texts for line in wrapped(text)]
    widest = max(text_width(line, FONT_SIZE) for line in lines)
    return _lines(lines), (widest + 2 * LABEL_MARGIN) / 72


def _lines(lines: list[str]) -> str:
    """Lines of literal text as one Graphviz label, a line break between each (never read as an HTML-like label)."""
    return graphviz.nohtml("\n".join(_literal(line) for line in lines))


def _shape_attrs(family: str) -> dict[str, str]:
    """A generic node: the family's shape, sized by Graphviz to hold its label."""
    shape = SHAPES[family]
    return {"shape": shape.shape, "style": shape.style, "fillcolor": shape.fill, "color": "#5F6B73",
            "fixedsize": "false", "width": "1.2", "height": "0.5", "margin": "0.15,0.08", "labelloc": "c"}


def _own_service(node: DiagramNode, view: str) -> str | None:
    """What the node says it runs on in a cloud view (a self-hosted or SaaS product), if it says."""
    return getattr(node.services, view, None) if view in PROVIDERS else None


def node_service(node: DiagramNode, view: str) -> str | None:
    """The service a node runs on in a cloud view: its own, else its kind's; None in the neutral view."""
    service = VOCABULARY[node.kind].service(view)
    return _own_service(node, view) or (service.name if service is not None else None)


def _node(node: DiagramNode, view: str, attrs: dict[str, str]) -> diagrams.Node:
    """One node of a view: an icon with the provider's service under the label for a managed service, a generic
    shape otherwise (the neutral view, components outside the cloud, and self-hosted products)."""
    kind = VOCABULARY[node.kind]
    nodeid = f"n_{node.id.replace('-', '_')}"
    own = _own_service(node, view)
    service = kind.service(view)
    if own is not None or service is None:  # the neutral view, components outside the cloud, self-hosted ones
        text, _ = _label(node.label, *([own] if own else []))
        return diagrams.Node(text, nodeid=nodeid, **_shape_attrs(kind.family), **attrs)
    text, width = _label(node.label, service.name)
    sized = {"width": f"{width:.2f}"} if width > ICON_NODE_WIDTH else {}
    return icon_class(service.icon)(text, nodeid=nodeid, **sized, **attrs)


def dot_source(job: Job) -> str:
    """The DOT graph of one view; the same job always gives the same text."""
    spec = job.spec
    by_id = {node.id: node for node in spec.nodes}
    links = dict(job.links)
    drawn: dict[str, diagrams.Node] = {}

    def place(node_id: str) -> None:
        node = by_id[node_id]
        attrs = {"URL": links[node_id], "target": "_top", "tooltip": _literal(node.label)} if node_id in links else {}
        drawn[node_id] = _node(node, job.view, attrs)

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
                attrs["label"] = _lines(wrapped(edge.label, EDGE_WRAP_WIDTH))
            drawn[edge.source] >> diagrams.Edge(**attrs) >> drawn[edge.target]
    return drawing.dot.source.replace(f'"{ICON_ROOT}/', '"').replace('fontname="Sans-Serif"', f"fontname={FONT}")


def _first_line(stderr: bytes, returncode: int) -> str:
    """The line of Graphviz's output that says what went wrong, printable and short."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    ended = f"dot stopped on signal {-returncode}" if returncode < 0 else f"dot exited with status {returncode}"
    line = next((x for x in lines if x.startswith("Error")), None) or next(
        (x for x in lines if not x.startswith("Warning")), None) or ended
    line = "".join(c if c.isprintable() else " " for c in line)
    return line if len(line) <= 120 else line[:119] + "…"


def _run_dot(source: str, name: str, timeout: float | None = None) -> str:
    """The SVG Graphviz draws from `source`; LayoutError with one line of its output when it fails."""
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError("Graphviz is not installed: the 'dot' command was not found; install it with 'apt-get install graphviz'")
    plugins = _plugin_folder()
    env = {**os.environ, "GVBINDIR": plugins} if plugins else None
    try:
        result = subprocess.run([dot, "-Tsvg"], input=source.encode(), capture_output=True,
                                timeout=DOT_TIMEOUT if timeout is None else timeout, cwd=ICON_ROOT, check=False, env=env)
    except subprocess.TimeoutExpired as exc:
        raise LayoutError(name, f"it took longer than {DOT_TIMEOUT:.0f} s", timed_out=True) from exc
    if result.returncode != 0:
        raise LayoutError(name, _first_line(result.stderr, result.returncode))
    return result.stdout.decode("utf-8", errors="replace")


def _newrank(source: str) -> str:
    """The same graph ranked by network simplex over the whole graph, which avoids dot's cluster ranking bugs."""
    return source.replace("{", "{\n\tnewrank=true", 1)


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


@cache
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


_SVG_TAG = re.compile(r"<svg\b[^>]*>")


def _finished(svg: str, job: Job) -> str:
    """The drawing titled and described for screen readers, its text set in Playbook Sans (loaded from `job.font`)."""
    spec = job.spec
    title = escape(job.title or f"{job.entry_id}, {VIEW_TITLES[job.view]} view")
    desc = escape(f"{len(spec.nodes)} components and {len(spec.edges)} flows; the component table on the page lists "
                  "each component with its service in every cloud.")
    style = f"<style>{font_face(job.font)}</style>" if job.font else ""
    svg = svg.replace("<title>%3</title>\n", "", 1).replace('font-family="Helvetica,sans-Serif"', f'font-family="{STACK}"')
    return _SVG_TAG.sub(lambda m: f'{m.group(0)[:-1]} role="img">\n<title>{title}</title>\n<desc>{desc}</desc>{style}',
                        svg, count=1)


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


#: The modules that turn a job into a drawing; their source is part of the inputs cache key.
DRAWING_CODE = (Path(__file__), Path(diagram_list.__file__), Path(vocabulary.__file__))


def cache_key(source: str, job: Job) -> str:
    material = "\n".join((RENDERER_VERSION, version("diagrams"), graphviz_version(), job.icons, job.title, job.font, source))
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass(frozen=True)
class Fallback:
    """A view Graphviz could not lay out, drawn as a list of its parts; `cause` is one line of why."""

    entry_id: str
    view: str
    cause: str

    @property
    def message(self) -> str:
        return _fallback_message([self.view], self.cause)


def _fallback_message(views: list[str], cause: str) -> str:
    titles = [VIEW_TITLES[view] for view in views]
    named = titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
    return (f"Graphviz could not lay out the {named} view{'s' * (len(titles) > 1)} ({cause}); "
            "the page lists the diagram's parts instead")


#: What to do about a fallback, for the warning that reports it.
FALLBACK_HINT = "simplify the diagram (fewer edges, edge labels or cluster levels) or split the architecture"


@dataclass
class DrawStats:
    drawn: int = 0
    cached: int = 0
    fallbacks: list[Fallback] = field(default_factory=list)


@dataclass(frozen=True)
class _Drawing:
    svg: str
    cached: bool
    fallback: str | None  # why the view is a list, when it is


@cache
def _code_version() -> str:
    """The drawing code itself: a change to how DOT is built invalidates the inputs cache."""
    return hashlib.sha256(b"".join(path.read_bytes() for path in DRAWING_CODE)).hexdigest()


def inputs_key(job: Job) -> str:
    """A key from what a job is made of, so a cached drawing is found without building its DOT source."""
    material = "\n".join((RENDERER_VERSION, _code_version(), version("diagrams"), graphviz_version(), repr(job)))
    return hashlib.sha256(material.encode()).hexdigest()


def _lay_out(job: Job, source: str) -> _Drawing:
    """The view drawn by Graphviz, ranked the usual way, then with `newrank`; a list of its parts when both fail.

    Both runs share one time limit, DOT_TIMEOUT. An SVG that does not parse counts as a failure.
    """
    deadline = time.monotonic() + DOT_TIMEOUT
    cause = ""
    for attempt in (source, _newrank(source)):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            svg = _finished(_portable(_run_dot(attempt, job.path, left), job.icons), job)
            ElementTree.fromstring(svg.encode("utf-8"))
            return _Drawing(svg, False, None)
        except ElementTree.ParseError:
            cause = "its SVG does not parse"
        except LayoutError as exc:
            cause = exc.cause
            if exc.timed_out:
                break
    return _Drawing(listed_svg(job.spec, dict(job.links), f"{job.entry_id}, {VIEW_TITLES[job.view]} view"), False, cause)


def _cached(path: Path | None) -> _Drawing | None:
    payload = cache_entries.load(path) if path is not None else None
    if payload is None or not isinstance(payload.get("svg"), str) or not isinstance(payload.get("fallback"), str | None):
        return None
    return _Drawing(payload["svg"], True, payload["fallback"])


def _keep(path: Path | None, drawing: _Drawing) -> None:
    """Store a drawing; a cache that cannot be written only costs the next run a drawing."""
    if path is not None:
        try:
            cache_entries.store(path, {"svg": drawing.svg, "fallback": drawing.fallback})
        except OSError:
            pass


def _draw(job: Job, cache_dir: Path | None) -> _Drawing:
    """One job's drawing, from the cache when the same job (or the same DOT source) was drawn before.

    A cache entry is used only when it is whole: a damaged one is drawn again and replaced. A list
    drawn instead of a layout is kept by the job's inputs only, whose key follows the code that drew it.
    """
    by_inputs = cache_dir / "inputs" / f"{inputs_key(job)}.json" if cache_dir else None
    found = _cached(by_inputs)
    if found is not None:
        return found
    source = job.dot()
    by_source = cache_dir / f"{cache_key(source, job)}.json" if cache_dir else None
    drawing = _cached(by_source)
    if drawing is None:
        drawing = _lay_out(job, source)
        if drawing.fallback is None:
            _keep(by_source, drawing)
    _keep(by_inputs, drawing)
    return drawing


def _count(stats: DrawStats, job: Job, drawing: _Drawing) -> None:
    if drawing.cached:
        stats.cached += 1
    else:
        stats.drawn += 1
    if drawing.fallback is not None:
        stats.fallbacks.append(Fallback(job.entry_id, job.view, drawing.fallback))


def draw(job: Job, cache_dir: Path | None, stats: DrawStats | None = None) -> str:
    """The portable SVG of one job; a view Graphviz cannot lay out is a list of its parts, recorded in `stats`."""
    drawing = _draw(job, cache_dir)
    if stats is not None:
        _count(stats, job, drawing)
    return drawing.svg


def draw_all(jobs: Iterable[Job], cache_dir: Path | None, *, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[dict[str, str], DrawStats]:
    """Every job's SVG by its path, drawn across the machine's cores."""
    jobs = list(jobs)
    stats = DrawStats()
    out: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for done, (job, drawing) in enumerate(zip(jobs, pool.map(lambda j: _draw(j, cache_dir), jobs)), start=1):
            out[job.path] = drawing.svg
            _count(stats, job, drawing)
            if progress:
                progress(done, len(jobs))
    return out, stats


def layout_warnings(catalog: Catalog, fallbacks: Iterable[Fallback]) -> list[Diagnostic]:
    """A warning at the `diagram` key of each architecture with views drawn as lists, one per cause."""
    views: dict[tuple[str, str], list[str]] = {}
    for fallback in fallbacks:
        views.setdefault((fallback.entry_id, fallback.cause), []).append(fallback.view)
    out = []
    for (entry_id, cause), names in views.items():
        document = catalog.documents[entry_id]
        mark = document.position(("diagram",), key=True)
        out.append(Diagnostic(document.file, mark.line, mark.column, "warning", _fallback_message(names, cause),
                              "diagram", FALLBACK_HINT, "diagram"))
    return out


def jobs_for(architecture: Architecture, links: dict[str, str], icons: str = "", font: str = "") -> list[Job]:
    """The views of one architecture's diagram: provider-neutral first, then each provider asked for."""
    if architecture.diagram is None:
        return []
    spec = architecture.diagram
    frozen = tuple(sorted(links.items()))
    return [Job(architecture.id, view, spec, frozen, icons, f"{architecture.title}, {VIEW_TITLES[view]} view", font)
            for view in ("neutral", *spec.providers)]


def print_progress(done: int, total: int) -> None:
    if total >= 8 and (done == total or done % max(1, total // 4) == 0):
        print(f"drawing diagrams: {done}/{total}", file=sys.stderr)
