"""Pure decision analysis on top of the exact ledger: break-even volume, sensitivity, uncertainty.

The exact Decimal ledger stays the source of truth for the point estimate. What needs many
evaluations (flip points, the tornado, Monte Carlo draws) runs on `fastmodel`, a float model of the
same cost semantics in closed forms, which tests hold to the exact ledger to the cent; the
sensitivity moves one input at a time through it (`partial`) and pins each flip by regula falsi (`flip`).
"""
