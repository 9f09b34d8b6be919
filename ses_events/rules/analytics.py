"""Glue and Athena: the archive's query layer."""

from __future__ import annotations

from ses_events.rules.base import PatternRule

# Athena reads database, table and column names written in lowercase letters, digits and '_'
# (at most 255 characters): "Name databases, tables, and columns", Athena User Guide,
# https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
GLUE_NAME = PatternRule(r"[a-z0-9_]{1,255}", "1 to 255 lowercase ASCII letters, digits or '_'")


# Athena workgroup names: 1 to 128 letters, digits, '.', '_' or '-' (Athena API reference,
# CreateWorkGroup, Name pattern [a-zA-Z0-9._-]{1,128}).
# https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html
ATHENA_WORKGROUP_NAME = PatternRule(
    r"[a-zA-Z0-9._-]{1,128}", "1 to 128 ASCII letters, digits, '.', '_' or '-'"
)


MIN_ATHENA_BYTES_SCANNED_CUTOFF = 10_000_000
"""A workgroup's BytesScannedCutoffPerQuery is at least 10,000,000 bytes (Athena API reference,
WorkGroupConfiguration, https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html)."""


MAX_NAMED_QUERY_DESCRIPTION = 1_024


MAX_NAMED_QUERY_NAME = 128
"""A named query's description: 1 to 1,024 characters; its name 1 to 128 (Athena API reference,
CreateNamedQuery, https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html)."""


MIN_PROJECTED_YEAR = 2010


MAX_PROJECTED_YEAR = 2100
"""Years a table's partition projection may span: SES event publishing began in 2016; an
unfiltered query lists every projected hour, so the range is bounded."""
