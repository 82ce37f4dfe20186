"""`tco-gate schema [proposal|policy|report]`: print a JSON Schema, generated from the models that define it."""

from __future__ import annotations

import json
import sys

from pydantic import BaseModel

from ..analysis.ranges import with_ranges
from ..models import Policy, Proposal
from ..report.model import Report
from ..result import EXIT_OK
from ..schema_files import SCHEMA_FILES, installed_schema
from ..schema_json import json_schema

# The model each published schema is generated from (the file names are schema_files' table).
MODELS: dict[str, type[BaseModel]] = {"proposal": Proposal, "policy": Policy, "report": Report}


def schema_text(kind: str) -> str:
    """A JSON Schema as committed under schemas/: two-space indented, with a final newline."""
    schema = json_schema(MODELS[kind], SCHEMA_FILES[kind])
    if kind == "proposal":  # editors accept `{low, likely, high}` wherever a number goes
        schema = with_ranges(schema)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema(kind: str, *, path: bool = False) -> int:
    """Print the schema of `kind`, exactly as committed under schemas/; with `path`, where the installed
    package keeps it (for an editor's `$schema=` line or its settings)."""
    sys.stdout.write(f"{installed_schema(kind).resolve()}\n" if path else schema_text(kind))
    return EXIT_OK
