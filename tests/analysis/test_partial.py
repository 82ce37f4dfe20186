"""Which inputs a part of the float model reads, noted as it reads them."""

from __future__ import annotations

from tco_gate.analysis.partial import _Reading


def test_only_what_a_formula_asks_for_is_noted_as_read() -> None:
    reading = _Reading({"/a": 1.0, "/b": 2.0, "/c": 3.0})
    # Listing the keys or counting them reads no value.
    assert (list(reading), len(reading), reading.read) == (["/a", "/b", "/c"], 3, set())
    assert reading.get("/b") == 2.0 and "/z" not in reading and reading.get("/y", 0.0) == 0.0
    assert reading.read == {"/b", "/y", "/z"}  # asked for, present or not: a missing input decides a branch too
