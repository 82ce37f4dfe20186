from __future__ import annotations

from decimal import Decimal

import pytest

from tco_gate.errors import InputError
from tco_gate.loader import MAX_BYTES, Position, load, resolve_plain_scalar

pytestmark = pytest.mark.usefixtures("yaml_parser")


def error_of(text: str | bytes) -> tuple[str, int | None, int | None]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(InputError) as caught:
        load(data)
    (finding,) = caught.value.findings
    return finding.message, finding.line, finding.column


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e3", Decimal("1e3")),
        ("2.5E+2", Decimal("250")),
        ("3_000_000", 3_000_000),
        ("-4", -4),
        ("0.40", Decimal("0.40")),
        (".5", Decimal("0.5")),
        ("0x1F", 31),
        ("0o17", 15),
        ("true", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        # YAML 1.1 readings that YAML 1.2 core does not make: all stay text.
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("1:30", "1:30"),
        ("2026-11-28", "2026-11-28"),
        ("0b101", "0b101"),
        # `_` only between digits
        ("_3", "_3"),
        ("3_", "3_"),
        ("3__0", "3__0"),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core(text: str, value: object) -> None:
    resolved = resolve_plain_scalar(text)
    assert resolved == value
    assert type(resolved) is type(value)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.inf", "+.INF"])
def test_non_finite_numbers_are_refused(text: str) -> None:
    message, line, column = error_of(f"a: 1\nb: {text}\n")
    assert "not a finite number" in message
    assert (line, column) == (2, 4)


def test_pointer_index_gives_key_and_value_positions() -> None:
    document = load(b"version: 1\nfinetune:\n  serving:\n    min_gpus: 2\n  list: [a, b]\n")
    assert document.data == {"version": 1, "finetune": {"serving": {"min_gpus": 2}, "list": ["a", "b"]}}
    assert document.values["/finetune/serving/min_gpus"] == Position(4, 15)
    assert document.keys["/finetune/serving/min_gpus"] == Position(4, 5)
    assert document.values["/finetune/list/1"] == Position(5, 13)
    # A pointer that was never written falls back to its nearest written ancestor.
    assert document.position("/finetune/serving/failover_gpus") == Position(4, 5)


def test_pointer_tokens_are_escaped() -> None:
    document = load(b'"a/b": {"c~d": 1}\n')
    assert document.values["/a~1b/c~0d"] == Position(1, 16)


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("a: &x 1\nb: *x\n", "anchor `&x`", 1),
        ("a: 1\nb: *x\n", "alias `*x`", 2),
        ("base: {a: 1}\nother:\n  <<: {b: 2}\n", "merge keys", 3),
        (
            "a: !!python/object/apply:os.system ['true']\n",
            "explicit tag `tag:yaml.org,2002:python/object/apply:os.system`",
            1,
        ),
        ("a: !!set {x}\n", "explicit tag", 1),
        ("a: !!binary aGVsbG8=\n", "explicit tag", 1),
        ("a: !custom x\n", "explicit tag `!custom`", 1),
        ("a: !!str 5\n", "explicit tag", 1),
        ("a: ! 5\n", "explicit tag `!`", 1),
        ("a: 1\nb:\n  c: 1\n  c: 2\n", "duplicate key `c` (first written on line 3)", 4),
        ("a: 1\na: 2\n", "duplicate key `a`", 2),
        ("1: x\n", "key `1` is not text", 1),
        ("true: x\n", "key `true` is not text", 1),
        ("? [a, b]\n: x\n", "a key must be text", 1),
        ("a: 1\n---\nb: 2\n", "second YAML document", 2),
        ("a: 1\n...\n---\nb: 2\n", "second YAML document", 3),
    ],
)
def test_hazards_are_refused_with_their_line(text: str, needle: str, line: int) -> None:
    message, found_line, column = error_of(text)
    assert needle in message
    assert found_line == line
    assert column is not None


def test_billion_laughs_is_refused_at_its_first_anchor() -> None:
    # Refused on line 1, before a single alias is read, so nothing is ever expanded; the time it takes
    # is measured by bench/hostile.py, not asserted here.
    levels = ['lol0: &lol0 "lol"']
    levels += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    text = "\n".join(levels) + "\n"
    message, line, _ = error_of(text)
    assert "anchor `&lol0`" in message
    assert line == 1


def test_nesting_deeper_than_64_is_refused() -> None:
    ok = "a: " + "[" * 63 + "]" * 63 + "\n"  # root mapping + 63 lists = 64 levels
    assert load(ok.encode()).data["a"] is not None
    message, line, column = error_of("a: " + "[" * 64 + "]" * 64 + "\n")
    assert "nesting deeper than 64" in message
    assert (line, column) == (1, 67)


def test_very_deep_nesting_is_refused_without_recursion() -> None:
    message, _, _ = error_of("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nesting deeper than 64" in message


def test_files_over_one_mebibyte_are_refused() -> None:
    data = b"a: 1\n" + b"# padding\n" * (MAX_BYTES // 10 + 1)
    assert len(data) > MAX_BYTES
    message, line, _ = error_of(data)
    assert "limit is 1 MiB" in message
    assert line is None
    exactly = b"a: 1\n" + b"#" * (MAX_BYTES - 6) + b"\n"
    assert len(exactly) == MAX_BYTES
    assert load(exactly).data == {"a": 1}


def test_invalid_utf8_reports_line_column_and_byte_offset() -> None:
    message, line, column = error_of(b"a: 1\nb: caf\xe9\n")
    assert "byte 0xe9 at byte offset 11" in message
    assert (line, column) == (2, 7)


def test_control_characters_are_refused() -> None:
    message, line, _ = error_of(b"a: 1\nb: x\x00y\n")
    assert "U+0000" in message
    assert line == 2


def test_a_utf8_bom_is_accepted() -> None:
    assert load("\ufeffa: 1\n".encode()).data == {"a": 1}


def test_empty_and_comment_only_files_are_refused() -> None:
    for text in ("", "# just a comment\n", "\n\n"):
        message, line, _ = error_of(text)
        assert "the file is empty" in message
        assert line is None


def test_a_5000_digit_integer_is_a_finding_not_a_crash() -> None:
    message, line, column = error_of("a: " + "9" * 5000 + "\n")
    assert "5000-digit integer" in message
    assert (line, column) == (1, 4)


def test_syntax_errors_carry_a_position() -> None:
    message, line, column = error_of("a: {b: 1\nc: 2\n")
    assert message.startswith("YAML syntax:")
    assert line is not None and column is not None


def test_tabs_for_indentation_are_a_syntax_error() -> None:
    message, line, _ = error_of("a:\n\tb: 1\n")
    assert message.startswith("YAML syntax:")
    assert line == 2


def test_quoted_and_block_scalars_stay_text() -> None:
    document = load(b"a: '1'\nb: \"2.5\"\nc: |\n  3\n")
    assert document.data == {"a": "1", "b": "2.5", "c": "3\n"}
