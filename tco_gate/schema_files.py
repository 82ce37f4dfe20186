"""The JSON Schemas tco-gate publishes: one file name per kind, and the copies shipped in the package.

The one table the `schema` command, the validator and the drift tests read. It names files, not models, so
every floor can read a published schema without loading what generates it (tco_gate/schema_json.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILES: dict[str, str] = {
    "proposal": "finetune-proposal.schema.json",
    "policy": "policy.schema.json",
    "report": "report.schema.json",
}

_SHIPPED = Path(__file__).parent / "schemas"


@cache
def published_schema(name: str) -> dict[str, Any]:
    """The schema file `name` as shipped in the package: byte for byte what `tco-gate schema` generates (a test
    fails on drift), and reading it costs a fraction of generating it."""
    schema: dict[str, Any] = json.loads((_SHIPPED / name).read_text(encoding="utf-8"))
    return schema


def installed_schema(kind: str) -> Path:
    """The schema of `kind` as shipped inside the installed package: the file editors are pointed at."""
    return _SHIPPED / SCHEMA_FILES[kind]
