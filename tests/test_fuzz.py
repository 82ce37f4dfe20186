"""Hypothesis mutates valid proposals; whatever comes out, the gate answers with a Result, never a crash."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tco_gate.gate import Overrides, evaluate, settle_policy
from tco_gate.result import Outcome, Result

from .conftest import SPEC_EXAMPLE

BASE = SPEC_EXAMPLE.read_bytes()
LINES = BASE.decode().splitlines(keepends=True)
SETTINGS = settle_policy(None, None, Overrides())
TODAY = date(2026, 11, 28)

HOSTILE_VALUES = st.sampled_from(
    [
        "",
        "~",
        "null",
        "yes",
        "no",
        "on",
        "1:30",
        ".nan",
        ".inf",
        "-.inf",
        "-1",
        "0",
        "1e309",
        "1e-400",
        "9" * 5000,
        "0x" + "f" * 100,
        "1_000",
        "1__0",
        "'3'",
        '"x"',
        "[]",
        "{}",
        "[1, [2, [3]]]",
        "&a 1",
        "*a",
        "!!str 1",
        "!!python/name:os.system",
        "<<: {}",
        "2026-02-30",
        "-0",
        "1e999999999",
        "0.1e1",
        "+.5",
        "\t1",
        "|\n  x",
        ">-",
        "? a",
        "- a",
        "'unterminated",
        "{a: 1, a: 2}",
        "\u2028",
        "\ufeff1",
        "\x85",
    ]
)
SAFE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


def check(data: bytes) -> Result:
    result = evaluate(data, "finetune-proposal.yml", SETTINGS, TODAY)
    if result.outcome is Outcome.INVALID:
        assert result.findings and all(f.message for f in result.findings)
    else:
        assert result.ledger is not None
    return result


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(0, len(LINES) - 1),
    value=st.one_of(HOSTILE_VALUES, SAFE_TEXT, st.integers().map(str), st.decimals().map(str)),
)
def test_replacing_a_value_gives_findings_not_crashes(index: int, value: str) -> None:
    lines = list(LINES)
    key, sep, _ = lines[index].partition(":")
    lines[index] = f"{key}{sep} {value}\n" if sep else f"{value}\n"
    check("".join(lines).encode("utf-8", "surrogatepass"))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(BASE)), st.integers(0, 8), st.binary(max_size=8)), max_size=4),
)
def test_byte_level_mutations_give_findings_not_crashes(cuts: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(BASE)
    for at, remove, insert in cuts:
        data[at : at + remove] = insert
    check(bytes(data))


@settings(max_examples=500, deadline=None)
@given(
    drop=st.sets(st.integers(0, len(LINES) - 1), max_size=6),
    indent=st.sampled_from(["", " ", "  ", "    ", "\t"]),
    extra=st.sampled_from(
        [
            "monthly_serving_usd: 1",
            "serving: {}",
            "min_savings_pct: 1",
            "constraints: {}",
            "evaluation: {eval_set: e, finetune_accuracy: 1, prompting_accuracy: 1}",
            "retrains_per_year: 400",
            "base_model_lifecycle_months: 1",
        ]
    ),
)
def test_dropping_and_adding_keys_gives_findings_not_crashes(drop: set[int], indent: str, extra: str) -> None:
    lines = [line for i, line in enumerate(LINES) if i not in drop]
    lines.insert(len(lines) // 2, f"{indent}{extra}\n")
    check("".join(lines).encode())
