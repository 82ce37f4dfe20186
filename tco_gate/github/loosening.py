"""What a pull request could do to its own gate through the workflow, which comes from its head. Pure.

The policy is read from the base commit, but the Action's inputs come from the workflow file of the pull
request itself: a lower margin, `on-fail: warn`, another policy file, or an edited workflow. None of these
can be refused (the workflow is the pull request's to edit), so each is said at the top of the report.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..models import Policy

_USES = re.compile(r"^\s*-?\s*uses:\s*['\"]?([^\s'\"#]+)", re.M)


def looser_inputs(
    *, min_savings_pct: Decimal | None, horizon_months: int | None, on_fail: str, policy: str | None, base: Policy
) -> list[str]:
    """Each way the Action's inputs depart from the base commit's root policy, in words."""
    found = []
    if min_savings_pct is not None and min_savings_pct < base.min_savings_pct:
        found.append(
            f"The workflow lowers the required saving to {min_savings_pct}% (`min-savings-pct`); "
            f"the base policy requires {base.min_savings_pct}%."
        )
    if horizon_months is not None and horizon_months != base.horizon_months:
        found.append(
            f"The workflow sets the horizon to {horizon_months} months (`horizon-months`); "
            f"the base policy says {base.horizon_months}."
        )
    if on_fail == "warn" and base.on_fail == "fail":
        found.append(
            "The workflow turns failures into warnings (`on-fail: warn`); the base policy says `on_fail: fail`."
        )
    if policy is not None:
        found.append(f"The workflow names its own policy file (`policy: {policy}`) instead of `.tco-gate.yml`.")
    return found


def uses_this_action(workflow: str, action_repository: str) -> bool:
    """Whether a workflow file's text runs tco-gate: this action's repository, `*/tco-gate`, or `./` itself."""
    wanted = action_repository.lower()
    for target in _USES.findall(workflow):
        name = target.lower().split("@", 1)[0]
        if (wanted and name == wanted) or name.endswith("/tco-gate") or name in ("./", "."):
            return True
    return False
