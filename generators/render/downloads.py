"""Templates to download from the site: Markdown documents, service skeletons and CI/CD pipelines.

The document templates are static files shipped with the package; the ADR templates are drawn
from the catalog's adr-template entries. The site serves each as `<name>.template` (a `.md`
file would become a page) and links it with a `download` attribute so browsers save it as
Markdown. `playbook new` starts a document from the same files.

The service skeletons and the CI/CD pipelines are static files shipped with the package too, and
nothing of the catalog goes into them. Each skeleton is served as one `.zip` archive built here,
byte for byte the same on every build: its members are the files that `SKELETONS` names, under
fixed names, in sorted order, with a fixed timestamp and mode, stored without compression (so no
zlib version can change the bytes). Each pipeline is served as one `.yml` file.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.adr import AdrTemplate
from ..models.architecture import Architecture
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


@dataclass(frozen=True)
class Skeleton:
    """A service skeleton: its archive's name (also the folder inside it), title, purpose, the reference
    architectures it starts from, and its members as (path inside the folder, packaged source file)."""

    name: str
    title: str
    description: str
    architectures: tuple[str, ...]
    files: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Pipeline:
    """A CI/CD pipeline template: the file it is served as, its title, purpose and where it goes in a repository."""

    name: str
    title: str
    description: str
    saved_as: str
    source: str


#: Where the packaged files of the skeletons and pipelines are; member sources are paths inside it.
_PIPELINE_SOURCES = _SOURCES / "ci"

#: The files every skeleton holds: the evaluation gate, the harness client, the canary step, the
#: telemetry setup, tool settings and both CI/CD pipelines.
_COMMON = (
    (".dockerignore", "skeletons/common/dockerignore"),
    (".github/workflows/ci.yml", "ci/github-actions.yml"),
    (".gitlab-ci.yml", "ci/gitlab-ci.yml"),
    ("app/telemetry.py", "skeletons/common/app/telemetry.py"),
    ("deploy/__init__.py", "skeletons/common/deploy/__init__.py"),
    ("deploy/canary.py", "skeletons/common/deploy/canary.py"),
    ("evals/__init__.py", "skeletons/common/evals/__init__.py"),
    ("evals/gate.py", "skeletons/common/evals/gate.py"),
    ("evals/harness_client.py", "skeletons/common/evals/harness_client.py"),
    ("pyproject.toml", "skeletons/common/pyproject.toml"),
    ("requirements-dev.txt", "skeletons/common/requirements-dev.txt"),
)
#: What the services that call a model add: prompts as versioned files, and the test that keeps them immutable.
_PROMPTED = (
    ("app/prompts.py", "skeletons/common/app/prompts.py"),
    ("tests/test_prompts.py", "skeletons/common/tests/test_prompts.py"),
)


def _own(folder: str, *paths: str) -> tuple[tuple[str, str], ...]:
    """Files of one skeleton's own folder; `env.example` is served as `.env.example`."""
    return tuple((".env.example" if path == "env.example" else path, f"skeletons/{folder}/{path}") for path in paths)


