"""Where the repository and the tests' data are, for test modules at any depth of tests/.

A test names a file from these constants, never by counting `Path(__file__).parent`s: moving a test
between folders then changes nothing it reads.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EXAMPLES = ROOT / "examples"
CASES = TESTS / "cases"
