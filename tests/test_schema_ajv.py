"""The committed schemas outside Python: ajv (npm `ajv-cli` with `ajv-formats`), a second, independent validator.

Each schema compiles under ajv's strict mode, and ajv and jsonschema give the same answer (valid or invalid)
for every example and every case of the test corpus that the loader reads (a file the loader refuses, such
as one with an anchor or a tab, never reaches a schema, in the gate or in this test).
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tco_gate.errors import InputError
from tco_gate.loader import load
from tco_gate.schema_files import SCHEMA_FILES
from tests.tools import require_node_module, require_tool

ROOT = Path(__file__).parent.parent
CASES = Path(__file__).parent / "cases"


def _ajv(*args: str) -> subprocess.CompletedProcess[str]:
    ajv = require_tool("ajv", via="npm")
    require_node_module("ajv-formats")
    # Draft 2020-12 needs --spec=draft2020; ajv-formats checks `format: date` as jsonschema's checker does.
    command = [ajv, *args, "--spec=draft2020", "--strict=true", "-c", "ajv-formats"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_schema_compiles_in_ajv_strict_mode(kind: str) -> None:
    schema = ROOT / "schemas" / SCHEMA_FILES[kind]
    done = _ajv("compile", "-s", str(schema))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"schema {schema} is valid" in done.stdout + done.stderr


def _as_json(value: Any) -> Any:
    """Loader data as JSON: Decimals become the numbers they are."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _corpus(file_name: str) -> list[Path]:
    files = sorted(CASES.glob(f"*/*/{file_name}"))
    if file_name.startswith("finetune-proposal"):
        files += sorted(ROOT.glob(f"examples/*/{file_name}"))
    return files


@pytest.mark.parametrize(("kind", "file_name"), [("proposal", "finetune-proposal.yml"), ("policy", ".tco-gate.yml")])
def test_ajv_and_jsonschema_agree_on_every_file_of_the_corpus(kind: str, file_name: str, tmp_path: Path) -> None:
    schema_path = ROOT / "schemas" / SCHEMA_FILES[kind]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    python_says: dict[Path, bool] = {}
    refused_by_the_loader = 0
    for number, source in enumerate(_corpus(file_name)):
        try:
            data = _as_json(load(source.read_bytes()).data)
        except InputError:
            refused_by_the_loader += 1
            continue
        as_json = tmp_path / f"{number:03d}-{source.parent.name}.json"
        as_json.write_text(json.dumps(data), encoding="utf-8")
        python_says[as_json] = validator.is_valid(data)
    assert python_says, "no file reached a schema"

    done = _ajv("validate", "-s", str(schema_path), *(arg for path in python_says for arg in ("-d", str(path))))
    output = done.stdout + done.stderr
    ajv_says = {path: f"{path} valid" in output for path in python_says}
    for path in python_says:
        assert (f"{path} valid" in output) != (f"{path} invalid" in output), f"ajv said nothing clear on {path}"
    disagreements = {
        path.name: (python_says[path], ajv_says[path]) for path in python_says if ajv_says[path] != python_says[path]
    }
    assert disagreements == {}, "(jsonschema, ajv) per file"
    if kind == "proposal":
        # Both validators must see both answers, or agreement proves little.
        assert set(python_says.values()) == {True, False}
    print(
        f"{kind}: {len(python_says)} files, {sum(python_says.values())} valid and "
        f"{len(python_says) - sum(python_says.values())} invalid in both; {refused_by_the_loader} refused by the loader"
    )
