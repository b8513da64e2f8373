"""Whether the drawings of a built site can be read, measured in Chromium as a reader sees them.

    .venv/bin/python -m benchmarks.legibility SITE_DIR [--widths 1280,390]

For every architecture view (each tab of each architecture page) and the technology radar, at
each width, and for every drawing file (the views, the radar and the relation graphs) at its
natural size, in the light and the dark palette, it reports the text that runs past its box (the
node or group it labels) or past the drawing's edge, and the smallest label as shown: font size
times the scale the page draws the SVG at.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: How far (in the drawing's units) text may reach past its box before it counts as clipped.
TOLERANCE = 0.5

#: Runs in the page: the text of one SVG document, measured. `root` is the SVG element; returns one record per text.
_MEASURE = """
async (root) => {
  const doc = root.ownerDocument;
  if (doc.fonts) { await doc.fonts.ready; }
  const given = root.viewBox && root.viewBox.baseVal;
  if (!given) { return null; }  // not an SVG drawing
  const view = given.width ? given : {x: 0, y: 0, width: root.width.baseVal.value, height: root.height.baseVal.value};
  const toRoot = root.getScreenCTM().inverse();
  const box = (el) => {
    const b = el.getBBox();
    const m = toRoot.multiply(el.getScreenCTM());
    const xs = [], ys = [];
    for (const [x, y] of [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]) {
      xs.push(m.a * x + m.c * y + m.e); ys.push(m.b * x + m.d * y + m.f);
    }
    return {left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys)};
  };
  const shapes = "polygon, ellipse, path, rect, image, circle";
  const records = [];
  for (const text of root.querySelectorAll("text")) {
    if (!text.textContent.trim()) continue;
    const t = box(text);
    const owner = text.closest("g.node, g.cluster, a, g.pb-node");
    let within = null, whole = false;
    if (owner && !owner.closest("g.edge")) {
      const parts = [...owner.querySelectorAll(shapes)].filter((s) => !s.closest("text") && !s.closest("marker"));
      if (parts.length) {
        const boxes = parts.map(box);
        within = {left: Math.min(...boxes.map((b) => b.left)), right: Math.max(...boxes.map((b) => b.right)),
                  top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom))};
        whole = !owner.querySelector("image");  // a label sits under an icon: only its width is the icon's
      }
    }
    const size = parseFloat(getComputedStyle(text).fontSize);
    records.push({text: text.textContent.trim(), px: size * text.getScreenCTM().a, t, within, whole,
                  view: {left: view.x, right: view.x + view.width, top: view.y, bottom: view.y + view.height},
                  family: getComputedStyle(text).fontFamily});
  }
  return records;
}
"""


@dataclass
class Drawing:
    """One drawing as one page shows it: its texts that overflow, and its smallest label on screen."""

    where: str
    texts: int = 0
    past_edge: int = 0
    clipped: list[str] = field(default_factory=list)
    smallest_px: float = float("inf")


def _judge(where: str, records: list[dict[str, Any]] | None) -> Drawing:
    if records is None:
        return Drawing(where, 0, [f"{where} is not an SVG drawing"])
    drawing = Drawing(where, len(records))
    for record in records:
        text, box, view = record["text"], record["t"], record["view"]
        drawing.smallest_px = min(drawing.smallest_px, record["px"])
        if (box["left"] < view["left"] - TOLERANCE or box["right"] > view["right"] + TOLERANCE
                or box["top"] < view["top"] - TOLERANCE or box["bottom"] > view["bottom"] + TOLERANCE):
            drawing.clipped.append(f"{text!r} runs past the drawing's edge")
            drawing.past_edge += 1
            continue
        within = record["within"]
        if within is None:
            continue
        wide = box["left"] < within["left"] - TOLERANCE or box["right"] > within["right"] + TOLERANCE
        tall = record["whole"] and (box["top"] < within["top"] - TOLERANCE or box["bottom"] > within["bottom"] + TOLERANCE)
        if wide or tall:
            drawing.clipped.append(f"{text!r} runs past its box")
    return drawing


_LOADED = """o => new Promise((resolve, reject) => {
  const start = Date.now();
  (function poll() {
    const d = o.contentDocument;
    if (d && d.readyState === "complete" && d.documentElement && d.documentElement.localName === "svg") return resolve(1);
    if (Date.now() - start > 15000) return reject(new Error("the drawing did not load: " + o.data));
    setTimeout(poll, 50);
  })();
})"""


def _measure_objects(page: Page, where: str, selector: str) -> list[Drawing]:
    """Every drawing matching `selector` the page shows now, measured once its SVG and font have loaded."""
    out = []
    objects = page.locator(selector)
    for index in range(objects.count()):
        handle = objects.nth(index)
        if not handle.is_visible():
            continue
        handle.evaluate(_LOADED)
        root = handle.evaluate_handle("o => o.contentDocument.documentElement")
        out.append(_judge(f"{where}: {handle.get_attribute('data')}", root.evaluate(_MEASURE)))
    return out


def architecture_pages(site: Path) -> list[str]:
    return sorted(f"/playbook/architectures/{p.parent.name}/" for p in (site / "playbook" / "architectures").glob("*/index.html")
                  if p.parent.name != "guide")


def measure_pages(browser: Browser, base_url: str, paths: list[str], width: int, scheme: str) -> list[Drawing]:
    """Each drawing of each page at `width` px in the `scheme` palette, every tab of a tabbed set selected in turn."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    out: list[Drawing] = []
    try:
        for path in paths:
            page.goto(base_url + path, wait_until="networkidle")
            where = f"{path} at {width} px, {scheme}"
            out += _measure_objects(page, where, "object.pb-diagram:not(.tabbed-block object)")
            labels = page.locator(".tabbed-labels > label")
            for index in range(labels.count()):
                labels.nth(index).click()
                out += _measure_objects(page, where, ".tabbed-block object.pb-diagram")
    finally:
        context.close()
    return out


