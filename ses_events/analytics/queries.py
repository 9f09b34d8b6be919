"""The named queries: one SQL text each, in Athena's dialect (Trino), other dialects derived.

Each query reads a relation named ``events`` (the archive's records with their partition
columns: ``configuration_set``, ``year``, ``month``, ``day``, ``hour``); the engine that runs it
says what ``events`` is (the Glue table in Athena, the archive's files in DuckDB) and narrows it
to the chosen sets and time range. Parameters are written ``:name`` and replaced by literals
through sqlglot's syntax tree, never by string formatting. sqlglot turns the Trino text into
DuckDB's.

Example::

    from ses_events.analytics.queries import QUERIES

    print(QUERIES["funnel"].render("duckdb", tag="campaign"))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

import sqlglot
from sqlglot import exp

from ses_events import rules
from ses_events.errors import Problem, SesEventsValidationError

__all__ = ["QUERIES", "SOURCE_DIALECT", "NamedQuery", "over_table", "with_events"]

SOURCE_DIALECT = "trino"
"""The dialect the queries are written in: Athena engine version 3 is Trino."""


@dataclass(frozen=True)
class NamedQuery:
    """One query: its name, what it answers (the first comment lines) and its SQL text."""

    name: str
    description: str
    sql: str
    parameters: dict[str, str] = field(default_factory=dict)
    """Parameters and their defaults."""

    def tree(self, **values: str) -> exp.Expression:
        """The query's syntax tree with parameters replaced by string literals."""
        chosen = {**self.parameters, **values}
        unknown = sorted(set(values) - set(self.parameters))
        problems = [
            Problem(
                f"query {self.name}",
                name,
                f"is not a parameter of this query: {sorted(self.parameters)}",
            )
            for name in unknown
        ]
        for name, value in chosen.items():
            violation = rules.DIMENSION_NAME.violation(value)  # a tag name, ses: ones included
            if violation is not None:
                problems.append(Problem(f"query {self.name}: {name}", value, violation))
        if problems:
            raise SesEventsValidationError(f"query {self.name}", problems)

        def fill(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Placeholder) and node.name in chosen:
                return exp.Literal.string(chosen[node.name])
            return node

        return sqlglot.parse_one(self.sql, read=SOURCE_DIALECT).transform(fill)

    def render(self, dialect: str = SOURCE_DIALECT, **values: str) -> str:
        """The query in ``dialect`` (``trino`` for Athena, ``duckdb``), parameters filled in."""
        return self.tree(**values).sql(dialect=dialect, pretty=True)


def with_events(query: exp.Expression, events: exp.Expression) -> exp.Expression:
    """``query`` reading ``events`` (a SELECT) as its ``events`` relation, as a leading CTE."""
    query = query.copy()
    cte = exp.CTE(this=events, alias=exp.TableAlias(this=exp.to_identifier("events")))
    existing = query.args.get("with_")
    if existing is None:
        query.set("with_", exp.With(expressions=[cte]))
    else:  # before the query's own CTEs, which read it
        existing.set("expressions", [cte, *existing.expressions])
    return query


def over_table(
    name: str,
    database: str,
    table: str,
    *,
    condition: exp.Expression | None = None,
    parameters: Mapping[str, str] | None = None,
) -> str:
    """The Trino text of query ``name`` reading the Glue table ``database.table`` (narrowed by
    ``condition``), as Athena runs it and as the stack's named queries hold it."""
    events = exp.select("*").from_(exp.table_(table, db=database, quoted=True))
    if condition is not None:
        events = events.where(condition)
    return with_events(QUERIES[name].tree(**(parameters or {})), events).sql(
        dialect=SOURCE_DIALECT, pretty=True
    )


def _load() -> dict[str, NamedQuery]:
    found: dict[str, NamedQuery] = {}
    folder = resources.files("ses_events.analytics") / "queries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        text = entry.read_text(encoding="utf-8")
        comments = [
            line.removeprefix("--").strip() for line in text.splitlines() if line.startswith("--")
        ]
        name = entry.name.removesuffix(".sql")
        tree = sqlglot.parse_one(text, read=SOURCE_DIALECT)
        parameters = {p.name: _DEFAULTS[p.name] for p in tree.find_all(exp.Placeholder)}
        found[name] = NamedQuery(name, " ".join(comments), text, parameters)
    return found


_DEFAULTS = {"tag": "campaign", "tenant": rules.TENANT_TAG}
"""Defaults of the queries' parameters: ``tag`` is the message tag the funnel groups by,
``tenant`` the tag that names a message's tenant (:data:`ses_events.rules.TENANT_TAG`)."""

QUERIES: dict[str, NamedQuery] = _load()
"""Every named query, by name (the file name in ``ses_events/analytics/queries``)."""
