"""`playbook build --engine zensical`: the same generated pages, the same text, built by Zensical from a staged
copy of the docs folder that holds only what the edition keeps, with the pages' macros rendered in Jinja's sandbox
before Zensical runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from test_history import ENV, playbook

from benchmarks.compare import article_text, compare

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, make_project: Any, bundled_site: Path) -> tuple[Path, Path, Path]:
    """A project built with Zensical, and the session's MkDocs build of the same bundled playbook."""
    root = make_project(tmp_path_factory.mktemp("engines") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    zensical = playbook(root, "build", "--engine", "zensical")
    assert zensical.returncode == 0, zensical.stdout[-2000:] + zensical.stderr[-2000:]
    return root, bundled_site, root / "site"


def test_zensical_builds_every_page_with_the_same_text(builds: tuple[Path, Path, Path]) -> None:
    _, mkdocs, zensical = builds
    pages, same, differ = compare(mkdocs, zensical)
    assert pages > 180 and differ == [] and same == pages
    assert "Enterprise assistant with permission-aware RAG" in article_text(
        zensical / "playbook" / "architectures" / "rag-assistant" / "index.html")
    assert (zensical / "playbook" / "tools" / "radar.svg").is_file()


def test_the_comparison_notices_a_changed_page(builds: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, mkdocs, _ = builds
    copy = tmp_path / "copy"
    shutil.copytree(mkdocs, copy)
    page = copy / "playbook" / "tools" / "kong" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Kong", "Gnok"), encoding="utf-8")
    assert compare(mkdocs, copy)[2] == ["playbook/tools/kong/index.html"]


@pytest.fixture(scope="module")
def public(builds: tuple[Path, Path, Path]) -> tuple[Path, Path]:
    """The public edition (it leaves out golden-path.md and the screenshot only that page shows), built by each engine."""
    root, _, _ = builds
    sites = root.parent / "public-mkdocs", root.parent / "public-zensical"
    mkdocs = playbook(root, "build", "--audience", "public", "--site-dir", str(sites[0]))
    assert mkdocs.returncode == 0, mkdocs.stderr[-2000:]
    zensical = playbook(root, "build", "--engine", "zensical", "--audience", "public", "--site-dir", str(sites[1]))
    assert zensical.returncode == 0, zensical.stdout[-2000:] + zensical.stderr[-2000:]
    return sites


def test_the_public_edition_builds_with_zensical_without_what_it_leaves_out(builds: tuple[Path, Path, Path],
                                                                           public: tuple[Path, Path]) -> None:
    root, _, _ = builds
    mkdocs, zensical = public
    pages, same, differ = compare(mkdocs, zensical)
    assert pages > 100 and differ == [] and same == pages
    assert not (zensical / "golden-path").exists() and not (zensical / "assets" / "screenshot.png").exists()
    assert (zensical / "reading" / "index.html").is_file()  # a page every edition keeps
    items = json.loads((zensical / "search.json").read_text(encoding="utf-8"))["items"]
    assert [i["location"] for i in items if i["location"].startswith("golden-path/")] == []
    assert any(i["location"] == "reading/" for i in items)
    staged = yaml.safe_load((root / ".playbook-cache" / "zensical" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "golden-path.md" not in json.dumps(staged["nav"]) and "reading.md" in json.dumps(staged["nav"])
    assert "macros" not in json.dumps(staged["plugins"]) and "hooks" not in staged


def test_the_public_home_page_quotes_the_public_facts(public: tuple[Path, Path]) -> None:
    mkdocs, zensical = public  # index.md links golden-path.md only where the edition keeps it, through a macro
    assert article_text(zensical / "index.html") == article_text(mkdocs / "index.html")
    assert "golden-path" not in (zensical / "index.html").read_text(encoding="utf-8").replace("golden-path-", "")


#: Page text that tries to leave Jinja's sandbox, or to include a page the public edition leaves out, and the
#: one line each build fails with.
HOSTILE = {
    "escape": ("{{ cycler.__init__.__globals__.os.getcwd() }}",
               "SecurityError: access to attribute '__init__' of 'type' object is unsafe."),
    "include": ('{% include "golden-path.md" %}', "TemplateNotFound: golden-path.md"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_page_s_macros_run_sandboxed_before_zensical(builds: tuple[Path, Path, Path], case: str) -> None:
    root, _, _ = builds
    text, cause = HOSTILE[case]
    page = root / "docs" / "zz-hostile.md"
    page.write_text(f"---\nrender_macros: true\n---\n# Hostile\n\n{text}\n", encoding="utf-8")
    site = root.parent / f"hostile-{case}"
    try:
        result = playbook(root, "build", "--engine", "zensical", "--audience", "public", "--site-dir", str(site))
    finally:
        page.unlink()
    assert result.returncode == 1
    assert (f"error: cannot stage the public edition for Zensical, docs/zz-hostile.md: {cause}"
            in result.stderr.splitlines())
    assert str(root) not in result.stdout and not (site / "zz-hostile").exists()


#: Markup a template could let through if it printed a catalog value without escaping it.
UNESCAPED = ('Unescaped <script>window.xssEngine=1</script> <img src="x.png" onerror="window.xssEngine=2">\n\n'
             '[a link](javascript:alert(1)) <a href="#" onmouseover="window.xssEngine=3">hover</a>\n')


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_either_engine_cleans_a_generated_page_s_html(builds: tuple[Path, Path, Path], tmp_path: Path,
                                                      engine: str) -> None:
    """A generated page holding raw markup (written into it after generation, as a template bug would) reaches
    the site without scripts, handlers or unsafe links, whichever engine builds it."""
    root, _, _ = builds
    copy = tmp_path / "project"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    assert playbook(copy, "generate").returncode == 0  # the default edition, whichever one the fixtures built last
    page = copy / "docs" / "playbook" / "tools" / "kong.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + UNESCAPED, encoding="utf-8")
    site = tmp_path / "site"
    command = ([sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-d", str(site)] if engine == "mkdocs" else
               [sys.executable, "-P", "-m", "generators.publish.engines", str(copy), "internal", str(site)])
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = (site / "playbook" / "tools" / "kong" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert "Unescaped" in article and ">hover</a>" in article
    assert "xssEngine" not in article and "javascript:" not in article and "onerror" not in article
    assert "playbook: generated page" not in html
