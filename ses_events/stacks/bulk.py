"""Plain configuration sets in bulk: one ``CfnInclude`` per stack instead of a construct each.

Every construct created from Python is a jsii round trip (about a millisecond); a set with three
destinations takes eight or nine. For the *plain* sets of a spec (any options and destinations,
but no alarms, dashboard section or tags of their own: :func:`is_plain`) the stack writes their
resources as a CloudFormation template in Python and adds them all with one
``cloudformation_include.CfnInclude``: the same resources, rendered by the same functions as the
constructs' (:mod:`ses_events.render`), with the logical ids the constructs would get
(``render.logical_id`` is aws-cdk-lib's ``makeUniqueId``, length limit included), so a deployed
stack does not change when a set moves between the two paths. Shared resources (archives, topics,
the default event bus) come in as the included template's parameters. A test synthesizes the same
spec both ways and compares the templates.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aws_cdk import ArnFormat, Stack
from aws_cdk import cloudformation_include as cfn_include

from ses_events import render, rules
from ses_events.constructs import FirehoseEventArchive, SnsEventTopic
from ses_events.constructs.stack_facts import StackFacts
from ses_events.model import DestinationKind
from ses_events.render import logical_id
from ses_events.spec import ConfigurationSetSpec, EventPublishingSpec

__all__ = ["BULK_CONSTRUCT_ID", "add_plain_sets", "is_plain"]

BULK_CONSTRUCT_ID = "ses-events.plain-sets"
"""Id of the ``CfnInclude`` (a dot: no configuration set name can take it)."""


def is_plain(spec: EventPublishingSpec, cs: ConfigurationSetSpec) -> bool:
    """Whether the set can be written in bulk: no alarms, no dashboard section, no tags of its
    own. (Its options are rendered like the constructs' by :func:`ses_events.render.
    configuration_set`; its own tags are not, because a tag given to an included resource ranks
    below the stack's tags of the same key, whereas the construct's ``Tags.of`` ranks above.)"""
    monitoring, model = spec.monitoring, cs.to_model()
    shown = monitoring.enabled and monitoring.dashboards != "none" and model.dashboard
    alarms = monitoring.enabled and model.alarms != ()
    return not model.options.tags and not shown and not alarms


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
    for cs in (spec_set.to_model() for spec_set in sets):
        set_id = logical_id(render.configuration_set_path(cs.name))
        resources[set_id] = {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": render.configuration_set(cs, tags=False),
        }
        arn = facts.configuration_set_arn(cs.name)
        for d in cs.destinations:
            target: dict[str, Any]
            if d.kind is DestinationKind.CLOUDWATCH:
                target = render.cloudwatch_target(
                    (x.name, x.source.value, x.default_value) for x in d.dimensions
                )
            elif d.kind is DestinationKind.FIREHOSE:
                assert d.archive is not None
                archive = archives[d.archive]
                archive.sources.add_arn(cs.name, arn)
                number = archive_numbers[d.archive]
                target = render.firehose_target(
                    parameter(f"Archive{number}Stream", archive.delivery_stream_arn),
                    parameter(f"Archive{number}SesRole", archive.ses_role_reference),
                )
            elif d.kind is DestinationKind.SNS:
                assert d.topic is not None
                topic = topics[d.topic]
                topic.sources.add_arn(cs.name, arn)
                target = render.sns_target(
                    parameter(f"Topic{topic_numbers[d.topic]}", topic.topic_reference)
                )
            else:
                target = render.eventbridge_target(
                    parameter(
                        "DefaultEventBus",
                        stack.format_arn(
                            service="events",
                            resource="event-bus",
                            resource_name=rules.DEFAULT_EVENT_BUS_NAME,
                            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                        ),
                    )
                )
            destination = render.event_destination(
                d.name, enabled=d.enabled, event_types=d.event_types, target=target
            )
            resources[logical_id(render.destination_path(cs.name, d.name))] = {
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
