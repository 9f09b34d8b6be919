"""The model of a set: what follows from it is computed once, here, for the spec, the layout,
the bulk path and the constructs."""

from __future__ import annotations

from ses_events.model import DestinationKind, DestinationModel, DimensionModel, SetModel, SetOptions
from ses_events.rules import DimensionSource, EventType, SesAlarm
from ses_events.spec import parse_spec

SET_DIMENSION = DimensionModel("ses:configuration-set", DimensionSource.MESSAGE_TAG, "unknown")
CAMPAIGN = DimensionModel("campaign", DimensionSource.MESSAGE_TAG, "none")


def _metrics(
    name: str,
    types: tuple[EventType, ...],
    dimensions: tuple[DimensionModel, ...] = (SET_DIMENSION,),
    enabled: bool = True,
) -> DestinationModel:
    return DestinationModel(name, DestinationKind.CLOUDWATCH, types, enabled, dimensions)


def test_metrics_come_from_the_first_enabled_destination_with_the_set_dimension() -> None:
    model = SetModel(
        "m",
        destinations=(
            _metrics("off", (EventType.SEND,), enabled=False),
            _metrics("no-set-dimension", (EventType.BOUNCE,), (CAMPAIGN,)),
            _metrics("first", (EventType.SEND, EventType.REJECT)),
            _metrics(
                "second", (EventType.SEND, EventType.DELIVERY_DELAY), (SET_DIMENSION, CAMPAIGN)
            ),
            DestinationModel("archive", DestinationKind.FIREHOSE, tuple(EventType), archive="a"),
        ),
    )
    sources = {e: d.name for e, d in model.metric_sources().items()}
    assert sources == {
        EventType.SEND: "first",
        EventType.REJECT: "first",
        EventType.DELIVERY_DELAY: "second",
    }


def test_alarm_support_chosen_alarms_and_resource_count() -> None:
    model = SetModel("m", destinations=(_metrics("metrics", (EventType.REJECT,)),))
    support = model.alarm_support()
    assert [k for k, reason in support.items() if not reason] == [
        SesAlarm.BOUNCE_RATE,
        SesAlarm.COMPLAINT_RATE,
        SesAlarm.REJECTS,
    ]
    assert "renderingFailure" in support[SesAlarm.RENDERING_FAILURES]
    # itself, one destination, 2 + 2 rate alarms, 1 count alarm, the composite
    assert model.resource_count(monitoring=True, composite=True) == 1 + 1 + 4 + 1 + 1
    assert model.resource_count(monitoring=True, composite=False) == 1 + 1 + 4 + 1
    assert model.resource_count(monitoring=False, composite=True) == 2
    no_reputation = SetModel("m", reputation_metrics=False, alarms=(SesAlarm.DELIVERY_DELAYS,))
    # delivery delays are a warning only: no critical alarm, so no composite
    assert no_reputation.resource_count(monitoring=True, composite=True) == 1 + 1
    repeated = SetModel("m", alarms=(SesAlarm.REJECTS, SesAlarm.REJECTS))
    assert repeated.chosen_alarms() == (SesAlarm.REJECTS,)
    assert repeated.resource_count(monitoring=True, composite=True) == 1 + 1 + 1


def test_the_spec_produces_the_model() -> None:
    spec = parse_spec(
        {
            "topics": [{"name": "alerts"}],
            "configuration_sets": [
                {
                    "name": "m",
                    "reputation_metrics": False,
                    "monitoring": {"alarms": ["rejects"]},
                    "destinations": [
                        {
                            "name": "metrics",
                            "type": "cloudwatch",
                            "event_types": ["reject", "send"],
                            "dimensions": [
                                {"name": "ses:configuration-set"},
                                {"name": "campaign", "default_value": "none"},
                            ],
                        },
                        {"name": "archive", "type": "firehose", "enabled": False},
                        {"name": "bounces", "type": "sns", "topic": "alerts"},
                        {"name": "bus", "type": "eventbridge", "event_types": ["bounce"]},
                    ],
                }
            ],
        }
    )
    model = spec.configuration_sets[0].to_model()
    assert (model.name, model.reputation_metrics, model.alarms) == ("m", False, (SesAlarm.REJECTS,))
    metrics, archive, bounces, bus = model.destinations
    assert metrics.kind is DestinationKind.CLOUDWATCH
    assert metrics.event_types == (EventType.SEND, EventType.REJECT)  # SES's order
    assert metrics.dimension_names == ("ses:configuration-set", "campaign")
    assert (archive.kind, archive.archive, archive.enabled) == (
        DestinationKind.FIREHOSE,
        "default",
        False,
    )
    assert archive.event_types == tuple(EventType)
    assert (bounces.kind, bounces.topic) == (DestinationKind.SNS, "alerts")
    assert (bus.kind, bus.event_types) == (DestinationKind.EVENTBRIDGE, (EventType.BOUNCE,))


def test_the_spec_produces_the_sets_options() -> None:
    spec = parse_spec(
        {
            "tags": {"project": "mail"},
            "configuration_sets": [
                {
                    "name": "all",
                    "delivery": {
                        "tls_policy": "REQUIRE",
                        "sending_pool": "pool-1",
                        "max_delivery_seconds": 300,
                    },
                    "suppression": {
                        "reasons": ["COMPLAINT", "BOUNCE", "COMPLAINT"],  # SES's order, once
                        "validation": {"enabled": False},
                    },
                    "tracking": {
                        "custom_redirect_domain": "t.example.com",
                        "https_policy": "OPTIONAL",
                    },
                    "vdm": {"engagement_metrics": True, "optimized_shared_delivery": False},
                    "archive_arn": "arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-0123456789abcdef0123456789",
                    "tags": {"team": "growth", "cost": "42"},
                    "monitoring": {"dashboard": False},
                },
                {
                    "name": "off",
                    "suppression": {
                        "disable_account_list": True,
                        "validation": {"confidence_threshold": "HIGH"},
                    },
                },
                {"name": "none"},
            ],
        }
    )
    full, off, none = (cs.to_model() for cs in spec.configuration_sets)
    assert full.options == SetOptions(
        tls_policy="REQUIRE",
        sending_pool_name="pool-1",
        max_delivery_seconds=300,
        suppression_reasons=("BOUNCE", "COMPLAINT"),
        validation_enabled=False,
        custom_redirect_domain="t.example.com",
        https_policy="OPTIONAL",
        engagement_metrics=True,
        optimized_shared_delivery=False,
        archive_arn="arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-0123456789abcdef0123456789",
        tags=(("cost", "42"), ("team", "growth")),  # its own, sorted; the stack's come apart
    )
    assert full.dashboard is False and none.dashboard is True
    assert off.options == SetOptions(disable_suppression_list=True, validation_threshold="HIGH")
    assert none.options == SetOptions()
