"""Alarms, evaluated in the local AWS, as far as that can be done honestly.

After mail has been sent, :func:`publish_reputation` puts each set's reputation metrics
(``Reputation.BounceRate`` and ``Reputation.ComplaintRate``, fractions, per set with the
``ses:configuration-set`` dimension where the set has reputation metrics on, and for the
account) computed from what was sent here: SES computes them over a larger, representative
volume, so this is a stand-in for the figures, not for SES's method. :func:`evaluate_alarms`
then evaluates every **standard** alarm on a single metric — its namespace, metric, dimensions,
statistic, period, threshold, comparison, datapoints to alarm of evaluation periods and
missing-data treatment — over the local metric data, and sets and returns its state; an alarm on
metric math (one expression over its metrics, such as a tenant's ``IF(send >= 100, bounce /
send, 0)``) the same way, computing the expression per period (:mod:`.metric_math`). A change of
state goes to EventBridge as CloudWatch sends it, so rules on alarms (the breaker) run. Alarms on
Metrics Insights queries, math it does not know, and composite alarms are not evaluated
(reported as such): that would need CloudWatch's own query engine.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends

from ses_events import rules
from ses_events.local_aws import metric_math
from ses_events.rules import breaker as breaker_rules

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
    now = _naive(datetime.now(UTC))
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
    """Evaluate every standard alarm on one metric or on metric math over its metrics, over
    the latest evaluation periods; a change of state is sent to EventBridge as CloudWatch
    sends it ("CloudWatch Alarm State Change", :func:`alarm_state_change`)."""
    backend = cloudwatch_backends[account][region]
    now = now or datetime.now(UTC)
    states: list[AlarmState] = []
    for alarm in list(backend.alarms.values()):
        if alarm.comparison_operator not in _COMPARE or not (
            alarm.metric_name or alarm.metric_data_queries
        ):
            states.append(AlarmState(alarm.name, None, "not evaluated here (not a single metric)"))
            continue
        try:
            series, period, what = _series(backend, alarm)
        except metric_math.Unsupported as error:
            states.append(
                AlarmState(
                    alarm.name,
                    None,
                    f"not evaluated here (a Metrics Insights query or metric math it does not"
                    f" know: {error})",
                )
            )
            continue
        periods = int(alarm.evaluation_periods)
        needed = int(alarm.datapoints_to_alarm or periods)
        values: list[float | None] = []
        for index in range(periods):
            end = now - timedelta(seconds=period * index)
            values.append(series(end - timedelta(seconds=period), end))
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
            f"{what} over {periods} x {period} s: [{shown}];"
            f" {breaching} of {needed} needed breach {alarm.comparison_operator} {alarm.threshold:g}"
        )
        previous = alarm.state_value
        backend.set_alarm_state(alarm.name, reason, "{}", state)
        if state != previous:
            alarm_state_change(account, region, alarm, previous, now)
        states.append(AlarmState(alarm.name, state, reason))
    return states


Series = Callable[[datetime, datetime], "float | None"]


def _series(backend: Any, alarm: Any) -> tuple[Series, int, str]:
    """The alarm's value over a window, its period and what it is (for the reason)."""
    if alarm.metric_name:
        dimensions = [{"Name": d.name, "Value": d.value} for d in alarm.dimensions]
        period = int(alarm.period)

        def single(start: datetime, end: datetime) -> float | None:
            return _statistic(
                backend, alarm.namespace, alarm.metric_name, dimensions, alarm.statistic,
                start, end, period,
            )  # fmt: skip

        return single, period, f"{alarm.statistic} of {alarm.metric_name}"
    metrics = {q.id: q for q in alarm.metric_data_queries if q.metric_stat is not None}
    expressions = [q for q in alarm.metric_data_queries if q.expression]
    returned = [q for q in expressions if str(q.return_data).lower() != "false"]
    if len(returned) != 1 or returned[0].expression.lstrip().upper().startswith("SELECT"):
        raise metric_math.Unsupported("one expression over metrics is evaluated, not a query")
    (expression,) = returned
    if len(expressions) > 1:
        raise metric_math.Unsupported("expressions over expressions")
    compute = metric_math.parse(expression.expression)
    periods = {int(q.metric_stat.period) for q in metrics.values()}
    period = int(expression.period or max(periods, default=60))

    def math(start: datetime, end: datetime) -> float | None:
        values = {
            query_id: _statistic(
                backend,
                q.metric_stat.metric.namespace,
                q.metric_stat.metric.metric_name,
                [{"Name": d.name, "Value": d.value} for d in q.metric_stat.metric.dimensions],
                q.metric_stat.stat,
                start,
                end,
                int(q.metric_stat.period),
            )
            for query_id, q in metrics.items()
        }
        return compute(values)

    return math, period, expression.expression


def _statistic(
    backend: Any,
    namespace: str,
    name: str,
    dimensions: list[dict[str, str]],
    statistic: str,
    start: datetime,
    end: datetime,
    period: int,
) -> float | None:
    """One statistic of one metric (its exact dimensions) over ``[start, end]``."""
    found = backend.get_metric_statistics(
        namespace,
        name,
        _naive(start),
        _naive(end + timedelta(seconds=1)),
        period,
        [statistic],
        dimensions,
    )
    value = None
    for point in found:
        got = point.get_statistics_for_type(statistic)
        if got is not None:
            value = float(got) if value is None else _combine(statistic, value, float(got))
    return value


def alarm_state_change(account: str, region: str, alarm: Any, previous: str, now: datetime) -> None:
    """Send the change to the default event bus as CloudWatch does: source ``aws.cloudwatch``,
    detail type "CloudWatch Alarm State Change", the alarm's ARN in ``resources``, and
    ``detail.alarmName``, ``detail.state`` (value, reason, timestamp), ``detail.previousState``
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html)."""
    from moto.events.models import events_backends

    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    detail = {
        "alarmName": alarm.name,
        "state": {"value": alarm.state_value, "reason": alarm.state_reason, "timestamp": stamp},
        "previousState": {"value": previous},
        "configuration": {"description": alarm.description or ""},
    }
    events_backends[account][region].put_events(
        [
            {
                "Source": breaker_rules.ALARM_EVENT_SOURCE,
                "DetailType": breaker_rules.ALARM_STATE_CHANGE,
                "Detail": json.dumps(detail),
                "Resources": [alarm.alarm_arn],
            }
        ]
    )


def _naive(moment: datetime) -> datetime:
    """``moment`` as moto keeps every time stamp: naive, in UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _combine(statistic: str, a: float, b: float) -> float:
    if statistic == "Maximum":
        return max(a, b)
    if statistic == "Minimum":
        return min(a, b)
    return a + b  # Sum, SampleCount (Average across buckets is not needed here)
