"""Markdown templates to download from the site and to start a document from with `playbook new`.

The document templates are static files shipped with the package; the ADR templates are drawn
from the catalog's adr-template entries. The site serves each as `<name>.template` (a `.md`
file would become a page) and links it with a `download` attribute so browsers save it as
Markdown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.adr import AdrTemplate
from ..text import inline

FOLDER = "templates"
TITLE = "Templates"
_SOURCES = Path(__file__).with_name("templates") / "downloads"
_PLACEHOLDER = re.compile(r"\{[^{}\n]*\}")


@dataclass(frozen=True)
class Document:
    """A document template: its `playbook new` kind (also its file name), title and purpose."""

    name: str
    title: str
    description: str


DOCUMENTS = {
    d.name: d
    for d in (
        Document("model-card", "Model card",
                 "One model version: intended use, training data, evaluation by slice, limitations and provenance."),
        Document("system-card", "System card",
                 "One production AI system as users meet it: models, data sources, evaluation, guardrails and oversight."),
        Document("architecture-review-request", "Architecture review request",
                 "What to submit for an architecture review, section by section along the review checklist."),
        Document("threat-model-worksheet", "Threat model worksheet",
                 "The threat modelling session's worksheet: boundaries, injection paths, sinks, tools and the threat register."),
    )
}


def document_text(name: str, title: str | None = None) -> str:
    """A document template's Markdown; `title` replaces the placeholder in its first heading."""
    text = (_SOURCES / f"{name}.md").read_text(encoding="utf-8")
    if not title:
        return text
    heading, rest = text.split("\n", 1)
    title = " ".join(title.split())
    return _PLACEHOLDER.sub(lambda _: title, heading, count=1) + "\n" + rest


def _comment(text: str) -> str:
    """Text as an HTML comment that nothing inside it can close early."""
    for token, harmless in (("<!--", "<! --"), ("--!>", "-- !>"), ("-->", "-- >")):
        text = text.replace(token, harmless)
    return f"<!--\n{text.strip()}\n-->"


def adr_template_text(template: AdrTemplate) -> str:
    """An ADR template as Markdown: one `##` heading per section, its guidance as a comment."""
    header = (f"{template.title} ({template.id}), based on {template.based_on}.\n{template.summary}\n"
              "Sections marked optional may be deleted. Delete these comments as you fill the record in.")
    parts = [_comment(header)]
    for section in template.sections:
        guidance = section.guidance if section.required else f"Optional.\n{section.guidance}"
        parts.append(f"## {section.title}\n\n{_comment(guidance)}")
    return "\n\n".join(parts) + "\n"


def _download_link(title: str, name: str) -> str:
    return f'[{inline(title)}]({name}.template){{ download="{name}.md" }}'


def index_page(templates: list[AdrTemplate]) -> str:
    """The page listing every download, each link saving a `.md` file."""
    lines = [
        "---", f"title: {json.dumps(TITLE)}", 'catalog_index: "templates"', "---", "",
        f"# {TITLE}", "",
        "Markdown templates to start a document from. Each link downloads a `.md` file whose comments say "
        "what every section needs; delete them as you fill the document in.", "",
        "## Documents", "",
        "`playbook new KIND [NAME] -o FILE` writes the same template, with NAME in its title.", "",
        "| Template | What it is for | Command |", "| --- | --- | --- |",
    ]
    lines += [f"| {_download_link(d.title, d.name)} | {inline(d.description)} | `playbook new {d.name}` |"
              for d in DOCUMENTS.values()]
    lines += ["", "## Decision records", ""]
    if templates:
        lines += ["| Template | What it is for | Status | Guidance |", "| --- | --- | --- | --- |"]
        lines += [f"| {_download_link(t.title, f'adr-{t.id}')} | {inline(t.summary)} | `{t.status}` | "
                  f"[{inline(t.title)}](../{t.folder}/{t.id}.md) |" for t in templates]
    else:
        lines.append("The catalog holds no ADR templates yet.")
    return "\n".join(lines) + "\n"


def download_files(catalog: Catalog) -> dict[str, str]:
    """`templates/index.md` and every `templates/<name>.template`, relative to the generated folder."""
    templates = sorted((t for t in catalog.of_kind(AdrTemplate) if isinstance(t, AdrTemplate)), key=lambda t: t.id)
    files = {f"{FOLDER}/index.md": index_page(templates)}
    files.update({f"{FOLDER}/{name}.template": document_text(name) for name in DOCUMENTS})
    files.update({f"{FOLDER}/adr-{t.id}.template": adr_template_text(_cited(catalog, t)) for t in templates})
    return dict(sorted(files.items()))


def _cited(catalog: Catalog, template: AdrTemplate) -> AdrTemplate:
    """`template` with the citations in its guidance as a page of `catalog` (the edition) shows them, as plain text."""
    sections = [s.model_copy(update={"guidance": prose_text(catalog, s.guidance)}) for s in template.sections]
    return template.model_copy(update={"sections": sections})
