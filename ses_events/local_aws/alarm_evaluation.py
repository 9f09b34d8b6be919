"""Alarms, evaluated in the local AWS, as far as that can be done honestly.

After mail has been sent, :func:`publish_reputation` puts each set's reputation metrics
(``Reputation.BounceRate`` and ``Reputation.ComplaintRate``, fractions, per set with the
``ses:configuration-set`` dimension where the set has reputation metrics on, and for the
account) computed from what was sent here: SES computes them over a larger, representative
volume, so this is a stand-in for the figures, not for SES's method. :func:`evaluate_alarms`
then evaluates every **standard** alarm on a single metric — its namespace, metric, dimensions,
statistic, period, threshold, comparison, datapoints to alarm of evaluation periods and
missing-data treatment — over the local metric data, and sets and returns its state. Alarms on
math expressions or Metrics Insights queries, and composite alarms, are not evaluated (reported
as such): that would need CloudWatch's own expression and query engines.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends

from ses_events import rules

__all__ = ["AlarmState", "count_sent", "evaluate_alarms", "publish_reputation"]

_LOCK = threading.RLock()
# (account, region) -> configuration set -> Counter of send / bounce / complaint
_TALLIES: dict[tuple[str, str], dict[str, Counter[str]]] = {}


def count_sent(account: str, region: str, configuration_set: str, event_types: list[str]) -> None:
    """Count what a message produced, for the reputation figures."""
    with _LOCK:
        tally = _TALLIES.setdefault((account, region), {}).setdefault(configuration_set, Counter())
        tally.update(t for t in event_types if t in ("Send", "Bounce", "Complaint"))


def publish_reputation(account: str, region: str, reputation_sets: set[str]) -> dict[str, float]:
    """Put the bounce and complaint rates of what was sent; returns the bounce rates by set
    (``""`` for the account)."""
    backend = cloudwatch_backends[account][region]
    now = datetime.now(UTC)
    with _LOCK:
        tallies = {name: Counter(t) for name, t in _TALLIES.get((account, region), {}).items()}
    total: Counter[str] = Counter()
    rates: dict[str, float] = {}
    for name, tally in tallies.items():
        total.update(tally)
        if name in reputation_sets and tally["Send"]:
            rates[name] = tally["Bounce"] / tally["Send"]
            _put(backend, now, name, tally)
    if total["Send"]:
        rates[""] = total["Bounce"] / total["Send"]
        _put(backend, now, None, total)
    return rates


def _put(backend: Any, now: datetime, name: str | None, tally: Counter[str]) -> None:
    dimensions = (
        [] if name is None else [{"Name": rules.CONFIGURATION_SET_DIMENSION, "Value": name}]
    )
    backend.put_metric_data(
        rules.SES_METRIC_NAMESPACE,
        [
            {
                "MetricName": metric,
                "Dimensions": dimensions,
                "Value": tally[kind] / tally["Send"],
                "Timestamp": now,
            }
            for metric, kind in (
                (rules.REPUTATION_BOUNCE_RATE_METRIC, "Bounce"),
                (rules.REPUTATION_COMPLAINT_RATE_METRIC, "Complaint"),
            )
        ],
    )


@dataclass(frozen=True)
class AlarmState:
    """An alarm's evaluated state (``ALARM``, ``OK``, ``INSUFFICIENT_DATA``) or ``None`` when it
    is of a kind not evaluated here, and why."""

    name: str
    state: str | None
    reason: str


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "GreaterThanThreshold": lambda v, t: v > t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def evaluate_alarms(account: str, region: str, now: datetime | None = None) -> list[AlarmState]:
    """Evaluate every standard single-metric alarm over the latest evaluation periods."""
    backend = cloudwatch_backends[account][region]
    now = now or datetime.now(UTC)
    states: list[AlarmState] = []
    for alarm in list(backend.alarms.values()):
        if (
            not alarm.metric_name
            or alarm.metric_data_queries
            or alarm.comparison_operator not in _COMPARE
        ):
            kind = (
                "a math expression or Metrics Insights query"
                if alarm.metric_data_queries
                else "not a single metric"
            )
            states.append(AlarmState(alarm.name, None, f"not evaluated here ({kind})"))
            continue
        period = int(alarm.period)
        periods = int(alarm.evaluation_periods)
        needed = int(alarm.datapoints_to_alarm or periods)
        dimensions = [{"Name": d.name, "Value": d.value} for d in alarm.dimensions]
        values: list[float | None] = []
        for index in range(periods):
            end = now - timedelta(seconds=period * index)
            start = end - timedelta(seconds=period)
            found = backend.get_metric_statistics(
                alarm.namespace, alarm.metric_name, start, end + timedelta(seconds=1), period,
                [alarm.statistic], dimensions,
            )  # fmt: skip
            value = None
            for statistic in found:
                got = statistic.get_statistics_for_type(alarm.statistic)
                if got is not None:
                    value = (
                        float(got)
                        if value is None
                        else _combine(alarm.statistic, value, float(got))
                    )
            values.append(value)
        compare = _COMPARE[alarm.comparison_operator]
        breaching = sum(1 for v in values if v is not None and compare(v, float(alarm.threshold)))
        missing = sum(1 for v in values if v is None)
        treatment = alarm.treat_missing_data or "missing"
        if treatment == "breaching":
            breaching += missing
        if breaching >= needed:
            state = "ALARM"
        elif missing == periods and treatment in ("missing", "ignore"):
            state = alarm.state_value if treatment == "ignore" else "INSUFFICIENT_DATA"
        else:
            state = "OK"
        shown = ", ".join("-" if v is None else f"{v:g}" for v in reversed(values))
        reason = (
            f"{alarm.statistic} of {alarm.metric_name} over {periods} x {period} s: [{shown}];"
            f" {breaching} of {needed} needed breach {alarm.comparison_operator} {alarm.threshold:g}"
        )
        backend.set_alarm_state(alarm.name, reason, "{}", state)
        states.append(AlarmState(alarm.name, state, reason))
    return states


def _combine(statistic: str, a: float, b: float) -> float:
    if statistic == "Maximum":
        return max(a, b)
    if statistic == "Minimum":
        return min(a, b)
    return a + b  # Sum, SampleCount (Average across buckets is not needed here)
