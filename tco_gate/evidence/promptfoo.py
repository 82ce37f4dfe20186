"""promptfoo's `-o results.json`: both systems as two providers of one eval, paired on each row's test index.

Field names are promptfoo's own (promptfoo/promptfoo, src/types/index.ts: OutputFile has `results`, an
EvaluateSummaryV3 with `version: 3` and `results`, rows of EvaluateResult with `provider` (`id`, `label`),
`testIdx`, `success` and `failureReason`, where ResultFailureReason.ERROR is 2: the provider failed to answer).
"""

from __future__ import annotations

from typing import Any

from ..errors import Finding, InputError
from .jsontext import JsonText, parse_json
from .pairing import Outcomes, OutcomesBuilder, Place

RESULTS_VERSION = 3
FAILURE_ERROR = 2

_DUPLICATE_HINT = (
    " for this provider (more than one prompt or `--repeat`: give each provider one prompt and run each test once)"
)


def read_promptfoo(
    data: bytes, path: str, prompting_provider: str, finetuned_provider: str
) -> tuple[Outcomes, Outcomes]:
    """Prompting's and the fine-tuned model's per-test results, picked by provider label (else id)."""
    if prompting_provider == finetuned_provider:
        raise InputError([Finding("error", f"both systems name provider {prompting_provider!r}", path=path)])
    output = parse_json(data, path)
    summary = output.data.get("results") if isinstance(output.data, dict) else None
    if not isinstance(summary, dict) or not isinstance(summary.get("results"), list):
        raise output.error([], "not a promptfoo results file: `results.results[]` is expected (`promptfoo eval -o`)")
    if summary.get("version") != RESULTS_VERSION:
        raise output.error(
            ["results", "version"],
            f"promptfoo results version {summary.get('version')!r}: tco-gate reads version {RESULTS_VERSION}, "
            "what `promptfoo eval -o results.json` writes today",
        )
    sides = {
        prompting_provider: OutcomesBuilder(path, duplicate_hint=_DUPLICATE_HINT),
        finetuned_provider: OutcomesBuilder(path, duplicate_hint=_DUPLICATE_HINT),
    }
    seen: list[str] = []
    for index, row in enumerate(summary["results"]):
        place = Place(output, ("results", "results", index))
        name = _provider(output, index, row)
        seen.extend([name] if name not in seen else [])
        if name not in sides:
            continue
        if row.get("failureReason") == FAILURE_ERROR:
            error = str(row.get("error") or "no message").strip()[:120]
            raise InputError(
                [
                    place.finding(
                        f"test {row.get('testIdx')!r} of provider {name!r} ended in an error, not an answer "
                        f"({error}): rerun it or drop the test"
                    )
                ]
            )
        if isinstance(row.get("testIdx"), bool) or not isinstance(row.get("testIdx"), int):
            raise output.error(["results", "results", index], "a row must carry its test's `testIdx`, a whole number")
        success = row.get("success")
        if not isinstance(success, bool):
            raise output.error(["results", "results", index, "success"], "`success` must be true or false")
        sides[name].add(row.get("testIdx"), success, place)

    providers = ", ".join(map(repr, seen)) or "none"
    prompting, finetuned = (
        sides[name].build(
            output.finding(
                "error", ["results", "results"], f"no rows of provider {name!r} (the providers here: {providers})"
            )
        )
        for name in (prompting_provider, finetuned_provider)
    )
    return prompting, finetuned


def _provider(output: JsonText, index: int, row: Any) -> str:
    """A row's provider as promptfoo shows it: its label, else its id."""
    provider = row.get("provider") if isinstance(row, dict) else None
    if isinstance(provider, dict):
        for key in ("label", "id"):
            if isinstance(provider.get(key), str) and provider[key]:
                return str(provider[key])
    raise output.error(
        ["results", "results", index], "a row must name its provider (`provider.label` or `provider.id`)"
    )
