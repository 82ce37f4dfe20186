"""What every model of a proposal or a policy is built from: the strict base, the number types and their
bounds, and the cross-field error that points at one key.

Numbers arrive from the loader as int or Decimal and are held as Decimal, so money is exact from the file to
the ledger. The upper bounds are not policy: they keep every later sum inside Decimal's range, whatever is
written.
"""

# No `from __future__ import annotations` here: with it every annotation is a string that pydantic compiles
# and evaluates as it builds each class, on every run.

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from .field_docs import EXAMPLES, attribute_doc, example_prefix, title
from .hidden_costs import FIELDS, HIDDEN_COSTS
from .placeholders import emptiness, visible_text
from .units import MAX_AMOUNT


def _int_as_decimal(value: Any) -> Any:
    # Strict Decimal refuses ints; an integer written in YAML is still an exact number.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


# The converter goes last so the bounds sit on the decimal schema itself (and so in the JSON Schema).
AS_DECIMAL = BeforeValidator(_int_as_decimal)
Usd = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT), AS_DECIMAL]
Hours = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT), AS_DECIMAL]
Tokens = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT), AS_DECIMAL]
Positive = Annotated[Decimal, Field(gt=0, le=MAX_AMOUNT), AS_DECIMAL]
Fraction = Annotated[Decimal, Field(gt=0, le=1), AS_DECIMAL]
DeclinePct = Annotated[Decimal, Field(ge=0, lt=100), AS_DECIMAL]
LenientDate = Annotated[date, Strict(False)]  # the loader keeps dates as text; pydantic parses YYYY-MM-DD


def _shown(text: str) -> str:
    """Written text as a message may quote it: invisible characters by their code points."""
    return "".join(c if visible_text(c) or c == " " else f"U+{ord(c):04X}" for c in text)


def _visible(text: str) -> str:
    # `\S` lets a zero-width space through: a field that draws nothing is as empty as an empty one.
    if not visible_text(text):
        raise PydanticCustomError(
            "empty_text",
            "{message}",
            {"message": f"must not be empty (it holds only invisible characters: {_shown(text)})"},
        )
    return text


def _justified(text: str) -> str:
    # The words a reviewer reads before accepting a claim: a placeholder fills the field and says nothing.
    why = emptiness(text)
    if why is not None:
        message = f"`{_shown(text.strip())}` is not a justification ({why}): say why, in words a reviewer can check"
        raise PydanticCustomError("placeholder", "{message}", {"message": message})
    return text


NonEmptyText = Annotated[str, Field(min_length=1, pattern=r"\S"), AfterValidator(_visible)]
Justification = Annotated[str, Field(min_length=1, pattern=r"\S"), AfterValidator(_justified)]


def _annotate(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Each property's description (the docstring under its field), title with its unit and an example, for
    editors; hidden-cost fields say which one."""
    section = getattr(model, "SECTION", None)
    prefix = example_prefix(model.__name__)
    for key, field_schema in schema.get("properties", {}).items():
        field = model.model_fields.get(key)
        doc = attribute_doc(model, key) if field is not None and field.description is None else None
        if doc is not None:
            field_schema["description"] = doc
        field_schema["title"] = title(key)
        example = None if prefix is None else EXAMPLES.get(f"{prefix}.{key}" if prefix else key)
        if example is not None:
            field_schema["examples"] = [example]
        number = FIELDS.get(f"{section}.{key}")
        if number is not None:
            described = field_schema.get("description", "")
            field_schema["description"] = f"Hidden cost {number} ({HIDDEN_COSTS[number]}). {described}".strip()
    supplied = getattr(model, "EVIDENCE_SUPPLIES", ())
    if supplied:  # required unless evidence supplies it: the gate says so at the line, an editor cannot know
        schema["required"] = [key for key in schema.get("required", []) if key not in supplied]


class StrictModel(BaseModel):
    # Attribute docstrings become the schema's descriptions, which editors show on hover. `_annotate` reads
    # them when a schema is generated; pydantic's `use_attribute_docstrings` would read every model's source
    # as the class is built, on every run (field_docs.attribute_doc says why that matters).
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        validate_default=True,
        frozen=True,
        json_schema_extra=_annotate,
    )
    SECTION: ClassVar[str | None] = None
    """The key this section is written under in a proposal, for the hidden-cost table."""
    EVIDENCE_SUPPLIES: ClassVar[tuple[str, ...]] = ()
    """Keys an evidence file can supply instead: not required in the JSON Schema (the gate still requires them)."""
    EVIDENCE_KIND: ClassVar[str] = ""
    """The kind of evidence (`evidence.<kind>`) that measures EVIDENCE_SUPPLIES."""


def cross_field(field: str, message: str) -> PydanticCustomError:
    """A rule between keys, reported at `field` (validation.py reads the name from the context), not its parent."""
    return PydanticCustomError("cross_field", message, {"field": field})
