"""Names the playbook keeps for itself: the pages it writes beside entry pages, Windows device names,
and what a publishing branch holds at its root."""

from __future__ import annotations

#: Pages the generator writes in kind folders beside the entry pages (`<folder>/<id>.md`), by file
#: name without extension. The renderers name their files with these constants.
INDEX_PAGE = "index"
GUIDE_PAGE = "guide"
RADAR_PAGE = "radar"

#: What each of those pages is, for the message that refuses an entry id equal to its name.
GENERATED_PAGES = {
    INDEX_PAGE: "the index page of every kind (<kind folder>/index.md)",
    GUIDE_PAGE: "the decision guide of the reference architectures (architectures/guide.md)",
    RADAR_PAGE: "the technology radar (tools/radar.md and tools/radar.svg)",
}

#: Device names Windows reserves in every folder, with any extension: a file named so cannot be checked out there.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})

#: What sits at the root of a publishing branch beside the version folders, and what it is: the
#: files mike writes there (`mike/commands.py`: versions.json, .nojekyll, the redirect of
#: set-default), the names a host or crawler reads at the root of a site, and the folders MkDocs
#: and Material put at a site's root, which a version folder of the same name would shadow.
BRANCH_ROOT = {
    "versions.json": "mike's list of the published versions",
    "retired.json": "the record of the versions playbook publish --keep retired",
    "index.html": "mike's redirect to the default version",
    ".nojekyll": "mike's marker that turns Jekyll off on GitHub Pages",
    "404.html": "the page a host shows for a missing address",
    "CNAME": "the custom domain of GitHub Pages",
    "robots.txt": "the rules crawlers read",
    "sitemap.xml": "the sitemap crawlers read",
    "sitemap.xml.gz": "the compressed sitemap",
    "assets": "the folder of the theme's scripts, styles and images",
    "search": "the folder of the search index",
}


def windows_device(name: str) -> bool:
    """Whether Windows reserves `name` (case and any extension aside)."""
    return name.split(".", 1)[0].lower() in WINDOWS_DEVICES


def id_clash(entry_id: str) -> tuple[str, str] | None:
    """Why an entry cannot take `entry_id`, as (message, hint); None when it can."""
    hint = "choose another id and rename the file to match"
    if entry_id in GENERATED_PAGES:
        reserved = ", ".join(sorted(GENERATED_PAGES))
        return (f"id '{entry_id}' is the name of a generated page, {GENERATED_PAGES[entry_id]}",
                f"{hint}; {reserved} are kept for generated pages in every kind folder")
    if windows_device(entry_id):
        return f"id '{entry_id}' is a device name on Windows, where a file named {entry_id}.yaml cannot be checked out", hint
    return None


def version_clash(name: str, branch: str) -> str | None:
    """Why a version or alias cannot be called `name` on `branch`; None when it can."""
    taken = next((root for root in BRANCH_ROOT if root.lower() == name.lower()), None)
    if taken is not None:
        return (f"'{name}' cannot be a version or alias: at the root of branch '{branch}', "
                f"{taken} is {BRANCH_ROOT[taken]}")
    if windows_device(name):
        return (f"'{name}' cannot be a version or alias: Windows reserves the name, "
                f"so branch '{branch}' could not be checked out there")
    return None
