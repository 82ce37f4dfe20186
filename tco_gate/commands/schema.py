"""`tco-gate schema [proposal|policy|report]`: print a JSON Schema."""

from __future__ import annotations

import sys

from ..result import EXIT_OK
from ..schema_files import schema_text


def schema(kind: str) -> int:
    """Print the schema of `kind`, exactly as committed under schemas/."""
    sys.stdout.write(schema_text(kind))
    return EXIT_OK
