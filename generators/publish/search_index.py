"""The site's search index: Pagefind run over a built site.

Pagefind reads the HTML the engine wrote, so an edition's index holds that edition's pages and nothing else.
Pages take part through the theme (overrides/main.html): their article is the indexed body, the entry's kind,
status, owners, tags and clouds are its filters, and its id is weighted like its title. The index and the
search interface's files land in `site/pagefind/`; no page fetches anything from another host.

Pagefind 1.5 writes each page's record the same for the same page, but not its filter files: their names and
order change from run to run. A site is the same site when all but `pagefind/` is equal byte for byte and
Pagefind recorded the same pages (tests/test_parallel_build.py compares builds so).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pagefind_bin import get_executable

#: The folder of the index inside a built site.
FOLDER = "pagefind"
#: What a page holds besides its own words: permalink signs, the edit button, diagrams' drawn text
#: (each component also appears in the page's text), the date line at the foot of the article. A page is
#: found by its own words, not by the titles of the entries it lists: an entry's relations, the tables of pages
#: that list entries (overrides/main.html marks them) and the matrices (a grid and its phone form) are left out too.
IGNORED = (".headerlink", ".md-content__button", ".md-source-file", "svg", ".pb-diagram-viewer",
           ".pb-relations", "[data-pb-listing] table", ".pb-matrix")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


def index_site(site: Path) -> None:
    """Write the search index of the built site in `site` to `site/pagefind/`, replacing any earlier one."""
    command = [str(get_executable()), "--site", str(site), "--output-subdir", FOLDER,
               "--exclude-selectors", ", ".join(IGNORED), "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"cannot run Pagefind ({command[0]}): {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError(f"Pagefind failed on {site} (exit code {done.returncode})"
                               + (f": {said[-1]}" if said else ""))
