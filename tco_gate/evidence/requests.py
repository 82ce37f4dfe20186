"""A proposal's `evidence:` section: which files it names, and what their bytes measure. Pure.

The run layer asks `paths_named` which files to read (it reads them through its Source, confined to the
repository) and hands the bytes back to `measure`, which runs the readers. Every problem becomes a finding at
the evidence key's pointer, so a report places it on that line of the proposal; a problem inside a file names
the file's own line and column first, as a compiler does (`evals/p.json:12:5: ...`). The section is read
leniently here: a key of the wrong type is skipped, and validation words it at its line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import Finding, InputError
from .apply import Measured
from .eval_pair import EvalEvidence, EvalFile, read_eval_pair, read_eval_promptfoo
from .stats import PairedFigures
from .usage import UsageFigures, read_openai_usage
from .usage_csv import read_usage_csv
from .vllm_bench import BenchFigures, read_vllm_bench

T = TypeVar("T")

# Where each kind names its files: key -> JSON pointer below /evidence.
_FILE_KEYS = {"eval": ("prompting", "finetuned", "file"), "usage": ("file",), "serving_benchmark": ("file",)}


@dataclass(frozen=True)
class EvidenceRead:
    """One evidence file as the run read it: as written, as reports show it, its bytes and sha256, or why not."""

    written: str
    shown: str
    data: bytes | None = None
    sha256: str | None = None
    problem: str = ""


@dataclass(frozen=True)
class Measurement:
    """What a proposal's evidence measured, the findings on the way, and every file read (for the report)."""

    measured: Measured
    findings: tuple[Finding, ...] = ()
    files: tuple[tuple[str, EvidenceRead], ...] = field(default=())
    """Each file read, with the kind of evidence it is (eval, usage, serving_benchmark)."""
    eval: PairedFigures | None = None
    usage: UsageFigures | None = None
    bench: BenchFigures | None = None
    pointers: Mapping[str, str] = field(default_factory=dict)
    """JSON pointer of each figure the evidence supplied -> the file it came from (see apply.Applied)."""

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of evidence that gave figures: eval, usage, serving_benchmark."""
        found = (("eval", self.eval), ("usage", self.usage), ("serving_benchmark", self.bench))
        return tuple(kind for kind, figures in found if figures is not None)


def paths_named(data: Any) -> list[str]:
    """Every file path the proposal's `evidence:` section names, once each, in the order written."""
    section = data.get("evidence") if isinstance(data, dict) else None
    found: list[str] = []
    if not isinstance(section, dict):
        return found
    for kind, keys in _FILE_KEYS.items():
        entry = section.get(kind)
        if isinstance(entry, dict):
            found.extend(entry[key] for key in keys if isinstance(entry.get(key), str) and entry[key] not in found)
    return found


def measure(data: Any, files: Mapping[str, EvidenceRead]) -> Measurement:
    """The figures the named files give, with a finding at the evidence key for each problem."""
    section = data.get("evidence") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return Measurement(Measured())
    findings: list[Finding] = []
    used: list[tuple[str, EvidenceRead]] = []
    context = _Context(files, findings, used)
    eval_evidence = context.run("eval", section.get("eval"), _eval)
    usage = context.run("usage", section.get("usage"), _usage)
    bench = context.run("serving_benchmark", section.get("serving_benchmark"), _bench)
    bench_entry = section.get("serving_benchmark")
    eval_files = [read.shown for kind, read in used if kind == "eval"]  # prompting's first, as _FILE_KEYS orders
    gpus = bench_entry.get("gpus", 1) if isinstance(bench_entry, dict) else 1
    measured = Measured(
        eval=eval_evidence.figures if eval_evidence else None,
        eval_path=eval_files[0] if eval_files else "",
        eval_finetuned_path=eval_files[-1] if eval_files else "",
        usage=usage,
        usage_path=_shown(files, section.get("usage")),
        bench=bench,
        bench_path=_shown(files, bench_entry),
        bench_gpus=gpus if isinstance(gpus, int) and not isinstance(gpus, bool) and gpus >= 1 else 1,
    )
    if eval_evidence is not None:
        findings.extend(_at(w, "/evidence/eval") for w in eval_evidence.warnings)
    if usage is not None:
        findings.extend(_at(warning, "/evidence/usage") for warning in usage.warnings)
    if bench is not None:
        findings.extend(_at(warning, "/evidence/serving_benchmark") for warning in bench.warnings)
    return Measurement(
        measured,
        tuple(findings),
        tuple(used),
        eval_evidence.figures if eval_evidence else None,
        usage,
        bench,
    )