SKELETONS = {
    s.name: s
    for s in (
        Skeleton(
            "rag-service-skeleton", "RAG service skeleton",
            "FastAPI answering service with health and readiness endpoints, retrieval under the caller's identity, "
            "model calls through the gateway, versioned prompts, tracing, the evaluation gate and CI/CD.",
            ("rag-assistant",),
            _COMMON + _PROMPTED + _own(
                "rag-service", "README.md", "Dockerfile", "env.example", "requirements.txt", "app/__init__.py",
                "app/config.py", "app/clients.py", "app/main.py", "prompts/released.json",
                "prompts/answer-with-citations/1.0.0.txt", "evals/gate.yaml", "tests/test_service.py")),
        Skeleton(
            "agent-service-skeleton", "Agent service skeleton",
            "Tool-using agent with a deterministic policy layer, approvals for risky writes, run budgets, a tool "
            "manifest, versioned planner prompt, tracing, the evaluation gate and CI/CD.",
            ("agentic-workflow",),
            _COMMON + _PROMPTED + _own(
                "agent-service", "README.md", "Dockerfile", "env.example", "requirements.txt", "app/__init__.py",
                "app/config.py", "app/budget.py", "app/policy.py", "app/runtime.py", "app/clients.py",
                "app/main.py", "tools/manifest.yaml", "prompts/released.json", "prompts/triage-planner/1.0.0.txt",
                "evals/gate.yaml", "tests/test_policy.py", "tests/test_service.py")),
        Skeleton(
            "batch-scoring-job-skeleton", "Batch scoring job skeleton",
            "Scheduled classical-ML scoring job with a data contract, a model checked by digest, calibrated "
            "thresholds with an abstain lane, a drift check before atomic publication, the evaluation gate and CI/CD.",
            ("batch-scoring", "classical-classification"),
            _COMMON + _own(
                "batch-scoring-job", "README.md", "Dockerfile", "env.example", "requirements.txt",
                "app/__init__.py", "app/checks.py", "app/job.py", "config/scoring.yaml", "evals/gate.yaml",
                "tests/test_checks.py", "tests/test_job.py")),
    )
}

PIPELINES = {
    p.name: p
    for p in (
        Pipeline("ci-github-actions", "GitHub Actions workflow",
                 "Lint, tests, dependency and secret scans on every pull request; on main, image build, the "
                 "evaluation gate on the golden set and a 10% canary.",
                 ".github/workflows/ci.yml", "github-actions.yml"),
        Pipeline("ci-gitlab", "GitLab CI/CD pipeline",
                 "The same stages for GitLab: checks and scans on merge requests; on the default branch, image "
                 "build, the evaluation gate and a 10% canary.",
                 ".gitlab-ci.yml", "gitlab-ci.yml"),
    )
}

#: Every member of an archive has this timestamp (the earliest a zip can record) and mode.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_ZIP_MODE = 0o100644 << 16
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def safe_member(name: str) -> bool:
    """Whether `name` is a relative archive path of plain parts: no absolute path, no '..', no backslash."""
    path = PurePosixPath(name)
    return (not path.is_absolute() and path.as_posix() == name and bool(path.parts)
            and all(_SAFE_NAME.fullmatch(part) and part not in (".", "..") for part in path.parts))


def skeleton_members(skeleton: Skeleton) -> dict[str, bytes]:
    """The archive's members by their path inside it (under the skeleton's folder), read from the package."""
    members: dict[str, bytes] = {}
    for inside, source in skeleton.files:
        name = f"{skeleton.name}/{inside}"
        if not safe_member(name) or name in members:
            raise ValueError(f"skeleton {skeleton.name}: unsafe or repeated member name {inside!r}")
        path = _SOURCES / source
        if not safe_member(source) or path.is_symlink() or not path.is_file():
            raise ValueError(f"skeleton {skeleton.name}: no packaged file {source!r}")
        members[name] = path.read_bytes()
    return members


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """A zip archive of `members`, the same bytes for the same members: sorted, fixed timestamp and mode, stored."""
    buffer = io.BytesIO()
    # Stored, not deflated: the bytes do not depend on the zlib version, and the site's leak check
    # (load/pages.py, DOWNLOADS) can read the members' text inside the archive.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # Unix, so the mode below is read as one
            info.external_attr = _ZIP_MODE
            archive.writestr(info, members[name])
    return buffer.getvalue()


def skeleton_archive(skeleton: Skeleton) -> bytes:
    return zip_bytes(skeleton_members(skeleton))


def pipeline_text(pipeline: Pipeline) -> str:
    return (_PIPELINE_SOURCES / pipeline.source).read_text(encoding="utf-8")


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


def _file_link(title: str, file: str, saved_as: str) -> str:
    return f'[{inline(title)}]({file}){{ download="{saved_as}" }}'


