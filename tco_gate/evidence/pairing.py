"""One system's per-example results, and pairing two of them on their example ids (the same-set rules).

Both sides must hold exactly the same ids, of one type (an id 7 and an id "7" are different examples to the
tools that wrote them, so a log mixing the two is refused rather than guessed at), each once. Where a format
records what each example asked (Inspect's input and target, lm-evaluation-harness's hashes), the two sides
must agree on it for every id.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from ..errors import Finding, InputError, Level
from .jsontext import JsonText, Token
from .stats import PairedFigures, paired_figures

ExampleId = str | int

_SHOWN = 5
"""How many differing ids an error names."""


@dataclass(frozen=True)
class Place:
    """Where one example is written: its document (a file, or one line of a JSON Lines file) and path in it."""

    document: JsonText
    tokens: tuple[Token, ...]

    def finding(self, message: str, *, level: Level = "error") -> Finding:
        return self.document.finding(level, self.tokens, message)


@dataclass(frozen=True)
class Outcomes:
    """One system's results: example id -> correct, in the file's order, with each example's place."""

    path: str
    correct: dict[ExampleId, bool]
    places: dict[ExampleId, Place]
    fingerprints: dict[ExampleId, Hashable] = field(default_factory=dict)
    """What each example asked, where the format records it; compared across the two sides."""
    fingerprint_name: str = ""
    """What the fingerprint is, in words ("input or target")."""
    warnings: tuple[Finding, ...] = ()


class OutcomesBuilder:
    """Collects one file's examples, refusing bad, duplicate or mixed-type ids at their place."""

    def __init__(self, path: str, fingerprint_name: str = "", duplicate_hint: str = "") -> None:
        self.path = path
        self.fingerprint_name = fingerprint_name
        self.duplicate_hint = duplicate_hint
        self.correct: dict[ExampleId, bool] = {}
        self.places: dict[ExampleId, Place] = {}
        self.fingerprints: dict[ExampleId, Hashable] = {}
        self.warnings: list[Finding] = []
        self._id_type: type | None = None

    def add(self, raw_id: object, correct: bool, place: Place, fingerprint: Hashable = None) -> None:
        """One example; its id must be text or a whole number, of the same type as the file's first id."""
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            raise InputError([place.finding(f"an example id must be text or a whole number, not {_kind(raw_id)}")])
        if self._id_type is None:
            self._id_type = type(raw_id)
        elif type(raw_id) is not self._id_type:
            first = next(iter(self.places))
            raise InputError(
                [
                    place.finding(
                        f"ids of mixed types: id {raw_id!r} is {_kind(raw_id)} but the first id, {first!r}, is "
                        f'{_kind(first)}; an id 7 and an id "7" are different examples, so nothing is guessed'
                    )
                ]
            )
        if raw_id in self.places:
            line, _ = self.places[raw_id].document.where(self.places[raw_id].tokens)
            message = f"duplicate example id {raw_id!r}: it appears first on line {line}{self.duplicate_hint}"
            raise InputError([place.finding(message)])
        self.correct[raw_id] = correct
        self.places[raw_id] = place
        if self.fingerprint_name:
            self.fingerprints[raw_id] = fingerprint

    def build(self, empty: Finding) -> Outcomes:
        """The outcomes; `empty` is the error when the file held no example."""
        if not self.correct:
            raise InputError([empty])
        return Outcomes(
            self.path,
            self.correct,
            self.places,
            self.fingerprints,
            self.fingerprint_name,
            tuple(self.warnings),
        )


def pair(prompting: Outcomes, finetuned: Outcomes) -> PairedFigures:
    """The paired figures of two systems on the same examples; an error names the first difference."""
    _same_id_type(prompting, finetuned)
    only_prompting = [key for key in prompting.correct if key not in finetuned.correct]
    only_finetuned = [key for key in finetuned.correct if key not in prompting.correct]
    if only_prompting or only_finetuned:
        raise InputError([_different_sets(prompting, finetuned, only_prompting, only_finetuned)])
    if prompting.fingerprint_name and finetuned.fingerprint_name:
        for key, asked in prompting.fingerprints.items():
            if finetuned.fingerprints[key] != asked:
                line, _ = prompting.places[key].document.where(prompting.places[key].tokens)
                message = (
                    f"example {key!r} differs from the same id in {prompting.path} (line {line}): "
                    f"its {finetuned.fingerprint_name} changed, so the two systems were not scored on the same eval set"
                )
                raise InputError([finetuned.places[key].finding(message)])
    return paired_figures([(right, finetuned.correct[key]) for key, right in prompting.correct.items()])


def _same_id_type(prompting: Outcomes, finetuned: Outcomes) -> None:
    first_prompting, first_finetuned = next(iter(prompting.correct)), next(iter(finetuned.correct))
    if type(first_prompting) is not type(first_finetuned):
        message = (
            f"ids of mixed types: {prompting.path} names its examples with {_kind(first_prompting)} "
            f"(first {first_prompting!r}), this file with {_kind(first_finetuned)} (first {first_finetuned!r})"
        )
        raise InputError([finetuned.places[first_finetuned].finding(message)])


def _different_sets(
    prompting: Outcomes, finetuned: Outcomes, only_prompting: Sequence[ExampleId], only_finetuned: Sequence[ExampleId]
) -> Finding:
    parts = []
    for ids, side in ((only_prompting, prompting), (only_finetuned, finetuned)):
        if ids:
            shown = ", ".join(repr(key) for key in ids[:_SHOWN]) + (", …" if len(ids) > _SHOWN else "")
            parts.append(f"{len(ids)} only in {side.path} ({shown})")
    message = (
        f"the two eval logs do not hold the same examples: {len(only_prompting) + len(only_finetuned)} ids differ, "
        + "; ".join(parts)
    )
    first, side = (only_prompting[0], prompting) if only_prompting else (only_finetuned[0], finetuned)
    return side.places[first].finding(message)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, float):
        return "a fractional number"
    return "a list" if isinstance(value, list) else "an object"
