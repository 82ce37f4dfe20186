"""Eval evidence of both systems, in any of the four formats, paired into the figures a reviewer derives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import Finding
from .inspect_log import read_inspect
from .lm_eval import read_lm_eval
from .pairing import Outcomes, pair
from .plain_jsonl import read_jsonl
from .promptfoo import read_promptfoo
from .stats import PairedFigures

EvalFormat = Literal["inspect", "promptfoo", "lm-eval", "jsonl"]
EVAL_FORMATS: tuple[EvalFormat, ...] = ("inspect", "promptfoo", "lm-eval", "jsonl")


@dataclass(frozen=True)
class EvalFile:
    """One file's bytes and the path it is shown under."""

    data: bytes
    path: str


@dataclass(frozen=True)
class EvalEvidence:
    """The paired figures, and the readers' warnings (a subset of the dataset, ...)."""

    figures: PairedFigures
    warnings: tuple[Finding, ...]


def read_eval_pair(
    form: Literal["inspect", "lm-eval", "jsonl"], prompting: EvalFile, finetuned: EvalFile, scorer: str | None = None
) -> EvalEvidence:
    """Two files, one a system, in one of the formats that keep each system apart."""
    if form == "inspect":
        sides = (
            read_inspect(prompting.data, prompting.path, scorer),
            read_inspect(finetuned.data, finetuned.path, scorer),
        )
    elif form == "lm-eval":
        sides = (
            read_lm_eval(prompting.data, prompting.path, scorer),
            read_lm_eval(finetuned.data, finetuned.path, scorer),
        )
    else:
        sides = read_jsonl(prompting.data, prompting.path), read_jsonl(finetuned.data, finetuned.path)
    return _paired(*sides)


def read_eval_promptfoo(results: EvalFile, prompting_provider: str, finetuned_provider: str) -> EvalEvidence:
    """One promptfoo results file holding both systems as two providers."""
    return _paired(*read_promptfoo(results.data, results.path, prompting_provider, finetuned_provider))


def _paired(prompting: Outcomes, finetuned: Outcomes) -> EvalEvidence:
    return EvalEvidence(pair(prompting, finetuned), prompting.warnings + finetuned.warnings)
