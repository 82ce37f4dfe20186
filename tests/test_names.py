"""Which files hold a name, read through a Source, and the waivers that name no proposal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tco_gate.loader import load
from tco_gate.names import name_in, unmatched_waivers, waived
from tco_gate.sources import WorkTree


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("version: 1\nname: support-triage\n", "support-triage"),
        ('version: 1\nname: "support\\x2dtriage"\n', "support-triage"),  # spelt through a YAML escape
        ("version: 1\nname: listing-categorizer\n", None),
        ("version: 1\nname: [support-triage\n", None),  # unreadable: judging it says why, not this
    ],
)
def test_a_name_is_found_however_the_yaml_spells_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, found: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "finetune-proposal.yml"
    path.write_text(text, encoding="utf-8")
    assert name_in(WorkTree(), path, {"support-triage"}) == found


def test_a_waiver_that_names_no_proposal_is_a_warning_on_its_own_line() -> None:
    policy = load(
        b"version: 1\nwaivers:\n"
        b"  - {proposal: kept, reason: r, approved_by: '@a', expires: 2099-01-01}\n"
        b"  - {proposal: gone, reason: r, approved_by: '@a', expires: 2099-01-01}\n",
        kind="policy",
    )
    assert waived(policy) == {"kept", "gone"}
    (warning,) = unmatched_waivers(policy, ".tco-gate.yml", {"gone"})
    assert (warning.path, warning.line, warning.pointer) == (".tco-gate.yml", 4, "/waivers/1/proposal")
    assert "`gone` matches no proposal found" in warning.message
