"""`playbook mcp`: the catalog of one edition served to AI assistants over the Model Context Protocol, on stdio."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..assist.queries import served
from ..diagnostics import FORMATTERS
from ..project import Project
from .audience import add_audience, bad_site_url

CLIENTS = """\
configure a client: it starts the command itself and reads its stdout, which only the protocol may use
  Claude Code:                claude mcp add --transport stdio playbook -- playbook --root /path/to/project mcp
  Claude Desktop, Cursor:     {"mcpServers": {"playbook": {"command": "playbook",
                                "args": ["--root", "/path/to/project", "mcp"]}}}
  VS Code (.vscode/mcp.json): {"servers": {"playbook": {"type": "stdio", "command": "playbook",
                                "args": ["--root", "${workspaceFolder}", "mcp"]}}}
add "--audience", "public" after "mcp" for an assistant that may only tell what the public site shows; give the full
path of playbook (such as .venv/bin/playbook) when the client does not find it; docs/integrations/mcp.md has more"""


def cmd_mcp(project: Project, args: argparse.Namespace) -> int:
    if bad_site_url(args.site_url):
        return 2
    playbook, report = served(project, args.audience, args.today, args.site_url or "", args.jobs)
    if playbook is None:  # stdout belongs to the protocol: the report goes to stderr, which clients log
        print(FORMATTERS["text"](report), file=sys.stderr)
        print("the MCP server did not start: fix the errors above first", file=sys.stderr)
        return 1
    from ..assist.server import serve  # the MCP SDK takes about a second to import: only this command loads it

    print(f"serving the {playbook.audience} edition ({len(playbook.catalog.entries)} entries) over MCP on stdio; "
          f"{report.summary()}", file=sys.stderr)
    serve(playbook)
    return 0


def register(sub: Any) -> None:
    """Add `playbook mcp` to the subcommands."""
    p = sub.add_parser("mcp", help="serve one edition of the catalog to AI assistants (MCP on stdio)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Check the catalog, then answer Model Context Protocol requests on stdin and "
                                   "stdout from one edition,\nread-only, until the client closes them: the tools "
                                   "search_entries, get_entry, applies_to, list_kpis and\nvalidate_entry, and every "
                                   "entry as the resource playbook://entry/<id>. The server does not start when\nthe "
                                   "catalog has errors; its messages go to stderr. Restart it to serve catalog changes.",
                       epilog=CLIENTS)
    p.add_argument("--site-url", metavar="URL", help="the published site's address, so that answers link to pages "
                                                    "there (default: addresses from the site's root)")
    add_audience(p)
    p.set_defaults(run=cmd_mcp)
