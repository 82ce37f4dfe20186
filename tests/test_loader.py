from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from tco_gate import loader, yaml_subset
from tco_gate.errors import InputError
from tco_gate.loader import MAX_BYTES, Position, load, number_without_underscores, resolve_plain_scalar
from tco_gate.yaml_subset import TAB_ELSEWHERE

from .tools import require_libyaml

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
        ("3000000", 3000000),
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
        # YAML 1.2 has no `_` in numbers: what YAML 1.1 and many languages read as 3000000 is text here.
        ("3_000_000", "3_000_000"),
        ("1_000.5", "1_000.5"),
        ("_3", "_3"),
        ("3_", "3_"),
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


def test_a_pointer_without_a_leading_slash_climbs_to_the_root_instead_of_looping() -> None:
    document = load(b"version: 1\nfinetune:\n  min_gpus: 2\n")
    found: list[object] = []

    def place() -> None:
        found.extend(document.position(pointer) for pointer in ("finetune", "XX/finetune/min_gpus"))

    worker = threading.Thread(target=place, daemon=True)  # a daemon: a loop that never ends fails the test, not CI
    worker.start()
    worker.join(timeout=10)
    assert found == [document.position("")] * 2


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


@pytest.mark.parametrize("text", ["", "# just a comment\n", "\n\n", "\ufeff", "\r\n  # indented comment\r\n"])
def test_empty_and_comment_only_files_are_refused_at_line_1_column_1(text: str) -> None:
    message, line, column = error_of(text)
    assert "the file is empty" in message
    assert (line, column) == (1, 1)


def test_a_5000_digit_integer_is_a_finding_not_a_crash() -> None:
    message, line, column = error_of("a: " + "9" * 5000 + "\n")
    assert "5000-digit integer" in message
    assert (line, column) == (1, 4)


def test_syntax_errors_carry_a_position() -> None:
    message, line, column = error_of("a: {b: 1\nc: 2\n")
    assert message.startswith("YAML syntax:")
    assert line is not None and column is not None


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a:\n\tb: 1\n", 2, 1),
        ("a:\n  \tb: 1\n", 2, 3),
        ("a:\n  b: 1\n\tc: 2\n", 3, 1),
        ("a: 1\n \t\nb: 2\n", 2, 2),  # a blank line indented with a tab
        ("a: |\n \tx\n", 2, 2),  # libyaml refused this one, the Python parser read the tab as text
        ("a: |2\n  \tx\n", 2, 3),  # stricter than both parsers: a tab before the text is indentation to a reader
        ("- [\n\tfoo\n ]\n", 2, 1),
        ("a: x\n\ty\n", 2, 1),  # a continuation line of plain text
    ],
)
def test_tabs_used_as_indentation_say_so(text: str, line: int, column: int) -> None:
    assert error_of(text) == ("YAML does not allow tabs for indentation; use spaces", line, column)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("key:\tvalue\n", 1, 5),
        ("a: b\t\n", 1, 5),
        ("---\tscalar\n", 1, 4),
        ("a: x\ty\n", 1, 5),
        ("a:\t[1, 2]\n", 1, 3),
        ("a: [1,\t2]\n", 1, 7),
        ("a\t: 1\n", 1, 2),
        ("a: |\t\n  x\n", 1, 5),
        ("%YAML\t1.2\n---\na: 1\n", 1, 6),
        ("a: 1\t# comment\n", 1, 5),
    ],
)
def test_tabs_outside_quoted_text_are_refused_where_they_are(text: str, line: int, column: int) -> None:
    assert error_of(text) == (TAB_ELSEWHERE, line, column)
    assert TAB_ELSEWHERE.startswith("a tab outside quoted text, block text or a comment")


def test_tabs_inside_quoted_text_block_text_and_comments_are_kept() -> None:
    text = "a: \"x\ty\"\nb: 'p\tq'\nc: |\n  one\ttwo\n# a\tcomment\nd: 1 #\tcomment\n"
    assert load(text.encode()).data == {"a": "x\ty", "b": "p\tq", "c": "one\ttwo\n", "d": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("%FOO bar\n---\na: 1\n", "directive `%FOO` is not allowed; the only directive tco-gate reads is `%YAML 1.2`"),
        ("%YAM 1.2\n---\na: 1\n", "directive `%YAM` is not allowed; the only directive tco-gate reads is `%YAML 1.2`"),
        ("%YAML 1.1\n---\na: 1\n", "`%YAML 1.1`: tco-gate reads YAML 1.2; write `%YAML 1.2` or no directive"),
        ("%YAML 1.3\n---\na: 1\n", "`%YAML 1.3`: tco-gate reads YAML 1.2; write `%YAML 1.2` or no directive"),
        ("%TAG ! tag:example.com,2026:\n---\na: 1\n", "%TAG directives are not allowed"),
    ],
)
def test_directives_other_than_yaml_1_2_are_refused(text: str, message: str) -> None:
    assert error_of(text) == (message, 1, 1)


