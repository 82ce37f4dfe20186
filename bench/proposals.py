"""Generated proposals for the benchmark: N copies of the bundled examples, each with a unique name.

Each copy sits in a folder of its own as `finetune-proposal.yml` (how a monorepo holds them), under a root
that holds an empty `.git` folder and no `.tco-gate.yml`, so the policy search stops there and every run
uses the built-in policy. The copies cycle through the examples and differ in their request volume, so no
two proposals cost the same.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = tuple(
    ROOT / "examples" / name / "finetune-proposal.yml"
    for name in ("support-triage", "listing-categorizer", "discharge-coding-eu")
)
_NAME = re.compile(r"^name: *\S+", re.MULTILINE)
_REQUESTS = re.compile(r"(requests_per_month: *)(\d+)")


def proposal_text(template: str, index: int) -> str:
    """The template renamed `bench-<index>` and with `index` more requests a month."""
    renamed, named = _NAME.subn(f"name: bench-{index:05d}", template, count=1)
    if named != 1:
        raise ValueError("the template has no top-level `name:` line")
    return _REQUESTS.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + index}", renamed, count=1)


def write_proposals(folder: Path, count: int) -> list[Path]:
    """`count` proposals under `folder` (created, with an empty `.git`), in name order; their paths."""
    (folder / ".git").mkdir(parents=True, exist_ok=True)
    templates = [path.read_text(encoding="utf-8") for path in TEMPLATES]
    paths = []
    for index in range(count):
        path = folder / f"p{index:05d}" / "finetune-proposal.yml"
        path.parent.mkdir()
        path.write_text(proposal_text(templates[index % len(templates)], index), encoding="utf-8")
        paths.append(path)
    return paths
