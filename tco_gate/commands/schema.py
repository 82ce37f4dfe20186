"""`tco-gate schema [proposal|policy|report]`: print a JSON Schema."""

from __future__ import annotations

import sys

from ..result import EXIT_OK
from ..schema_files import installed_schema, schema_text


def schema(kind: str, *, path: bool = False) -> int:
    """Print the schema of `kind`, exactly as committed under schemas/; with `path`, where the installed
    package keeps it (for an editor's `$schema=` line or its settings)."""
    sys.stdout.write(f"{installed_schema(kind).resolve()}\n" if path else schema_text(kind))
    return EXIT_OK