def _architecture_links(ids: tuple[str, ...], architectures: Mapping[str, str]) -> str:
    """Links to the reference architectures a skeleton starts from, those the edition holds."""
    links = [f"[{inline(architectures[i])}](../{Architecture.folder}/{i}.md)" for i in ids if i in architectures]
    return ", ".join(links) or "See the reference architectures"


def index_page(templates: list[AdrTemplate], architectures: Mapping[str, str] | None = None) -> str:
    """The page listing every download: Markdown templates, skeleton archives and pipelines.

    `architectures` maps the ids of the reference architectures the edition holds to their titles;
    a skeleton links only those."""
    architectures = architectures or {}
    lines = [
        "---", f"title: {json.dumps(TITLE)}", 'catalog_index: "templates"', "---", "",
        f"# {TITLE}", "",
        "Templates to start from. The Markdown templates download a `.md` file whose comments say what every "
        "section needs; delete them as you fill the document in. The service skeletons download a `.zip` "
        "archive of a small working service, and the CI/CD templates a pipeline file.", "",
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
    lines += [
        "", "## Service skeletons", "",
        "Each archive holds one folder: a README that says where to start, a Dockerfile, a minimal Python service "
        "or job with its tests, the evaluation gate's configuration, an OpenTelemetry setup, a `.env.example` "
        "without secrets and both CI/CD pipelines. Comments in the files name the playbook pages they follow.", "",
        "| Skeleton | What it holds | Starts from |", "| --- | --- | --- |",
    ]
    lines += [f"| {_file_link(s.title, f'{s.name}.zip', f'{s.name}.zip')} | {inline(s.description)} | "
              f"{_architecture_links(s.architectures, architectures)} |" for s in SKELETONS.values()]
    lines += [
        "", "## CI/CD pipelines", "",
        "Both run lint, tests, a dependency scan and a secret scan, then build the image, run the golden set "
        "against it on the evaluation harness, apply the evaluation gate with the thresholds of ADR 0007 and "
        "deploy a canary. Every skeleton already holds both.", "",
        "| Pipeline | What it runs | Save as |", "| --- | --- | --- |",
    ]
    lines += [f"| {_file_link(p.title, f'{p.name}.yml', f'{p.name}.yml')} | {inline(p.description)} | "
              f"`{p.saved_as}` |" for p in PIPELINES.values()]
    return "\n".join(lines) + "\n"


def download_files(catalog: Catalog) -> dict[str, str | bytes]:
    """`templates/index.md`, every `templates/<name>.template`, every skeleton's `templates/<name>.zip` and every
    pipeline's `templates/<name>.yml`, relative to the generated folder."""
    templates = sorted((t for t in catalog.of_kind(AdrTemplate) if isinstance(t, AdrTemplate)), key=lambda t: t.id)
    architectures = {a.id: a.title for a in catalog.of_kind(Architecture)}
    files: dict[str, str | bytes] = {f"{FOLDER}/index.md": index_page(templates, architectures)}
    files.update({f"{FOLDER}/{name}.template": document_text(name) for name in DOCUMENTS})
    files.update({f"{FOLDER}/adr-{t.id}.template": adr_template_text(_cited(catalog, t)) for t in templates})
    files.update({f"{FOLDER}/{s.name}.zip": skeleton_archive(s) for s in SKELETONS.values()})
    files.update({f"{FOLDER}/{p.name}.yml": pipeline_text(p) for p in PIPELINES.values()})
    return dict(sorted(files.items()))


def _cited(catalog: Catalog, template: AdrTemplate) -> AdrTemplate:
    """`template` with the citations in its guidance as a page of `catalog` (the edition) shows them, as plain text."""
    sections = [s.model_copy(update={"guidance": prose_text(catalog, s.guidance)}) for s in template.sections]
    return template.model_copy(update={"sections": sections})