_MEASURE_ALL = """async (paths) => {
  const measure = %s;
  const loaded = (o) => new Promise((resolve, reject) => {
    const start = Date.now();
    (function poll() {
      const d = o.contentDocument;
      if (d && d.readyState === "complete" && d.documentElement && d.documentElement.localName === "svg") return resolve();
      if (Date.now() - start > 30000) return reject(new Error("the drawing did not load: " + o.data));
      setTimeout(poll, 50);
    })();
  });
  const objects = paths.map((path) => {
    const o = document.createElement("object");
    o.type = "image/svg+xml"; o.data = path; o.style.display = "block";
    return o;
  });
  document.body.replaceChildren(...objects);
  await Promise.all(objects.map(loaded));
  for (const o of objects) {  // each at its own size, as the SVG's width and height say
    const root = o.contentDocument.documentElement;
    o.style.width = root.width.baseVal.value + "px";
    o.style.height = root.height.baseVal.value + "px";
  }
  return Promise.all(objects.map((o) => measure(o.contentDocument.documentElement)));
}""" % _MEASURE.strip()


def measure_files(browser: Browser, base_url: str, paths: list[str], scheme: str = "light") -> list[Drawing]:
    """Drawings shown at their natural size, all on one page (each in its own `object`), in the `scheme` palette."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(base_url + "/", wait_until="load")
        measured = page.evaluate(_MEASURE_ALL, paths)
    finally:
        context.close()
    return [_judge(f"{path} ({scheme})", records) for path, records in zip(paths, measured)]


def drawing_files(site: Path) -> list[str]:
    """Every drawing of the generated pages: architecture views, the radar and the relation graphs, by URL path."""
    found = sorted((site / "playbook").glob("*/*.svg"))
    return ["/" + path.relative_to(site).as_posix() for path in found]


@contextmanager
def served(site: Path, missing: str | None = None) -> Iterator[str]:
    """The site on a local port for as long as the block runs; with `missing` (a page of the site, e.g. 404.html),
    a missing address is answered with that page and status 404, as static hosts do."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404 or missing is None:
                super().send_error(code, message, explain)
                return
            body = (site / missing).read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser dropping a request it no longer needs
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _summary(label: str, drawings: list[Drawing]) -> str:
    clipped = [d for d in drawings if d.clipped]
    edge = [d for d in drawings if d.past_edge]
    smallest = min((d.smallest_px for d in drawings if d.texts), default=float("nan"))
    return (f"{label}: {len(drawings)} drawings shown, {len(clipped)} with text past its box or the edge "
            f"({len(edge)} past the edge), smallest label {smallest:.1f} px")


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(prog="python -m benchmarks.legibility", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--widths", default="1280,390", help="viewport widths in px (default: 1280,390)")
    parser.add_argument("--list", action="store_true", help="name every clipped text")
    args = parser.parse_args(argv)
    pages = [*architecture_pages(args.site), "/playbook/tools/radar/"]
    with sync_playwright() as playwright, served(args.site) as base_url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        results = []
        for width in (int(w) for w in args.widths.split(",")):
            for scheme in ("light", "dark"):
                drawings = measure_pages(browser, base_url, pages, width, scheme)
                results.append((f"architecture views and radar, {width} px, {scheme}", drawings))
        for scheme in ("light", "dark"):
            results.append((f"every drawing file at its natural size, {scheme}",
                            measure_files(browser, base_url, drawing_files(args.site), scheme)))
        browser.close()
    for label, drawings in results:
        print(_summary(label, drawings))
        if args.list:
            for drawing in drawings:
                for problem in drawing.clipped:
                    print(f"  {drawing.where}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
