"""YAML as the catalog writes it: text that the catalog's loader (YAML 1.2, with the YAML 1.1 traps reported) would
read as something else is quoted, multi-line text is a literal block, and nothing is written as an alias."""

from __future__ import annotations

import re
from typing import Any

import yaml


class Dumper(yaml.SafeDumper):
    """`yaml.dump(data, Dumper=Dumper)` for front matter and entries whose lists sit flush under their key."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"))
Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^0o[0-7]+$"), ["0"])
Dumper.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?i:yes|no|on|off|y|n|true|false)$"),
                             list("yYnNoOtTfF"))
Dumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


class IndentedDumper(Dumper):
    """The same, with list items indented under their key, as the bundled catalog writes them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)
