"""Leaf: text that says nothing, though it is not empty: invisible characters only, or a placeholder.

A justification (`constraints.data_residency`, a waiver's or an approval's `reason`) is the words a
reviewer reads before accepting a claim; `n/a`, `tbd`, `-` or a lone zero-width space fill the field
without saying anything, and must not buy an exemption.
"""

from __future__ import annotations

import unicodedata

# Letters and symbols that draw nothing although Unicode does not class them as spaces or format characters
# (Hangul fillers, the Mongolian vowel separator, the blank Braille pattern).
_BLANK = frozenset("\u115f\u1160\u180e\u2800\u3164\uffa0")

# What people type when a field must not be empty and they have nothing to say (compared casefolded, with
# the spaces inside squeezed to one).
PLACEHOLDERS = frozenset(
    {
        "n/a",
        "n.a",
        "na",
        "none",
        "nothing",
        "null",
        "nil",
        "tbd",
        "tba",
        "tbc",
        "todo",
        "to do",
        "placeholder",
        "not applicable",
        "unknown",
        "xxx",
        "x",
    }
)


def invisible(character: str) -> bool:
    """True for a character that draws nothing: a space, a control or format character, a lone combining
    mark, or one of the few blank letters."""
    return character in _BLANK or unicodedata.category(character)[0] in "ZCM"


def visible_text(text: str) -> str:
    """`text` without its invisible characters."""
    return "".join(character for character in text if not invisible(character))


def emptiness(text: str) -> str | None:
    """Why `text` says nothing (`only invisible characters`, `a placeholder`), or None when it says something."""
    if not visible_text(text):
        return "it holds only invisible characters"
    words = " ".join("".join(" " if invisible(c) else c for c in text).split()).casefold()
    # Punctuation around the words says nothing either: `None.`, `(tbd)`, and `-` or `...` alone.
    core = words.strip("".join({c for c in words if unicodedata.category(c)[0] in "PS"}) + " ")
    if not core or core in PLACEHOLDERS:
        return "it is a placeholder"
    return None
