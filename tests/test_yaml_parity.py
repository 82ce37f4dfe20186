"""Same bytes, same answer, with and without libyaml: the parity corpus run under both PyYAML parsers.

Each input of tests/yaml_corpus.py is loaded with libyaml and with PyYAML's Python parser. The two must
accept it with the same data and the same positions, or refuse it with the same message at the same line
and column. Without the loader's subset checks (tco_gate/yaml_subset.py) hundreds of these inputs differ.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tco_gate import loader
from tco_gate.errors import InputError

from .tools import require_libyaml
from .yaml_corpus import FAMILIES, distinct

Outcome = tuple[Any, ...]


@pytest.fixture(autouse=True)
def _libyaml_is_there() -> None:
    require_libyaml()  # without it there is no second parser to compare


def outcome(text: str, *, pure_python: bool) -> Outcome:
    """What the loader makes of `text`: the data and its positions, or the first finding."""
    try:
        document = loader.load(text.encode("utf-8"), pure_python=pure_python)
    except InputError as refused:
        finding = refused.findings[0]
        return ("refused", finding.message, finding.line, finding.column)
    return ("accepted", repr(document.data), sorted(document.values.items()), sorted(document.keys.items()))


@pytest.mark.parametrize("family", FAMILIES)
def test_both_parsers_give_the_same_answer(family: str) -> None:
    inputs = distinct(FAMILIES[family]())
    divergent = []
    verdicts = set()
    for text in inputs:
        with_libyaml, without = outcome(text, pure_python=False), outcome(text, pure_python=True)
        verdicts.add(without[0])
        if with_libyaml != without:
            divergent.append(f"{text!r}\n    libyaml: {with_libyaml}\n    python:  {without}")
    assert not divergent, f"{len(divergent)} of {len(inputs)} inputs differ:\n" + "\n".join(divergent[:10])
    # A family that only ever refuses (or only accepts) would agree for the wrong reason.
    assert verdicts == {"accepted", "refused"}


_PIECES = [*"ab1 :-?#'\"|>[]{},&*!%\t\n", "\r\n", "  ", "---", "...", "- ", ": ", "\n  ", "\\", "é", "0x1", ".5", "~"]


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_random_yaml_fragments_get_the_same_answer_from_both_parsers(text: str) -> None:
    assert outcome(text, pure_python=False) == outcome(text, pure_python=True)
