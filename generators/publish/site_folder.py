"""The folder a site is built into: MkDocs empties it first, so it must never be one that holds anything else.

A site folder is refused when it is the project folder or one of its source folders, lies inside
one, or contains one; and when it already holds files without being a site this tool built, which
it marks with a file of its own. The mark is written before the engine runs and survives MkDocs'
emptying of the folder (MkDocs leaves dot files), so an interrupted build is still recognised.
"""

from __future__ import annotations

from pathlib import Path

MARK = ".playbook-site"
#: What a site built by MkDocs (or an older version of this tool) always holds at its top.
_SITE_SIGNS = ("index.html", "sitemap.xml")


class SiteFolderError(Exception):
    """The site folder cannot be used; nothing was built or deleted."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_site_folder(site: Path, root: Path, sources: tuple[str, ...]) -> None:
    """Refuse a site folder that would destroy sources or files the build did not write; `sources` are relative to `root`.

    A site folder inside the project must not be reached through a symbolic link (a committed `site`
    link would send the build's writes anywhere); one named outside it may be.
    """
    _refuse_links_inside(site.absolute(), root.absolute())
    site, root = site.resolve(), root.resolve()
    protected = [root / name for name in (*sources, ".git", ".playbook-cache", "generators", "tests")]
    if site == root or _inside(root, site):
        raise SiteFolderError(f"refusing to build into {site}: it holds the project {root}, which the build would delete")
    for folder in protected:
        if _inside(site, folder) or _inside(folder.resolve(), site):
            raise SiteFolderError(f"refusing to build into {site}: the build empties it first, and it "
                                  f"{'is' if site == folder else 'is inside' if _inside(site, folder) else 'holds'} "
                                  f"{folder.relative_to(root)}/, "
                                  "which belongs to the project; choose another site folder")
    if site.exists() and not site.is_dir():
        raise SiteFolderError(f"refusing to build into {site}: it is a file, not a folder")
    if site.is_dir() and any(site.iterdir()) and not is_site(site):
        raise SiteFolderError(f"refusing to build into {site}: it holds files and is not a site built here "
                              "(the build would delete them); choose an empty or new folder, or delete it first")


def _refuse_links_inside(site: Path, root: Path) -> None:
    if root not in site.parents:
        return
    current = root
    for part in site.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            raise SiteFolderError(f"refusing to build into {site}: {current} is a symbolic link inside the project; "
                                  "build into a plain folder, or name the link's target with --site-dir")


def is_site(folder: Path) -> bool:
    """Whether a folder holds a site this tool built (its mark, or what every MkDocs site holds)."""
    return (folder / MARK).is_file() or all((folder / name).is_file() for name in _SITE_SIGNS)


def mark_site_folder(site: Path) -> None:
    """Create the site folder if needed and mark it as one this tool builds into."""
    site.mkdir(parents=True, exist_ok=True)
    (site / MARK).write_text("A site built by `playbook build`; it is emptied and rebuilt by every build.\n",
                             encoding="utf-8")
