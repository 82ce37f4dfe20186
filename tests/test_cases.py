"""Data-driven cases: a folder per case under tests/cases/{valid,invalid}/, discovered by listing.

invalid/<case>/finetune-proposal.yml must exit 2 with findings; `expected.txt` holds the finding lines
(`file:line:col: level: message`), the same with libyaml and with PyYAML's Python parser (one behaviour
on every machine: tests/test_yaml_parity.py). valid/<case>/ holds a proposal, optionally
its `.tco-gate.yml`, `expected.json` (the whole JSON report) and `expected.txt` (the text report, which
`tco-gate report --from` must reproduce byte for byte from the JSON). Rewrite goldens only with
TCO_GATE_UPDATE_GOLDEN=1, and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tco_gate import __version__
from tco_gate.catalog import catalog_version
from tco_gate.cli import main
from tco_gate.report import RENDERERS

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("TCO_GATE_UPDATE_GOLDEN") == "1"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _golden(path: Path, actual: str) -> str:
    """The expected text; in update mode, write `actual` first."""
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with TCO_GATE_UPDATE_GOLDEN=1 and review it"
    return path.read_text(encoding="utf-8")


def _standalone(case: Path, tmp_path: Path) -> Path:
    """A copy of the case in a folder outside any repository: each case stands for a repository of its own
    (names are unique across a repository, and ours holds every case)."""
    copy = tmp_path / case.name
    shutil.copytree(case, copy)
    return copy


def _proposal_file(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.name.startswith("finetune-proposal.")]
    return found


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(
    case: Path,
    yaml_parser: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(_standalone(case, tmp_path))
    code = main(["check", *_case_args(case)])
    out, err = capsys.readouterr()

    assert code == 2, out + err
    assert "Traceback" not in out + err
    assert err == ""
    findings = [line.strip() for line in out.splitlines() if line.startswith("    ") and ": error: " in line]
    assert findings, out
    actual = _pinned("\n".join(findings) + "\n")
    assert actual == _golden(case / "expected.txt", actual), f"with {yaml_parser}"


def _case_args(case: Path) -> list[str]:
    """The case's proposal, under its own policy as the root policy: each case stands for a repository of
    its own, not a folder nested in ours."""
    policy = ["--policy", ".tco-gate.yml"] if (case / ".tco-gate.yml").is_file() else []
    return [*policy, _proposal_file(case).name]


def _pinned(text: str) -> str:
    # The catalog's version is named in reports; goldens keep a placeholder so a new release still matches.
    text = text.replace(f"genai-prices {catalog_version()}", "genai-prices {version}")
    return text.replace(f'"version": "{__version__}"', '"version": "{version}"')


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(
    case: Path,
    yaml_parser: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(_standalone(case, tmp_path))
    code = main(["check", "--format", "json", *_case_args(case)])
    out, err = capsys.readouterr()
    out = _pinned(out)
    report = json.loads(out)
    expected = json.loads(_golden(case / "expected.json", out))
    assert report == expected
    (result,) = report["results"]
    assert code == (1 if result["verdict"] == "fail" and result["enforced"] else 0)
    assert err == ""


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_text(
    case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(_standalone(case, tmp_path))
    code = main(["check", *_case_args(case)])
    out, err = capsys.readouterr()
    assert _pinned(out) == _golden(case / "expected.txt", _pinned(out))
    assert code in (0, 1) and err == ""


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_a_saved_report_renders_as_check_printed_it(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_standalone(case, tmp_path))
    saved = tmp_path / "report.json"
    main(["check", "--format", "json", "--output", str(saved), *_case_args(case)])
    for format in RENDERERS:
        main(["check", "--format", format, *_case_args(case)])
        printed = capsys.readouterr().out
        assert main(["report", "--from", str(saved), "--format", format]) == 0
        assert capsys.readouterr().out == printed, format


def _index_rows() -> dict[str, str]:
    """Case name -> `line:col` or `none`, from tests/cases/invalid/INDEX.md, written by hand from the bytes."""
    rows = {}
    for line in (CASES / "invalid" / "INDEX.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 3:
            rows[cells[0]] = cells[2]
    return rows


def test_every_invalid_case_is_indexed_and_its_golden_points_at_the_indexed_line() -> None:
    # The goldens are written by the tool; INDEX.md was not. Their lines must agree.
    rows = _index_rows()
    cases = {case.name for case in _cases("invalid")}
    assert set(rows) == cases
    assert len(cases) >= 30
    for name, where in sorted(rows.items()):
        first = (CASES / "invalid" / name / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
        location = first.split(": error: ")[0].split(":")[1:]
        if where == "none":
            assert location == [], name
        else:
            assert location[:1] == where.split(":")[:1], f"{name}: golden {location}, index {where}"
