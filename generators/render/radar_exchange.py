"""The technology radar for other radar tools: the Backstage tech-radar plugin's JSON (its
`TechRadarLoaderResponse`) and the CSV of Thoughtworks' Build Your Own Radar (`name, ring, quadrant, isNew,
status, description`). Both hold the edition's current tools and what moved ring or joined in the latest published
version. Build Your Own Radar reads names and descriptions as HTML, so catalog text is escaped for it, and a cell
that a spreadsheet would read as a formula is kept as text, as in the CSV export."""

from __future__ import annotations

import csv
import html
import io
import json

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.tool import QUADRANTS, RINGS
from ..resolve.changes import ChangesByVersion
from .exports import FORMULA_START
from .radar import KEY, current_tools, latest_moves

#: What each ring means, as the radar page says it.
RING_MEANINGS = {"adopt": "The default choice.", "trial": "In use on real projects, with support.",
                 "assess": "Being evaluated; not for production yet.", "hold": "Not for new work."}


def _direction(before: str, after: str) -> int:
    """1 when a tool moved toward adopt (the centre), -1 when it moved out, 0 otherwise."""
    return (RINGS.index(before) > RINGS.index(after)) - (RINGS.index(before) < RINGS.index(after))


def backstage_radar(catalog: Catalog, history: ChangesByVersion, site_url: str = "") -> str:
    """The radar as the Backstage tech-radar plugin loads it; entries link to their pages under `site_url`."""
    version, moved, added = latest_moves(history)
    entries = []
    for tool in current_tools(catalog):
        snapshot = {"date": tool.last_reviewed.isoformat(), "ringId": tool.ring,
                    "description": " ".join(prose_text(catalog, tool.rationale).split())}
        if tool.id in moved and moved[tool.id] in RINGS:
            snapshot["moved"] = _direction(moved[tool.id], tool.ring)
            snapshot["description"] = f"Moved from {moved[tool.id]} in version {version}. {snapshot['description']}"
        entry = {"key": tool.id, "id": tool.id, "quadrant": tool.quadrant, "title": tool.title,
                 "timeline": [snapshot], "description": " ".join(prose_text(catalog, tool.summary).split())}
        if site_url:
            entry["url"] = f"{site_url.rstrip('/')}/playbook/{tool.folder}/{tool.id}/"
        if tool.website:
            entry["links"] = [{"url": tool.website, "title": f"{tool.title} website"}]
        if tool.id in added:
            entry["timeline"][0]["description"] = f"New in version {version}. {snapshot['description']}"
        entries.append(entry)
    data = {"quadrants": [{"id": key, "name": name} for key, name in QUADRANTS],
            "rings": [{"id": ring.ring, "name": ring.ring.upper(), "color": ring.colour,
                       "description": RING_MEANINGS[ring.ring]} for ring in KEY],
            "entries": entries}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    """Catalog text for a Build Your Own Radar cell: HTML-escaped, and never read as a spreadsheet formula."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return f"'{escaped}" if escaped.startswith(FORMULA_START) else escaped


def byor_csv(catalog: Catalog, history: ChangesByVersion) -> str:
    """The radar as Build Your Own Radar reads a CSV sheet: one row per current tool."""
    _, moved, added = latest_moves(history)
    quadrant_names = dict(QUADRANTS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "ring", "quadrant", "isNew", "status", "description"])
    for tool in current_tools(catalog):
        if tool.id in added:
            status = "New"
        elif tool.id in moved and moved[tool.id] in RINGS:
            status = "Moved In" if _direction(moved[tool.id], tool.ring) > 0 else "Moved Out"
        else:
            status = "No Change"
        writer.writerow([_cell(tool.title), tool.ring, quadrant_names[tool.quadrant],
                         "TRUE" if tool.id in added else "FALSE", status, _cell(prose_text(catalog, tool.rationale))])
    return out.getvalue()
