"""A corpus of tricky YAML for the parser parity test: every input the two PyYAML parsers might read apart.

Written for tco-gate, in the spirit of the official YAML test suite: small documents, then every small
change to them (a tab, a space or an indicator at every position; a deleted character; other line
breaks; directives; document markers; block scalar headers; flow collections; quoting). Each family is
a function returning distinct inputs; `FAMILIES` names them for the test's ids.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable

# Small documents that between them use every construct a proposal might: block and flow collections,
# nested sequences, block scalars (with and without indicators), quoted keys and values, comments,
# explicit keys, document markers and a directive, empty values and multi-line plain text.
BASES = (
    "a: 1\nb:\n  c: x y\n  d: [1, 2]\ne: {f: g}\n",
    "- a\n- b: c\n  d: e\n-  - f\n",
    "a: |\n  x\n   y\nb: >-\n  z\n\n  w\nc: 'q r'\nd: \"s\\tt\"\n",
    "# c\na: 1 # d\nb:\n- 2\n",
    "--- \na: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "? a\n: 1\n? [b]\n: 2\n",
    "a: [b, {c: d}, 'e']\n",
    "a:\n  b\n  c\n",
    "a: |2\n   x\n  y\n",
    "'a': 1\n\"b\": 2\n",
    "a:\nb: \nc: ~\n- \n",
    "a: \"x\n  y\"\nb: 'p\n\n  q'\n",
    "a: {\n  b: c,\n  d: [e,\n    f]\n  }\n",
)

_SINGLE_CHARACTERS = (
    *"\t #:-?'\"|>[]{},&*!%@`\r\n",
    "\ufeff",
    "\x85",
    "\u2028",
    "  ",
    "\t\t",
    "\r\n",
    " \t",
    "\t ",
    "é",
    "\U0001f600",
)


def single_edits() -> list[str]:
    """Every base with one character (or pair) inserted at every position, or one character deleted."""
    inputs = []
    for base in BASES:
        for offset in range(len(base) + 1):
            inputs += [base[:offset] + inserted + base[offset:] for inserted in _SINGLE_CHARACTERS]
            inputs.append(base[:offset] + base[offset + 1 :])
    return inputs


def tabs_everywhere() -> list[str]:
    """Each space replaced by a tab, a tab at the end of each line, tabs as a whole indentation."""
    inputs = []
    for base in BASES:
        for offset, character in enumerate(base):
            if character == " ":
                inputs.append(base[:offset] + "\t" + base[offset + 1 :])
        lines = base.split("\n")
        for index in range(len(lines)):
            for suffix in ("\t", " \t", "\t# c", " #\tc"):
                inputs.append("\n".join([*lines[:index], lines[index] + suffix, *lines[index + 1 :]]))
        inputs.append(base.replace("  ", "\t"))
        inputs.append(base.replace("\n  ", "\n\t"))
        inputs.append(base.replace("\n  ", "\n  \t"))
        inputs.append(base.replace(" ", "\t"))
    return inputs


def line_breaks_and_spaces() -> list[str]:
    """CRLF, CR alone, no final break, trailing spaces, blank lines with spaces or tabs, byte-order marks."""
    inputs = []
    for base in BASES:
        lines = base.split("\n")
        inputs += [
            base.replace("\n", "\r\n"),
            base.replace("\n", "\r"),
            base.rstrip("\n"),
            "\n".join(line + "  " for line in lines),
            "\n".join(line + " " for line in lines).replace("\n", "\r\n"),
            base + "\n\n",
            base.replace("\n", "\n\n", 1),
            base.replace("\n", "\n  \n", 1),
            base.replace("\n", "\n\t\n", 1),
            base.replace("\n", "\n \t \n", 1),
            base.replace("\n", "\n# between\n", 1),
            base.replace("\n", "\n  # indented comment\n", 1),
            "\ufeff" + base,
            "\ufeff\ufeff" + base,
            base.replace("\n", "\n\ufeff", 1),
            "\n" * 3 + base,
            "  " + base,
        ]
    return inputs


def directives() -> list[str]:
    """Directive lines of every shape, before a document that starts in every way."""
    names = ("YAML", "TAG", "FOO", "YAM", "YAMLL", "", "yaml", "-YAML")
    values = ("1.2", "1.1", "1.3", "2.0", "1.12", "1.2#x", "1.2 # c", "1.2 x", "", "! tag:x,2026:", "1", "1.")
    separators = (" ", "  ", "\t", " \t")
    starts = ("---\na: 1\n", "--- a\n", "a: 1\n", "---\n", "--- # c\na: 1\n", "# c\n---\na: 1\n")
    inputs = []
    for name, value, separator in itertools.product(names, values, separators):
        for start in starts[:2] if separator != " " else starts:
            inputs.append(f"%{name}{separator}{value}\n{start}")
    inputs += [
        "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
        "%YAML 1.2\n%TAG ! tag:x,2026:\n---\na: 1\n",
        "# c\n%YAML 1.2\n---\na: 1\n",
        "\n%YAML 1.2\n---\na: 1\n",
        " %YAML 1.2\n---\na: 1\n",
        "%YAML 1.2\n",
        "%YAML 1.2\n...\n",
        "%YAML 1.2\r\n---\r\na: 1\r\n",
        "a: 1\n...\n%YAML 1.2\n---\nb: 2\n",
        "a: 1\n%YAML 1.2\n",
        "a: |\n%x\n",
        "--- |\n%x\n",
        "--- |\n  %x\n",
    ]
    return inputs


def document_markers() -> list[str]:
    """`---` and `...` with and without content, comments, tabs and whitespace around them."""
    starts = (
        "---",
        "--- ",
        "---\t",
        "--- # c",
        "---#c",
        "---a",
        "--- a",
        "---\ta",
        "--- |",
        "--- >-",
        "--- [a]",
        "--- {a: 1}",
    )
    bodies = ("", "a: 1\n", "  a: 1\n", "x\n", "- a\n", "|\n  x\n", "  x\n")
    ends = ("", "...\n", "... # c\n", "...\t\n", "...x\n", "---\n", "...\n---\n", "....\n")
    inputs = []
    for start, body, end in itertools.product(starts, bodies, ends):
        inputs.append(f"{start}\n{body}{end}")
    inputs += ["...\n", "---", "--- ---", "----\n", "--- ...\n", "a: ---\n", "a: ...\n", "- ---\n", "-- -\n"]
    return inputs


def block_scalars() -> list[str]:
    """Headers with every indicator order and a comment, over content indented in every way."""
    headers = (
        "|",
        ">",
        "|-",
        "|+",
        ">+",
        "|2",
        ">1",
        "|-2",
        "|2-",
        "|+1",
        "|0",
        "|10",
        "|#c",
        "| #c",
        "|\t#c",
        "|\t",
        "| ",
    )
    contents = (
        "  x\n  y\n",
        "  x\n   y\n",
        "   x\n  y\n",
        "\n  x\n",
        "  \n   \n  x\n",
        "  x\n\n\n",
        "  x\ty\n",
        "  \tx\n",
        "\t x\n",
        " \tx\n",
        "  x\n \t\n",
        "  x  \n",
        "",
        "  # not a comment\n",
        "x\n",
    )
    places = ("a: {}", "- {}", "--- {}", "a:\n  b: {}", "? {}")
    inputs = []
    for header, content, place in itertools.product(headers, contents, places):
        indent = "  " if place.startswith("a:\n") else ""
        body = "".join(indent + line + "\n" for line in content.split("\n")[:-1])
        inputs.append(place.format(header) + "\n" + body + "z: 1\n" * place.startswith("a:"))
    return inputs


def flow_collections() -> list[str]:
    """Flow sequences and mappings: spacing, adjacent `:`, `?`, trailing commas, nesting, line breaks."""
    items = (
        "[a, b]",
        "[a,b]",
        "[a ,b]",
        "[a:b]",
        "[a: b]",
        "[a:, b]",
        "[a:]",
        "[a: ]",
        "{a:b}",
        "{a: b}",
        '{"a":b}',
        "{'a':b}",
        '{"a":}',
        "{a}",
        "{a,}",
        "[a,]",
        "[,]",
        "{,}",
        "{? a: b}",
        "[? a]",
        "[a?b]",
        "[?a]",
        "[a ?b]",
        "{a?: b}",
        "{a: b?}",
        "[a?]",
        "{a: [b: c]}",
        "[a\n, b]",
        "[a,\nb]",
        "{a:\nb}",
        "{a\n: b}",
        "[a #c\n]",
        "[a,#c\n b]",
        '["a"#c\n]',
        "[a\tb]",
        "[ ]",
        "{ }",
        "[[]]",
        "[{}]",
        "[a, [b, {c: d}]]",
        "{a: b, a: c}",
        "[-a]",
        "[- a]",
        "[a-]",
        "[http://x]",
        "{http://x: y}",
        "[a::b]",
        "{a::b}",
        "[:a]",
        "{:a}",
        "{? a :, b}",
        "{a :}",
        "[a\n  :, b]",
        "{a :?}",
        '{"a" :,}',
    )
    inputs = []
    for item in items:
        inputs += [f"k: {item}\n", f"{item}\n", f"- {item}\n", f"k:\n  {item}\n", f"k: {item} # c\n", f"k: {item}x\n"]
    return inputs


def scalars_and_keys() -> list[str]:
    """Quoted, plain and empty scalars as keys and values, with comments and escapes."""
    values = (
        "'a''b'",
        '"a\\tb"',
        '"a\\xzz"',
        '"\\u00e9"',
        '"a\\\n  b"',
        "'a\n\tb'",
        '"a\n\tb"',
        '"a\n b"',
        "a\n b",
        "a\n\tb",
        "a #b",
        "a#b",
        '"a"#b',
        "'a' #b",
        "a  b",
        "a\tb",
        "",
        " ",
        "~",
        "null",
        "a: b",
        "-a",
        "- a",
        "?a",
        "? a",
        "!a",
        "&a b",
        "*a",
        "@a",
        "`a",
        "%a",
        "a%",
        "'a",
        '"a',
        "a'",
        "a: 'b\n",
        "0x1F",
        "1_000",
        "3_000_000",
        ".5",
        "+.inf",
        "1e3",
        "yes",
        "1:30",
        "2026-11-28",
    )
    keys = ("a", "'a'", '"a"', "a b", "'a:b'", "? a\n", "a\t", "-a", "a#b")
    inputs = []
    for key, value in itertools.product(keys, values):
        inputs.append(f"{key}: {value}\nz: 1\n")
    return inputs


def seeded_mixtures() -> list[str]:
    """Two to four edits at once, drawn with a fixed seed so the corpus is the same on every run."""
    generator = random.Random(20261129)
    inputs = []
    for _ in range(1500):
        text = generator.choice(BASES)
        for _ in range(generator.randint(2, 4)):
            offset = generator.randint(0, len(text))
            text = text[:offset] + generator.choice(_SINGLE_CHARACTERS) + text[offset:]
        inputs.append(text)
    return inputs


FAMILIES: dict[str, Callable[[], list[str]]] = {
    "single-edits": single_edits,
    "tabs-everywhere": tabs_everywhere,
    "line-breaks-and-spaces": line_breaks_and_spaces,
    "directives": directives,
    "document-markers": document_markers,
    "block-scalars": block_scalars,
    "flow-collections": flow_collections,
    "scalars-and-keys": scalars_and_keys,
    "seeded-mixtures": seeded_mixtures,
}


def distinct(inputs: Iterable[str]) -> list[str]:
    """The inputs once each, in first-seen order."""
    return list(dict.fromkeys(inputs))
