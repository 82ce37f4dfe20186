"""The base of every report model: frozen, and a key it does not know is an error (a saved report read back
must be one this version wrote)."""

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
