"""Which partitions of the archive a time window needs: predicates on ``year``/``month``/``day``/
``hour``, so a query over one day reads one day's files, not the archive's whole history.

The archive is partitioned by when **Firehose received** a record, not by when the message was
sent: "When evaluating timestamps, Firehose uses the approximate arrival timestamp of the oldest
record that's contained in the Amazon S3 object being written. By default, timestamp is in UTC"
(Firehose Developer Guide, "Understand custom prefixes for Amazon S3 objects",
https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html). Two consequences for a window
``[since, until)`` of send times:

- **after ``until``**: engagement events (opens, clicks, complaints) and late bounces arrive hours
  or days after the send. The partitions read reach ``slack`` past ``until``
  (:data:`DEFAULT_SLACK`, 7 days; ``--slack-days``); an event that arrives later than that is not
  counted, and the range read is always reported so that nobody mistakes it for the whole history;
- **before ``since``**: an object is named after its *oldest* record, which may have arrived up
  to the stream's buffering interval (at most :data:`MAX_BUFFERING`, 900 seconds) before a record
  of a message sent at ``since``; the partitions read start that much earlier (one hour partition
  at most).

The predicate is written per column (``year = 2026 AND month = 11 AND day BETWEEN 2 AND 8``, the
hours of the first and last day apart), so that Athena's partition projection can narrow each
column on its own and DuckDB can skip files by their ``hive_partitioning`` values.

Example::

    >>> from datetime import UTC, datetime
    >>> first, last = read_range(datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC))
    >>> first.isoformat(), last.isoformat()
    ('2026-11-01T23:00:00+00:00', '2026-11-09T23:00:00+00:00')
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from ses_events import rules

__all__ = [
    "DEFAULT_SLACK",
    "MAX_BUFFERING",
    "MAX_SLACK_DAYS",
    "describe_range",
    "key_in_range",
    "partition_condition",
    "read_range",
]

DEFAULT_SLACK = timedelta(days=7)
"""How long after ``until`` events of messages sent in the window are still looked for."""
MAX_SLACK_DAYS = 366
"""A longer slack is refused: it would read more than a year past the window."""
MAX_BUFFERING = timedelta(seconds=rules.FIREHOSE_BUFFER_SECONDS[1])
"""The longest a Firehose stream buffers records before it writes an object (900 seconds)."""


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def read_range(
    since: datetime | None, until: datetime | None, slack: timedelta = DEFAULT_SLACK
) -> tuple[datetime | None, datetime | None]:
    """The first and last hour partition (UTC, both read) that can hold events of messages sent
    in ``[since, until)``; ``None`` for an open end."""
    first = None if since is None else _hour(since - MAX_BUFFERING)
    # an event that arrives before until + slack is in an object named at or before its arrival
    last = None if until is None else _hour(until + slack - timedelta(microseconds=1))
    return first, last


def describe_range(first: datetime | None, last: datetime | None) -> str:
    """The range read, as the report and the CLI say it."""
    if first is None and last is None:
        return "every partition (no --since or --until)"
    start = "the first" if first is None else first.strftime("%Y-%m-%dT%H:00Z")
    end = "the last" if last is None else last.strftime("%Y-%m-%dT%H:00Z")
    return f"hour partitions {start} to {end} (UTC, as Firehose received the records)"


def _at(moment: datetime, op: str) -> str:
    """``(year, month, day, hour) <op> moment``, lexicographically, for ``>=`` or ``<=``."""
    strict = op[0]
    y, m, d, h = moment.year, moment.month, moment.day, moment.hour
    return (
        f"(year {strict} {y} OR (year = {y} AND (month {strict} {m} OR (month = {m} AND"
        f" (day {strict} {d} OR (day = {d} AND hour {op} {h}))))))"
    )


def _day(moment: datetime) -> str:
    return f"year = {moment.year} AND month = {moment.month} AND day = {moment.day}"


def partition_condition(first: datetime | None, last: datetime | None) -> str | None:
    """A Trino condition on the partition columns keeping the hours ``first`` to ``last``
    (both included), or ``None`` when neither is given."""
    if first is None and last is None:
        return None
    if last is None:
        assert first is not None
        return _at(first, ">=")
    if first is None:
        return _at(last, "<=")
    if first > last:
        raise ValueError(f"partition range from {first} to {last}: first is after last")
    groups: list[str] = []
    if first.date() == last.date() and not (first.hour == 0 and last.hour == 23):
        return f"({_day(first)} AND hour BETWEEN {first.hour} AND {last.hour})"
    day, end = first.replace(hour=0), last.replace(hour=0)  # whole days from day to end
    if first.hour != 0:
        groups.append(f"({_day(first)} AND hour >= {first.hour})")
        day += timedelta(days=1)
    if last.hour != 23:
        end -= timedelta(days=1)
    while day <= end:  # whole days, grouped by month
        month_end = min(end, _last_day_of_month(day))
        days = (
            f"day = {day.day}" if month_end == day else f"day BETWEEN {day.day} AND {month_end.day}"
        )
        groups.append(f"(year = {day.year} AND month = {day.month} AND {days})")
        day = month_end + timedelta(days=1)
    if last.hour != 23:
        groups.append(f"({_day(last)} AND hour <= {last.hour})")
    return groups[0] if len(groups) == 1 else "(" + " OR ".join(groups) + ")"


def _last_day_of_month(moment: datetime) -> datetime:
    following = (moment.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


_HOUR_KEY = re.compile(r"/year=(\d{4})/month=(\d{2})/day=(\d{2})/hour=(\d{2})/")


def key_in_range(key: str, first: datetime | None, last: datetime | None) -> bool:
    """Whether the archive object ``key`` is in an hour partition from ``first`` to ``last``
    (both included; ``None``: open). With a range, a key outside every hour partition is not."""
    if first is None and last is None:
        return True
    found = _HOUR_KEY.search(key)
    if found is None:
        return False
    year, month, day, hour_of_day = (int(part) for part in found.groups())
    hour = datetime(year, month, day, hour_of_day, tzinfo=UTC)
    return (first is None or first <= hour) and (last is None or hour <= last)