@dataclass
class _Context:
    files: Mapping[str, EvidenceRead]
    findings: list[Finding]
    used: list[tuple[str, EvidenceRead]]

    def run(self, kind: str, entry: Any, reader: Callable[[dict[str, Any], _Files], T]) -> T | None:
        """One kind's reader over its files; None (with findings) when a file is missing or the reader refuses."""
        if not isinstance(entry, dict) or not isinstance(entry.get("format"), str):
            return None
        reads = {
            key: self.files.get(entry[key]) or EvidenceRead(entry[key], entry[key], problem="not read: no file given")
            for key in _FILE_KEYS[kind]
            if isinstance(entry.get(key), str)
        }
        if not reads:
            return None
        ok = True
        for key, read in reads.items():
            if (kind, read) not in self.used:
                self.used.append((kind, read))
            if read.problem or read.data is None:
                self.findings.append(Finding("error", f"{read.shown}: {read.problem}", f"/evidence/{kind}/{key}"))
                ok = False
        if not ok:
            return None
        by_shown = {read.shown: key for key, read in reads.items()}
        try:
            return reader(entry, _Files(reads))
        except InputError as exc:
            for finding in exc.findings:
                key = by_shown.get(finding.path, next(iter(reads)))
                self.findings.append(_at(finding, f"/evidence/{kind}/{key}"))
            return None


@dataclass(frozen=True)
class _Files:
    reads: Mapping[str, EvidenceRead]

    def __getitem__(self, key: str) -> EvalFile:
        read = self.reads[key]
        assert read.data is not None, "a file with no bytes is reported before its reader runs"
        return EvalFile(read.data, read.shown)

    def __contains__(self, key: str) -> bool:
        return key in self.reads


def _eval(entry: dict[str, Any], files: _Files) -> EvalEvidence | None:
    form, scorer = entry["format"], entry.get("scorer") if isinstance(entry.get("scorer"), str) else None
    if form == "promptfoo" and "file" in files:
        prompting, finetuned = entry.get("prompting_provider"), entry.get("finetuned_provider")
        if isinstance(prompting, str) and isinstance(finetuned, str):
            return read_eval_promptfoo(files["file"], prompting, finetuned)
        return None
    if form in ("inspect", "lm-eval", "jsonl") and "prompting" in files and "finetuned" in files:
        return read_eval_pair(form, files["prompting"], files["finetuned"], scorer)
    return None


def _usage(entry: dict[str, Any], files: _Files) -> UsageFigures | None:
    file = files["file"]
    if entry["format"] == "openai-usage":
        model = entry.get("model") if isinstance(entry.get("model"), str) else None
        return read_openai_usage(file.data, file.path, model)
    if entry["format"] == "csv":
        return read_usage_csv(file.data, file.path)
    return None


def _bench(entry: dict[str, Any], files: _Files) -> BenchFigures | None:
    file = files["file"]
    return read_vllm_bench(file.data, file.path) if entry["format"] == "vllm-bench" else None


def _at(finding: Finding, pointer: str) -> Finding:
    """A finding from inside an evidence file, moved to the evidence key, naming the file's own place first."""
    place = finding.path
    if finding.line is not None:
        place += f":{finding.line}" + (f":{finding.column}" if finding.column is not None else "")
    return Finding(finding.level, f"{place}: {finding.message}" if place else finding.message, pointer)


def _shown(files: Mapping[str, EvidenceRead], entry: Any) -> str:
    written = entry.get("file") if isinstance(entry, dict) else None
    read = files.get(written) if isinstance(written, str) else None
    return read.shown if read else ""
