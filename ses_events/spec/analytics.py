"""The spec's query layer: Glue tables, the Athena workgroup, named queries."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    field_validator,
)

from ses_events import rules
from ses_events.spec.base import Bool, Int, _rule, _Spec


class AnalyticsSpec(_Spec):
    """The query layer over the archives: a Glue table per archive, an Athena workgroup and the
    named queries (:mod:`ses_events.constructs.analytics`)."""

    enabled: Bool = False
    """Create the Glue table, workgroup and named queries. Default: ``false``."""
    database: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,200}$")] | None = None
    """Glue database name. Default: the stack name in lowercase, ``-`` as ``_``."""
    workgroup: Annotated[str, Field(pattern=r"^[a-zA-Z0-9._-]{1,120}$")] | None = None
    """Athena workgroup name. Default: ``<stack name>-events``."""
    bytes_scanned_cutoff_mb: Annotated[
        Int, Field(ge=rules.MIN_ATHENA_BYTES_SCANNED_CUTOFF // 1_000_000)
    ] = 10_240
    """The most one query may scan, in MB (10 or more). Default: 10,240 (10 GB)."""
    results_expiration_days: Annotated[Int, Field(ge=1)] = 30
    """How long query results are kept. Default: 30 days."""
    funnel_tag: str = "campaign"
    """The message tag the funnel query groups by. Default: ``campaign``."""
    years: tuple[Int, Int] = (2025, 2035)
    """The years partition projection covers, first and last. Default: 2025 to 2035."""

    _tag = field_validator("funnel_tag")(_rule(rules.DIMENSION_NAME))

    @field_validator("years")
    @classmethod
    def _years(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not rules.MIN_PROJECTED_YEAR <= value[0] <= value[1] <= rules.MAX_PROJECTED_YEAR:
            raise ValueError(
                f"must be two years, first not after last, within {rules.MIN_PROJECTED_YEAR} to"
                f" {rules.MAX_PROJECTED_YEAR}"
            )
        return value
