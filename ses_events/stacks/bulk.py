"""Plain configuration sets in bulk: one ``CfnInclude`` per stack instead of a construct each.

Every construct created from Python is a jsii round trip (about a millisecond); a set with three
destinations takes eight or nine. For the *plain* sets of a spec (name, reputation metrics,
sending, destinations; no per-set options, alarms or dashboard section) the stack writes their
resources as a CloudFormation template in Python and adds them all with one
``cloudformation_include.CfnInclude``: the same resources, with the same logical ids the
constructs would give them (``logical_id`` follows aws-cdk-lib's ``makeUniqueId``), so a deployed
stack does not change when a set moves between the two paths. Shared resources (archives, topics,
the default event bus) come in as the included template's parameters. A test synthesizes the same
spec both ways and compares the templates.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aws_cdk import ArnFormat, Stack
from aws_cdk import cloudformation_include as cfn_include

from ses_events import rules
from ses_events.constructs import FirehoseEventArchive, SnsEventTopic
from ses_events.constructs.stack_facts import StackFacts
from ses_events.spec import (
    CloudWatchDestinationSpec,
    ConfigurationSetSpec,
    EventBridgeDestinationSpec,
    EventPublishingSpec,
    FirehoseDestinationSpec,
    SnsDestinationSpec,
)

__all__ = ["BULK_CONSTRUCT_ID", "add_plain_sets", "is_plain", "logical_id"]

BULK_CONSTRUCT_ID = "ses-events.plain-sets"
"""Id of the ``CfnInclude`` (a dot: no configuration set name can take it)."""


def logical_id(components: Sequence[str]) -> str:
    """The logical id aws-cdk-lib gives the resource at ``components`` (path below the stack).

    aws-cdk-lib's ``makeUniqueId``: components named ``Default`` are dropped; a single component
    is its alphanumerics; otherwise the alphanumerics of the components (repeats and ``Resource``
    left out) and the first 8 hex digits, upper case, of the MD5 of the path.
    """
    parts = [c for c in components if c != "Default"]
    if len(parts) == 1:
        return re.sub(r"[^A-Za-z0-9]", "", parts[0])
    digest = hashlib.md5("/".join(parts).encode(), usedforsecurity=False).hexdigest()[:8].upper()
    kept: list[str] = []
    for part in parts:
        if not kept or not kept[-1].endswith(part):
            kept.append(part)
    human = "".join(re.sub(r"[^A-Za-z0-9]", "", p) for p in kept if p != "Resource")
    return human[:240] + digest


def is_plain(spec: EventPublishingSpec, cs: ConfigurationSetSpec) -> bool:
    """Whether the set has nothing but a name, reputation metrics, sending and destinations."""
    monitoring = spec.monitoring
    shown = monitoring.enabled and monitoring.dashboards != "none" and cs.monitoring.dashboard
    alarms = monitoring.enabled and cs.monitoring.alarms != []
    return (
        cs.delivery is None
        and cs.suppression is None
        and cs.tracking is None
        and cs.vdm is None
        and cs.archive_arn is None
        and not cs.tags
        and not shown
        and not alarms
    )


def _event_types(values: Sequence[str] | None) -> list[str]:
    chosen = {rules.parse_event_type(v) for v in values} if values is not None else None
    return [e.value for e in rules.EventType if chosen is None or e in chosen]


def add_plain_sets(
    stack: Stack,
    sets: Sequence[ConfigurationSetSpec],
    *,
    archives: Mapping[str, FirehoseEventArchive],
    topics: Mapping[str, SnsEventTopic],
) -> cfn_include.CfnInclude:
    """Add ``sets`` (all plain) to ``stack`` in one ``CfnInclude``; returns it."""
    facts = StackFacts.of(stack)
    parameters: dict[str, str] = {}
    declared: dict[str, Any] = {}

    def parameter(name: str, value: str) -> dict[str, str]:
        if name not in parameters:
            parameters[name] = value
            declared[name] = {"Type": "String"}
        return {"Ref": name}

    archive_numbers = {name: n for n, name in enumerate(sorted(archives))}
    topic_numbers = {name: n for n, name in enumerate(sorted(topics))}
    resources: dict[str, Any] = {}
    for cs in sets:
        set_id = logical_id([cs.name, "Resource", "Resource"])
        resources[set_id] = {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": {
                "Name": cs.name,
                "ReputationOptions": {"ReputationMetricsEnabled": cs.reputation_metrics},
                "SendingOptions": {"SendingEnabled": cs.sending_enabled},
            },
        }
        arn = facts.configuration_set_arn(cs.name)
        for d in cs.destinations:
            destination: dict[str, Any] = {
                "Name": d.name,
                "Enabled": d.enabled,
                "MatchingEventTypes": _event_types(d.event_types),
            }
            if isinstance(d, CloudWatchDestinationSpec):
                destination["CloudWatchDestination"] = {
                    "DimensionConfigurations": [
                        {
                            "DimensionName": x.name,
                            "DimensionValueSource": x.source.value,
                            "DefaultDimensionValue": x.default_value,
                        }
                        for x in d.dimensions
                    ]
                }
            elif isinstance(d, FirehoseDestinationSpec):
                archive = archives[d.archive]
                archive.sources.add_arn(cs.name, arn)
                number = archive_numbers[d.archive]
                destination["KinesisFirehoseDestination"] = {
                    "DeliveryStreamARN": parameter(
                        f"Archive{number}Stream", archive.delivery_stream_arn
                    ),
                    "IAMRoleARN": parameter(f"Archive{number}SesRole", archive.ses_role_reference),
                }
            elif isinstance(d, SnsDestinationSpec):
                topic = topics[d.topic]
                topic.sources.add_arn(cs.name, arn)
                destination["SnsDestination"] = {
                    "TopicARN": parameter(f"Topic{topic_numbers[d.topic]}", topic.topic_reference)
                }
            elif isinstance(d, EventBridgeDestinationSpec):
                destination["EventBridgeDestination"] = {
                    "EventBusArn": parameter(
                        "DefaultEventBus",
                        stack.format_arn(
                            service="events",
                            resource="event-bus",
                            resource_name=rules.DEFAULT_EVENT_BUS_NAME,
                            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                        ),
                    )
                }
            resources[logical_id([f"{cs.name}-{d.name}", "Resource"])] = {
                "Type": "AWS::SES::ConfigurationSetEventDestination",
                "Properties": {
                    "ConfigurationSetName": {"Ref": set_id},
                    "EventDestination": destination,
                },
            }
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "plain-sets.json"
        path.write_text(json.dumps({"Parameters": declared, "Resources": resources}))
        included = cfn_include.CfnInclude(
            stack, BULK_CONSTRUCT_ID, template_file=str(path), parameters=parameters
        )
    return included
