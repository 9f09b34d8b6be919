"""Alarm names: the naming strategy, the level in a name, and the app-wide check for clashes.

Alarm names are part of the API (teams wire them into paging). The default strategy names an
alarm ``<prefix>-<subject>-<what>-<level>`` (``mail-marketing-bounce-rate-critical``); pass
your own :class:`AlarmNamingStrategy` to any alarm construct to name them otherwise, as
cdk-monitoring-constructs lets you replace its naming strategy. Whatever the strategy, names are
checked at synth: at most 255 characters, unique per account and Region across the app, and
starting with ``<prefix>-`` of any :class:`AlarmTopic` they notify (its policies admit no other).
"""

from __future__ import annotations

import enum
from typing import Protocol

from aws_cdk import Stack
from aws_cdk import aws_sns as sns
from constructs import Construct

from ses_events import rules
from ses_events.constructs.stack_facts import StackFacts
from ses_events.constructs.tree_state import tree_state, tree_state_if_any
from ses_events.errors import Problems

__all__ = [
    "AlarmLevel",
    "AlarmNamingStrategy",
    "PrefixedAlarmNaming",
    "claim_alarm_name",
    "default_alarm_prefix",
    "record_topic_prefix",
    "topic_prefix",
]


class AlarmLevel(enum.StrEnum):
    """How urgent an alarm is; the last part of its name."""

    WARNING = "warning"
    CRITICAL = "critical"


class AlarmNamingStrategy(Protocol):
    """How an alarm is named from its parts (cdk-monitoring-constructs' ``IAlarmNamingStrategy``).

    :param prefix: the construct's ``prefix`` (``mail``).
    :param subject: what the alarm watches: a configuration set's name, ``account``,
        ``archive-<name>``, ``fleet``.
    :param what: the measure, ``bounce-rate``, ``data-freshness``, ``health`` ...
    :param level: ``None`` for a composite alarm.
    """

    def alarm_name(
        self, *, prefix: str, subject: str, what: str, level: AlarmLevel | None
    ) -> str: ...


class PrefixedAlarmNaming:
    """The default: ``<prefix>-<subject>-<what>-<level>``, parts joined with ``-``
    (``mail-marketing-bounce-rate-critical``, ``mail-marketing-health``)."""

    def alarm_name(self, *, prefix: str, subject: str, what: str, level: AlarmLevel | None) -> str:
        return "-".join(p for p in (prefix, subject, what, level and level.value) if p)


def default_alarm_prefix(scope: Construct) -> str:
    """The alarm name prefix when none is given: the name of ``scope``'s stack, cut to 100
    characters (a stack name, ``[A-Za-z][A-Za-z0-9-]*``, fits
    :data:`ses_events.rules.ALARM_NAME_PREFIX` but may be 128 long). Stable (a stack keeps its
    name) and distinct per stack, so two stacks' alarms never clash; aws-cdk-lib's L2s default
    their names likewise instead of requiring one."""
    return Stack.of(scope).stack_name[:100]


# Alarm names in use, per app (on its root) and environment: CloudWatch alarm names are unique per
# account and Region, and a second alarm of the same name would silently replace the first.
def claim_alarm_name(
    scope: Construct, name: str, where: str, topic_prefixes: tuple[str, ...] = ()
) -> None:
    """Reserve ``name`` for an alarm of ``scope``; refuse it when too long, taken in the same
    environment, or outside what the AlarmTopics it notifies admit (``topic_prefixes``)."""
    facts = StackFacts.of(scope)  # the environment, as configuration set names use it
    names: dict[str, str] = tree_state(facts.root, "alarm_names", dict)
    key = f"{facts.environment}/{name}"
    problems = Problems(where)
    if len(name) > rules.MAX_ALARM_NAME_LENGTH:
        problems.add(
            "alarm_name", name, f"must be at most {rules.MAX_ALARM_NAME_LENGTH} characters"
        )
    elif key in names:
        problems.add(
            "alarm_name",
            name,
            f"is already used by {names[key]}: alarm names are unique per account and Region",
        )
    for admitted in topic_prefixes:
        if not name.startswith(f"{admitted}-"):
            problems.add(
                "alarm_name",
                name,
                f"notifies the AlarmTopic of prefix {admitted!r}, whose policies let only alarms"
                f" named '{admitted}-*' publish: the naming strategy must keep that prefix",
            )
    problems.raise_if_any()
    names[key] = scope.node.path


_TOPIC_PREFIX = "alarm_topic_prefix"


def record_topic_prefix(topic: sns.ITopic, prefix: str) -> None:
    """Remember that ``topic``'s policies admit only alarms named ``<prefix>-*``."""
    tree_state(topic, _TOPIC_PREFIX, lambda: prefix)


def topic_prefix(topic: sns.ITopic) -> str | None:
    """The prefix an :class:`AlarmTopic`'s policies admit, ``None`` for any other topic."""
    found = tree_state_if_any(topic, _TOPIC_PREFIX)
    return found if isinstance(found, str) else None
