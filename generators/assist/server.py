"""The MCP server of one edition: the answers of `queries` as tools and resources of the official MCP SDK, over stdio.

Only wiring lives here: argument types and descriptions for the tools' schemas, the entries as resources, and a
question the edition cannot answer turned into a tool error or a missing resource. Handlers are coroutines, so the
SDK runs them one at a time on its event loop and never on worker threads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.server.mcpserver.resources import FunctionResource
from mcp_types import ToolAnnotations
from pydantic import Field

from . import queries
from .queries import MAX_CHARS, MAX_DRAFT_BYTES, MAX_RESULTS, Playbook, QueryError

ENTRY_URI = "playbook://entry/{id}"
#: Every tool only reads the edition it was started with.
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


def _answer(ask: Callable[[], dict[str, Any]]) -> str:
    """An answer as bounded JSON text; a question the edition cannot answer is a tool error with what to ask."""
    try:
        return queries.as_text(ask())
    except QueryError as exc:
        raise ToolError(str(exc)) from exc


def _reader(playbook: Playbook, entry_id: str) -> Callable[[], Awaitable[str]]:
    async def read() -> str:
        return queries.as_text(queries.entry(playbook, entry_id))

    return read


def build(playbook: Playbook) -> MCPServer:
    """The server answering from `playbook`'s edition: five read-only tools, and every entry as a resource."""
    server: MCPServer = MCPServer(
        "playbook", title="AI architecture playbook", log_level="WARNING",
        instructions=(f"The {playbook.audience} edition of the organisation's AI architecture playbook: reference "
                      "architectures, standards, checklists, threats, decisions, KPIs and more. Search it with "
                      "search_entries, read an entry with get_entry, ask applies_to what an architecture or an "
                      "initiative must follow, and check a draft entry with validate_entry before proposing it. "
                      f"Answers are JSON of at most {MAX_CHARS:,} characters; a cut answer says so."))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    async def search_entries(
        text: Annotated[str, Field(description="Words to find, e.g. 'model card' (each also matches the words it "
                                               "begins); empty lists every entry the filters pass")] = "",
        kind: Annotated[str | None, Field(description="Only entries of this kind, e.g. 'standard', 'architecture', "
                                                      "'checklist', 'threat', 'adr', 'kpi'")] = None,
        tag: Annotated[str | None, Field(description="Only entries with this tag")] = None,
        status: Annotated[str | None, Field(description="Only entries with this status, e.g. 'active', 'approved'")] = None,
        owner: Annotated[str | None, Field(description="Only entries this team owns (its id)")] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_RESULTS, description="How many results to return")] = 10,
    ) -> str:
        """Search the playbook's entries, best match first: a word in the title or id counts most, then in a tag, the
        summary, the rest of the entry. Each result gives the id, kind, title, status, summary and page address;
        `total` counts every match."""
        return _answer(lambda: queries.search(playbook, text, kind, tag, status, owner, limit))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    async def get_entry(id: Annotated[str, Field(description="The entry's id, e.g. 'rag-assistant'")]) -> str:
        """One entry with all its fields, as the playbook's JSON export holds it, its page address, and its relations:
        what it references (outgoing) and what references it (incoming). An unknown id is an error that suggests the
        closest id."""
        return _answer(lambda: queries.entry(playbook, id))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    async def applies_to(id: Annotated[str, Field(description="A reference architecture's or an initiative's id")]) -> str:
        """What applies to a reference architecture or an initiative. For an architecture: its standards, checklists
        and threats, and the open review items of the initiatives that follow it. For an initiative: the standards,
        checklists and threats of its architecture and answers, and its review as 'playbook review' computes it
        (readiness per checklist, open items by severity, standards met and not yet evidenced, threat mitigations
        evidenced, EU AI Act obligations)."""
        return _answer(lambda: queries.applies(playbook, id))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    async def list_kpis() -> str:
        """The KPIs the architecture practice is measured on, as the portfolio dashboard shows them: target, unit,
        owner, goal, status (met, at risk, missed, not measured yet, no goal to test), the latest value and its
        change, and for a KPI the catalog computes, the initiatives counted and those pulling it down."""
        return _answer(lambda: queries.kpis(playbook))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    async def validate_entry(
        yaml_text: Annotated[str, Field(description=f"The draft entry's YAML, as its catalog file would hold it (at "
                                                    f"most {MAX_DRAFT_BYTES:,} bytes)")],
        kind: Annotated[str | None, Field(description="The entry's kind, e.g. 'standard'; not needed when the YAML "
                                                      "begins with the schema line 'playbook new' writes")] = None,
    ) -> str:
        """Check a draft catalog entry without writing anything: the diagnostics 'playbook check' would report for it
        in this edition's catalog (or replacing the entry of the same id and kind), each with its code, message, hint
        and line:column, worded as check words them. References are checked against the entries of this edition."""
        return _answer(lambda: queries.validate(playbook, yaml_text, kind))

    for entry_id, known in playbook.index.items():
        entry = playbook.catalog.entries[entry_id]
        server.add_resource(FunctionResource(
            uri=ENTRY_URI.format(id=entry_id), name=entry_id, title=known.title, mime_type="application/json",
            description=entry.singular, fn=_reader(playbook, entry_id)))

    @server.resource(ENTRY_URI, name="entry", title="A playbook entry", mime_type="application/json",
                     description="Any entry of the edition by its id, as get_entry gives it")
    async def entry_resource(id: str) -> str:
        try:
            return queries.as_text(queries.entry(playbook, id))
        except QueryError as exc:
            raise ResourceNotFoundError(str(exc)) from exc

    return server


def serve(playbook: Playbook) -> None:
    """Answer MCP requests on stdin and stdout until the client closes them."""
    build(playbook).run("stdio")
