"""The sized-serving section of a proposal (`finetune.serving`): what one replica sustains, how the fleet is laid
out (replicas of several GPUs, regions, autoscaling) and how it is bought (on demand, reserved, or owned).
"""

# No `from __future__ import annotations` here (see model_base.py).

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from .model_base import AS_DECIMAL, Positive, StrictModel, Tokens, Usd, cross_field

# What one replica sustains, in the contract's three forms; each key's form, for the messages.
_DECODE = ("output_tokens_per_request", "output_tokens_per_second_per_gpu")
_PREFILL = ("input_tokens_per_request", "input_tokens_per_second_per_gpu")
_MEASURED = "requests_per_second_per_gpu"
# Owned hardware's keys: each is required with `purchase_usd_per_gpu` except the licence, and none goes with a
# reserved price (which already includes the hardware, its power and its upkeep).
_OWNED_REQUIRED = ("depreciation_months", "watts_per_gpu", "pue", "usd_per_kwh")
_OWNED = (*_OWNED_REQUIRED, "monthly_licence_usd_per_gpu")


class Committed(StrictModel):
    """A base fleet paid every month whether busy or not: reserved cloud GPUs, or hardware you own."""

    gpus: Annotated[int, Field(ge=1, le=1_000_000)]
    """GPUs in the committed fleet, across every region."""
    monthly_usd_per_gpu: Usd | None = None
    """Reserved: the committed price of one GPU, USD a month. Instead of `purchase_usd_per_gpu`."""
    purchase_usd_per_gpu: Usd | None = None
    """Owned: what one GPU cost to buy, its share of the server included; depreciated straight-line."""
    depreciation_months: Annotated[int, Field(ge=1, le=1200)] | None = None
    """Owned: the months the purchase is written off over, straight-line; nothing after them."""
    watts_per_gpu: Annotated[Decimal, Field(gt=0, le=100_000), AS_DECIMAL] | None = None
    """Owned: the power one GPU draws at the wall, its share of the server included, in watts."""
    pue: Annotated[Decimal, Field(ge=1, le=10), AS_DECIMAL] | None = None
    """Owned: the data centre's power usage effectiveness (facility power over IT power), 1 or more."""
    usd_per_kwh: Annotated[Decimal, Field(ge=0, le=1000), AS_DECIMAL] | None = None
    """Owned: the price of electricity, USD per kWh."""
    monthly_licence_usd_per_gpu: Usd = Decimal(0)
    """Owned: software licences and support per GPU (e.g. an inference server's enterprise licence), USD a month."""

    @property
    def owned(self) -> bool:
        """True for hardware bought and run (depreciation, power, licences); False for a reserved price."""
        return self.purchase_usd_per_gpu is not None

    @model_validator(mode="after")
    def _reserved_or_owned(self) -> Self:
        reserved, owned = self.monthly_usd_per_gpu is not None, self.purchase_usd_per_gpu is not None
        if reserved and owned:
            raise cross_field(
                "purchase_usd_per_gpu",
                "`purchase_usd_per_gpu` cannot go with `monthly_usd_per_gpu`: a committed fleet is either reserved "
                "(a monthly price per GPU) or owned (bought, depreciated and powered); give one",
            )
        if not reserved and not owned:
            raise cross_field(
                "monthly_usd_per_gpu",
                "say how the committed fleet is bought: `monthly_usd_per_gpu` (reserved), or `purchase_usd_per_gpu` "
                f"with {', '.join(f'`{key}`' for key in _OWNED_REQUIRED)} (owned)",
            )
        written = [key for key in _OWNED if key in self.model_fields_set]
        if reserved and written:
            raise cross_field(
                written[0],
                f"`{written[0]}` is for owned hardware (`purchase_usd_per_gpu`): a reserved price "
                "(`monthly_usd_per_gpu`) already pays for the hardware, its power and its upkeep",
            )
        missing = [key for key in _OWNED_REQUIRED if getattr(self, key) is None]
        if owned and missing:
            raise cross_field(
                missing[0],
                f"owned hardware needs `{missing[0]}`: its cost a month is the purchase over "
                "`depreciation_months`, plus power (`watts_per_gpu` × 730 h × `pue` × `usd_per_kwh`), plus licences",
            )
        return self


