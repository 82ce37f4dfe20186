"""A report over every kind of proposal the repository holds, for the machine formats' validators."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from functools import cache
from pathlib import Path

from tco_gate.analysis.ranges import extract_ranges
from tco_gate.cli import main
from tco_gate.evidence.apply import apply_measured
from tco_gate.evidence.requests import EvidenceRead, measure, paths_named
from tco_gate.evidence_files import read_evidence
from tco_gate.loader import Document, load
from tco_gate.report.model import Report, SummaryOut
from tco_gate.result import Outcome
from tco_gate.sources import WorkTree
from tests.paths import CASES, ROOT


def report_of(*arguments: Path | str) -> Report:
    """The JSON report `check` writes for these paths (and flags), read back as the model renderers take."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["check", "--format", "json", *map(str, arguments)])
    return Report.model_validate_json(out.getvalue())


def evidence_of(path: Path) -> dict[str, EvidenceRead]:
    """The evidence files a proposal file names, read from the work tree as a run reads them."""
    return {written: read_evidence(WorkTree(), path, written) for written in paths_named(load(path.read_bytes()).data)}


def measured_document(path: Path) -> Document:
    """A proposal file loaded as a run loads it: ranges at their likely values, its evidence files' figures in."""
    document = extract_ranges(load(path.read_bytes()))[0]
    reads = {written: read_evidence(WorkTree(), path, written) for written in paths_named(document.data)}
    return apply_measured(document, measure(document.data, reads).measured).document


@cache  # the model is frozen, so every test module can share one run
def corpus() -> Report:
    """Pass, fail, exempt, waived, warn-only and every hostile invalid case, relative to the repository root.

    Each case is its own run, as tests/test_cases.py runs it (under its own policy as the root policy, in a
    copy outside this repository: many cases share a name, and a name is unique across a repository); the
    reports are joined as one run's, paths as they are in the repository.
    """
    with contextlib.chdir(ROOT):
        reports = [report_of(Path("examples"))]
    with tempfile.TemporaryDirectory(prefix="tco-gate-corpus-") as folder, contextlib.chdir(folder):
        shutil.copytree(CASES, Path(folder) / CASES.relative_to(ROOT))
        for kind in ("valid", "invalid"):
            for case in sorted(p.relative_to(ROOT) for p in (CASES / kind).iterdir() if p.is_dir()):
                policy = case / ".tco-gate.yml"
                reports.append(report_of(case, *(["--policy", str(policy)] if policy.exists() else [])))
    results = [result for report in reports for result in report.results]
    counts = {outcome.value: sum(r.verdict is outcome for r in results) for outcome in Outcome}
    return Report(version=1, results=results, summary=SummaryOut.model_validate(counts))