def test_a_yaml_1_2_directive_is_accepted() -> None:
    assert load(b"%YAML 1.2  # the version this file is written in\n---\na: 1\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "needle", "line", "column"),
    [
        ("a: 1\n\ufeffb: 2\n", "byte-order mark (U+FEFF) is only allowed as the first character", 2, 1),
        ("a: 'x\ufeff'\n", "byte-order mark", 1, 6),
        (
            "%YAML 1.2#x\n---\na: 1\n",
            "YAML syntax: while scanning a directive expected a digit or ' ', but found '#'",
            1,
            10,
        ),
        ("a: x\u2028y\n", "U+2028 (line separator) is a line break in YAML 1.1 and text in YAML 1.2", 1, 5),
        ("a: x\x85y\n", "U+0085 (next line)", 1, 5),
        ("a: {b:, c: d}\n", "inside [ ] or { }, write a space after `:`", 1, 6),
        ("a: {b:[c]}\n", "inside [ ] or { }, write a space after `:`", 1, 6),
        (
            "a: |#x\n  b\n",
            "YAML syntax: while scanning a block scalar expected chomping or indentation indicators",
            1,
            5,
        ),
        ("a: [b?]\n", "YAML syntax: while parsing a flow sequence expected ',' or ']', but got '?'", 1, 6),
    ],
)
def test_what_only_one_parser_refuses_is_refused_by_both(text: str, needle: str, line: int, column: int) -> None:
    message, found_line, found_column = error_of(text)
    assert needle in message
    assert (found_line, found_column) == (line, column)


def test_syntax_errors_are_worded_by_the_python_parser_on_every_machine() -> None:
    # libyaml says "did not find expected ',' or '}'"; the Python parser's words are the ones every machine has.
    message, line, column = error_of("a: {b: 1\nc: 2\n")
    assert message == "YAML syntax: while parsing a flow mapping expected ',' or '}', but got ':'"
    assert (line, column) == (2, 2)


def test_a_refusal_the_subset_checks_miss_still_refuses_with_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    # If the checks that make the Python parser as strict as libyaml missed a case, libyaml's refusal stands.
    require_libyaml()  # only libyaml refuses this input
    monkeypatch.setattr(loader, "HAS_LIBYAML", True)
    monkeypatch.setattr(yaml_subset, "check_events", lambda text, events: events)
    text = b"%FOO bar\n---\na: 1\n"
    assert load(text, pure_python=True).data == {"a": 1}
    message, line, column = error_of(text)
    assert message == "YAML syntax: while scanning a directive found unknown directive name"
    assert (line, column) == (1, 5)


def test_an_empty_value_is_placed_at_its_key() -> None:
    # The parsers place an empty value differently (after the `:`, or at the next token): its key stands in.
    document = load(b"a:\nb: {c: }\n")
    assert document.data == {"a": None, "b": {"c": None}}
    assert document.position("/a") == Position(1, 1)
    assert document.position("/b/c") == Position(2, 5)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("3_000_000", "3000000 or 3e6"),
        ("1_500_000", "1500000 or 1.5e6"),
        ("80_000", "80000 or 8e4"),
        ("-2_000", "-2000 or -2e3"),
        ("12_345", "12345"),
        ("4_0", "40"),
        ("2_000.5", "2000.5"),
        ("000_001", "000001"),  # a whole number that ends in no zero is never offered in e-notation
        ("3_000_000_", None),
        ("_3", None),
        ("3000000", None),
        ("three", None),
    ],
)
def test_a_number_written_with_underscores_is_named_as_meant(text: str, meant: str | None) -> None:
    assert number_without_underscores(text) == meant


def test_quoted_and_block_scalars_stay_text() -> None:
    document = load(b"a: '1'\nb: \"2.5\"\nc: |\n  3\n")
    assert document.data == {"a": "1", "b": "2.5", "c": "3\n"}


def test_a_control_character_after_windows_line_ends_is_placed_on_its_own_line() -> None:
    # `\r\n` is one line break, as `\n` and a lone `\r` are.
    assert error_of("a: 1\r\nb: 2\rc: 3\r\nd: \x07\r\n") == (
        "YAML syntax: control character U+0007 is not allowed in YAML text",
        4,
        4,
    )


def test_a_control_character_after_a_lone_carriage_return_is_placed_on_its_line() -> None:
    assert error_of("a: 1\nb: 2\rc: \x07\n") == (
        "YAML syntax: control character U+0007 is not allowed in YAML text",
        3,
        4,
    )


def test_a_whole_file_error_points_at_the_whole_document() -> None:
    with pytest.raises(InputError) as caught:
        load(b"a: [\n")
    (finding,) = caught.value.findings
    assert (finding.pointer, finding.line) == ("", 2)