class Serving(StrictModel):
    gpu_hourly_usd: Usd | None = None
    """USD an hour for one GPU on demand (with `committed`: for GPUs beyond it; absent there means no burst)."""
    output_tokens_per_request: Tokens | None = None
    """Output tokens the fine-tuned model generates a request (decode)."""
    output_tokens_per_second_per_gpu: Positive | None = None
    """Sustained output tokens a second one GPU serves (decode throughput); per replica with `gpus_per_replica`."""
    input_tokens_per_request: Tokens | None = None
    """The fine-tuned model's own prompt a request (prefill); with `input_tokens_per_second_per_gpu`."""
    input_tokens_per_second_per_gpu: Positive | None = None
    """Prompt tokens a second one GPU processes (prefill throughput); per replica with `gpus_per_replica`."""
    requests_per_second_per_gpu: Positive | None = None
    """Requests a second one GPU sustains in a load test, instead of the token keys; per replica with replicas."""
    target_utilization_pct: Annotated[Decimal, Field(gt=0, le=100), AS_DECIMAL] = Decimal(60)
    """How busy a GPU may run at peak, in percent (100 when the throughput was measured at the latency target)."""
    peak_to_average: Annotated[Decimal, Field(ge=1, le=1000), AS_DECIMAL] = Decimal(1)
    """Peak traffic over the monthly average."""
    failover_gpus: Annotated[int, Field(ge=0, le=10_000)] = 1
    """Spare GPUs kept for failover, on top of what the peak needs (replicas with `gpus_per_replica`, per region)."""
    min_gpus: Annotated[int, Field(ge=1, le=10_000)] = 1
    """Fewest GPUs serving, however low the traffic (replicas with `gpus_per_replica`, per region)."""
    gpus_per_replica: Annotated[int, Field(ge=1, le=1024)] = 1
    """GPUs one replica of the model spans (tensor parallel); the throughput keys are then per replica."""
    regions: Annotated[int, Field(ge=1, le=100)] = 1
    """Independent fleets, each serving an equal share of the volume with its own minimum and failover."""
    autoscaling: bool = False
    """The billed fleet follows the average load instead of the peak (the peak fleet still sets capacity)."""
    committed: Committed | None = None
    """A base fleet paid every month, used or not: reserved or owned GPUs; on-demand GPUs burst beyond it."""

    @property
    def form(self) -> Literal["decode", "prefill", "measured"]:
        """Which of the three ways the GPU's capacity is given."""
        if self.requests_per_second_per_gpu is not None:
            return "measured"
        return "prefill" if self.input_tokens_per_request is not None else "decode"

    @property
    def burst(self) -> bool:
        """Whether GPUs beyond the committed fleet (or the whole fleet, without one) are rented on demand."""
        return self.gpu_hourly_usd is not None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        if self.gpu_hourly_usd is None and self.committed is None:
            raise cross_field(
                "gpu_hourly_usd",
                "`gpu_hourly_usd` is required: the on-demand price of one GPU an hour (it may be left out only "
                "with `committed`, where it means no GPUs beyond the committed fleet)",
            )
        written = [key for key in (*_DECODE, *_PREFILL) if getattr(self, key) is not None]
        if self.requests_per_second_per_gpu is not None:
            if written:
                raise cross_field(
                    written[0],
                    f"`{written[0]}` cannot go with `{_MEASURED}`: a measured request rate already "
                    "includes every token; give either the request rate or the token keys",
                )
            return self
        for pair in (_DECODE, _PREFILL):
            present = [key for key in pair if key in written]
            if len(present) == 1:
                other = next(key for key in pair if key not in present)
                raise cross_field(present[0], f"`{present[0]}` needs `{other}`: give both or neither")
        if not written:
            raise cross_field(
                _DECODE[0],
                f"say what one GPU sustains: `{_DECODE[0]}` and `{_DECODE[1]}` (plus `{_PREFILL[0]}` and "
                f"`{_PREFILL[1]}` for the prompt), or a measured `{_MEASURED}`",
            )
        if _PREFILL[0] in written and _DECODE[0] not in written:
            raise cross_field(
                _PREFILL[0],
                f"`{_PREFILL[0]}` adds the prompt to decoding: give `{_DECODE[0]}` and `{_DECODE[1]}` too",
            )
        return self
