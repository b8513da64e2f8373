"""`playbook serve`: the site is served, and a catalog edit reaches the served page without a rebuild loop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generators.publish.serve import Regenerator

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
        return response.read().decode("utf-8")


def wait_for(condition, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


@pytest.fixture
def server(project: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    log = (project / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "generators", "--root", str(project), "serve", "-a", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    yield f"http://127.0.0.1:{port}", project, process
    process.terminate()
    process.wait(timeout=20)
    log.close()


def test_catalog_edit_is_served_without_a_rebuild_loop(server) -> None:  # type: ignore[no-untyped-def]
    base, project, _ = server
    page = f"{base}/playbook/tools/kong/"
    assert wait_for(lambda: "Kong" in fetch(page)), (project / "serve.log").read_text()

    source = project / "catalog" / "tools" / "kong.yaml"
    text = source.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    source.write_text(text.replace(title_line, "title: Kong Gateway renamed in the catalog"), encoding="utf-8")
    assert wait_for(lambda: "Kong Gateway renamed in the catalog" in fetch(page)), (project / "serve.log").read_text()

    log = project / "serve.log"
    time.sleep(3)  # let any follow-up rebuild start
    builds = log.read_text().count("Building documentation")
    time.sleep(4)
    assert log.read_text().count("Building documentation") == builds, "the server keeps rebuilding"
    assert log.read_text().count("generated docs/playbook:") == 2, "one generation at start, one for the edit"


def test_stopping_serve_stops_the_site_server(server) -> None:  # type: ignore[no-untyped-def]
    base, project, process = server
    assert wait_for(lambda: "<h1" in fetch(f"{base}/")), (project / "serve.log").read_text()
    process.terminate()
    assert process.wait(timeout=20) == 0
    with pytest.raises(OSError):
        fetch(f"{base}/")  # nothing is left listening on the port


def test_a_visibility_change_in_playbook_toml_is_served(server) -> None:  # type: ignore[no-untyped-def]
    """Editions follow the configuration: narrowing tools to restricted takes their pages out of the served edition."""
    base, project, _ = server
    index = f"{base}/playbook/tools/"
    assert wait_for(lambda: "Kong" in fetch(index)), (project / "serve.log").read_text()
    (project / "playbook.toml").write_text('[visibility.kinds]\ntool = "restricted"\n', encoding="utf-8")
    assert wait_for(lambda: "Kong" not in fetch(index)), (project / "serve.log").read_text()


def test_regeneration_runs_in_a_process_of_its_own_and_goes_on_without_it(tmp_path: Path) -> None:
    marks = tmp_path / "pids"
    outcomes = iter([True, "raise", True])

    def regenerate() -> bool:
        outcome = next(outcomes, True)
        with marks.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        if outcome == "raise":
            raise ValueError("a broken catalog file")
        return True

    regenerator = Regenerator(regenerate)
    try:
        assert regenerator() is True
        assert regenerator() is False  # the error is reported there; the worker keeps going
        assert regenerator() is True
        pids = marks.read_text(encoding="utf-8").split()
        assert len(set(pids)) == 1 and pids[0] != str(os.getpid())
        regenerator.process.kill()
        regenerator.process.join()
        assert regenerator() is True  # regenerated here instead
        assert marks.read_text(encoding="utf-8").split()[-1] == str(os.getpid())
    finally:
        regenerator.close()
    assert not regenerator.process.is_alive()


def test_catalog_errors_show_in_the_browser_until_fixed(server, browser) -> None:  # type: ignore[no-untyped-def]
    """A broken catalog file shows in a banner on every served page within seconds, as text, and goes once fixed."""
    base, project, _ = server
    page_url = f"{base}/playbook/tools/kong/"
    assert wait_for(lambda: "Kong" in fetch(page_url)), (project / "serve.log").read_text()
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(page_url, wait_until="load")
    banner = page.locator(".pb-serve-errors")
    page.wait_for_timeout(1500)
    assert banner.count() == 0  # a catalog that passes shows none

    source = project / "catalog" / "tools" / "kong.yaml"
    good = source.read_text(encoding="utf-8")
    line = good.count("\n") + 1
    source.write_text(good + "<script>alert(1)</script>: <img src=x onerror=alert(2)>\n", encoding="utf-8")
    banner.wait_for(state="visible", timeout=10_000)
    text = banner.inner_text()
    assert f"catalog/tools/kong.yaml:{line}:1 error: <script>alert(1)</script>: unknown key '<script>alert(1)</script>'" in text
    assert "hint: allowed keys: id, title, summary" in text
    assert "The catalog has 1 error." in text
    assert banner.locator("script, img").count() == 0 and dialogs == []  # catalog text stays text

    page.goto(f"{base}/", wait_until="load")  # every page shows it
    banner.wait_for(state="visible", timeout=10_000)
    page.get_by_role("button", name="Dismiss the catalog errors").click()
    assert banner.count() == 0

    page.goto(page_url, wait_until="load")
    page.wait_for_timeout(1500)
    assert banner.count() == 0  # dismissed errors stay dismissed while they last
    source.write_text(good.replace("\nring: ", "\nrign: "), encoding="utf-8")  # other errors show again
    banner.wait_for(state="visible", timeout=10_000)
    assert "missing required key 'ring'" in banner.inner_text()
    source.write_text(good, encoding="utf-8")
    banner.wait_for(state="detached", timeout=60_000)
    page.reload(wait_until="load")
    page.wait_for_timeout(1500)
    assert banner.count() == 0 and dialogs == []
    context.close()


def test_no_built_site_holds_the_error_banner(bundled_site: Path) -> None:
    assert not (bundled_site / "serve-errors").exists()
    for html in [bundled_site / "index.html", bundled_site / "playbook" / "tools" / "kong" / "index.html"]:
        assert "serve-errors" not in html.read_text(encoding="utf-8")
