"""Metrics, alarms and dashboards: names, dimensions, expressions, thresholds, periods, actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk.assertions import Match, Template

from ses_events import SesEventsValidationError, rules
from ses_events.constructs import (
    AccountReputationAlarms,
    AlarmThresholds,
    AlarmTopic,
    ArchiveStorageFormat,
    CloudWatchDimension,
    CloudWatchEventDestination,
    ConfigurationSetAlarms,
    EventPublishingConfigurationSet,
    EventPublishingDashboards,
    EventType,
    FirehoseArchiveAlarms,
    FirehoseEventArchive,
    FirehoseEventDestination,
    RateThreshold,
)
from ses_events.constructs.dashboard import DashboardSection, _check_fits, _measure
from tests.conftest import new_app


def _set(
    stack: Stack,
    name: str,
    *,
    dimensions: Sequence[CloudWatchDimension] | None = None,
    event_types: Sequence[str] | None = None,
    reputation_metrics: bool = True,
) -> EventPublishingConfigurationSet:
    cs = EventPublishingConfigurationSet(
        stack, name, configuration_set_name=name, reputation_metrics=reputation_metrics
    )
    CloudWatchEventDestination(
        stack,
        f"{name}-metrics",
        configuration_set=cs,
        destination_name="metrics",
        dimensions=dimensions,
        event_types=event_types,
    )
    return cs


def _monitored_set(
    stack: Stack, name: str
) -> tuple[EventPublishingConfigurationSet, FirehoseEventArchive, ConfigurationSetAlarms]:
    """A set with a ``campaign`` dimension, an archive and its alarms: what a dashboard shows."""
    cs = _set(
        stack,
        name,
        dimensions=[
            CloudWatchDimension.configuration_set(),
            CloudWatchDimension.message_tag("campaign", default_value="none"),
        ],
    )
    archive = FirehoseEventArchive(stack, "Archive")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)
    return cs, archive, ConfigurationSetAlarms(stack, "Alarms", configuration_set=cs, prefix="mail")


def _alarms_by_name(template: Template) -> dict[str, dict[str, Any]]:
    found = {}
    for kind in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"):
        for resource in template.find_resources(kind).values():
            found[resource["Properties"]["AlarmName"]] = resource["Properties"]
    return found


def _placeholder(token: dict[str, Any]) -> str:
    if "Ref" in token:
        return "${" + token["Ref"] + "}"
    return "${" + ".".join(token["Fn::GetAtt"]) + "}"


def dashboard_bodies(template: Template) -> dict[str, Any]:
    """Each dashboard's body as parsed JSON, by name; ``Ref``s become ``${Name}``."""
    bodies = {}
    for resource in template.find_resources("AWS::CloudWatch::Dashboard").values():
        parts = resource["Properties"]["DashboardBody"]["Fn::Join"][1]
        text = "".join(p if isinstance(p, str) else _placeholder(p) for p in parts)
        bodies[resource["Properties"]["DashboardName"]] = json.loads(text)
    return bodies


# -- metrics ----------------------------------------------------------------------------------


def test_metric_names_are_the_ones_ses_publishes() -> None:
    assert [e.metric_name for e in EventType] == [
        "Send",
        "Reject",
        "Bounce",
        "Complaint",
        "Delivery",
        "Open",
        "Click",
        "RenderingFailure",
        "DeliveryDelay",
        "Subscription",
    ]


def test_whole_set_metric_is_plain_when_the_set_is_the_only_dimension(stack: Stack) -> None:
    cs = _set(stack, "tx")
    cloudwatch.Alarm(
        stack, "A", metric=cs.metric(EventType.BOUNCE), threshold=1, evaluation_periods=1
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/SES",
            "MetricName": "Bounce",
            "Dimensions": [{"Name": "ses:configuration-set", "Value": "tx"}],
            "Statistic": "Sum",
            "Period": 300,
        },
    )


def test_whole_set_metric_sums_dimension_combinations_with_metrics_insights(stack: Stack) -> None:
    cs = _set(
        stack,
        "marketing",
        dimensions=[
            CloudWatchDimension.configuration_set(),
            CloudWatchDimension.message_tag("campaign", default_value="none"),
        ],
    )
    assert cs.metrics.needs_metrics_insights(EventType.SEND)
    cloudwatch.Alarm(
        stack, "A", metric=cs.metric(EventType.SEND), threshold=1, evaluation_periods=1
    )
    (alarm,) = Template.from_stack(stack).find_resources("AWS::CloudWatch::Alarm").values()
    (query,) = alarm["Properties"]["Metrics"]
    assert query["Expression"] == (
        'SELECT SUM("Send") FROM SCHEMA("AWS/SES", "ses:configuration-set", "campaign")'
        " WHERE \"ses:configuration-set\" = 'marketing'"
    )
    assert query["Period"] == 300


def test_metric_for_one_dimension_value_and_per_value_search(stack: Stack) -> None:
    cs = _set(
        stack,
        "marketing",
        dimensions=[
            CloudWatchDimension.configuration_set(),
            CloudWatchDimension.message_tag("campaign", default_value="none"),
        ],
    )
    one = cs.metrics.metric_for_value(EventType.BOUNCE, "campaign", "spring-sale")
    assert one.expression.endswith(
        "WHERE \"ses:configuration-set\" = 'marketing' AND \"campaign\" = 'spring-sale'"
    )
    search = cs.metric_per_value(EventType.SEND, "campaign")
    assert search.expression == (
        'SEARCH(\'{AWS/SES,"ses:configuration-set","campaign"} MetricName="Send"'
        ' "ses:configuration-set"="marketing"\', \'Sum\', 300)'
    )
    assert search.label == "Send ${PROP('Dim.campaign')}"
    with pytest.raises(
        SesEventsValidationError, match=r"breakdown = 'region'.*must be a dimension"
    ):
        cs.metric_per_value(EventType.SEND, "region")
    with pytest.raises(SesEventsValidationError, match=r"value = \"it's\""):
        cs.metrics.metric_for_value(EventType.SEND, "campaign", "it's")


def test_rates_stay_defined_when_nothing_was_sent(stack: Stack) -> None:
    cs = _set(stack, "tx")
    rate = cs.metric_bounce_rate()
    assert rate.expression == "IF(send > 0, bounce / send, 0)"
    used = {k: v.metric_name for k, v in rate.using_metrics.items()}  # type: ignore[attr-defined]
    assert used == {"bounce": "Bounce", "send": "Send"}
    assert cs.metrics.open_rate().expression == "IF(delivery > 0, open / delivery, 0)"
    assert cs.metrics.click_rate().expression == "IF(delivery > 0, click / delivery, 0)"
    assert cs.metrics.delivery_rate().expression == "IF(send > 0, delivery / send, 0)"
    assert cs.metric_complaint_rate().expression == "IF(send > 0, complaint / send, 0)"


def test_only_rates_whose_events_are_published_are_offered(stack: Stack) -> None:
    cs = _set(stack, "tx", event_types=["send", "bounce", "delivery"])
    labels = [r.label for r in cs.metrics.available_rates()]
    assert labels == ["Bounce rate", "Delivery rate"]
    with pytest.raises(SesEventsValidationError, match=r"metrics = 'Open': needs an enabled"):
        cs.metric(EventType.OPEN)


def test_metrics_need_the_configuration_set_dimension(stack: Stack) -> None:
    cs = _set(stack, "tx", dimensions=[CloudWatchDimension.from_domain()])
    assert not cs.metrics.publishes(EventType.SEND)
    with pytest.raises(SesEventsValidationError, match="with the ses:configuration-set dimension"):
        cs.metric(EventType.SEND)


def test_reputation_metrics_per_set_and_for_the_account(stack: Stack) -> None:
    cs = _set(stack, "tx")
    metric = cs.metric_reputation_bounce_rate()
    assert (metric.namespace, metric.metric_name) == ("AWS/SES", "Reputation.BounceRate")
    assert metric.dimensions == {"ses:configuration-set": "tx"}
    assert cs.metric_reputation_complaint_rate().metric_name == "Reputation.ComplaintRate"
    quiet = _set(stack, "quiet", reputation_metrics=False)
    with pytest.raises(SesEventsValidationError, match="reputation_metrics = False: must be True"):
        quiet.metric_reputation_bounce_rate()


# -- alarms -----------------------------------------------------------------------------------


def test_configuration_set_alarms_defaults(stack: Stack) -> None:
    cs = _set(stack, "tx")
    topic = AlarmTopic(stack, "Topic", prefix="mail")
    alarms = ConfigurationSetAlarms(
        stack, "Alarms", configuration_set=cs, prefix="mail", alarm_topic=topic.topic
    )
    template = Template.from_stack(stack)
    found = _alarms_by_name(template)
    assert sorted(found) == sorted(
        [
            "mail-tx-bounce-rate-warning",
            "mail-tx-bounce-rate-critical",
            "mail-tx-complaint-rate-warning",
            "mail-tx-complaint-rate-critical",
            "mail-tx-rendering-failures-critical",
            "mail-tx-rejects-critical",
            "mail-tx-delivery-delays-warning",
            "mail-tx-health",
        ]
    )
    assert list(alarms.alarms) == [n for n in found if n != "mail-tx-health"]
    bounce = found["mail-tx-bounce-rate-critical"]
    assert (bounce["MetricName"], bounce["Statistic"], bounce["Period"]) == (
        "Reputation.BounceRate",
        "Maximum",
        3600,
    )
    assert bounce["Dimensions"] == [{"Name": "ses:configuration-set", "Value": "tx"}]
    assert bounce["Threshold"] == rules.BOUNCE_RATE_REVIEW == 0.05
    assert found["mail-tx-bounce-rate-warning"]["Threshold"] == 0.025
    assert found["mail-tx-complaint-rate-critical"]["Threshold"] == 0.001
    assert found["mail-tx-complaint-rate-warning"]["Threshold"] == 0.0005
    assert bounce["TreatMissingData"] == "ignore"
    assert bounce["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    delays = found["mail-tx-delivery-delays-warning"]
    assert (delays["MetricName"], delays["Threshold"]) == ("DeliveryDelay", 50)
    assert (delays["EvaluationPeriods"], delays["DatapointsToAlarm"]) == (3, 3)
    assert delays["TreatMissingData"] == "notBreaching"
    rendering = found["mail-tx-rendering-failures-critical"]
    assert (rendering["MetricName"], rendering["Threshold"], rendering["EvaluationPeriods"]) == (
        "RenderingFailure",
        1,
        1,
    )
    (topic_id,) = template.find_resources("AWS::SNS::Topic")
    topic_ref = {"Ref": topic_id}
    for name, alarm in found.items():
        if name == "mail-tx-health":
            assert "AlarmActions" not in alarm
            continue
        Template.from_json(
            {"Resources": {"A": {"Type": "X", "Properties": alarm}}}
        ).has_resource_properties("X", {"AlarmActions": [topic_ref], "OKActions": [topic_ref]})
    rule = json.dumps(found["mail-tx-health"]["AlarmRule"])
    for critical in (
        "bounceratecritical",
        "complaintratecritical",
        "renderingfailurescritical",
        "rejectscritical",
    ):
        assert f"Alarms{critical}" in rule
    assert "warning" not in rule


def test_thresholds_are_overridable_and_alarms_selectable(stack: Stack) -> None:
    cs = _set(stack, "tx")
    ConfigurationSetAlarms(
        stack,
        "Alarms",
        configuration_set=cs,
        prefix="mail",
        alarms=["bounce_rate", "delivery_delays"],
        thresholds=AlarmThresholds(
            bounce_rate=RateThreshold(warning=0.01, critical=0.03), delivery_delays=7
        ),
        composite=False,
    )
    found = _alarms_by_name(Template.from_stack(stack))
    assert {n: a["Threshold"] for n, a in found.items()} == {
        "mail-tx-bounce-rate-warning": 0.01,
        "mail-tx-bounce-rate-critical": 0.03,
        "mail-tx-delivery-delays-warning": 7,
    }


def test_notify_via_composite_moves_critical_actions_to_the_composite(stack: Stack) -> None:
    cs = _set(stack, "tx")
    topic = AlarmTopic(stack, "Topic", prefix="mail")
    ConfigurationSetAlarms(
        stack,
        "Alarms",
        configuration_set=cs,
        prefix="mail",
        alarm_topic=topic.topic,
        notify_via_composite=True,
    )
    found = _alarms_by_name(Template.from_stack(stack))
    assert "AlarmActions" in found["mail-tx-health"]
    assert "AlarmActions" not in found["mail-tx-bounce-rate-critical"]
    assert "AlarmActions" in found["mail-tx-bounce-rate-warning"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"thresholds": AlarmThresholds(bounce_rate=RateThreshold(warning=5, critical=10))},
            r"thresholds.bounce_rate.warning = 5: must be a fraction above 0 and at most 1",
        ),
        (
            {
                "thresholds": AlarmThresholds(
                    complaint_rate=RateThreshold(warning=0.01, critical=0.005)
                )
            },
            r"thresholds.complaint_rate.warning = 0.01: must not be above the critical level 0.005",
        ),
        ({"thresholds": AlarmThresholds(rejects=0)}, r"thresholds.rejects = 0: must be a whole"),
        ({"alarms": ["bounce"]}, r"alarms = 'bounce': must be one of bounce_rate"),
        ({"prefix": "bad prefix"}, r"prefix = 'bad prefix': must be 1 to 100"),
    ],
)
def test_bad_alarm_settings_are_refused(stack: Stack, kwargs: dict[str, Any], message: str) -> None:
    cs = _set(stack, "tx")
    settings: dict[str, Any] = {"prefix": "mail", **kwargs}
    with pytest.raises(SesEventsValidationError, match=message) as error:
        ConfigurationSetAlarms(stack, "Alarms", configuration_set=cs, **settings)
    assert "Test/Alarms (alarms of configuration set 'tx')" in str(error.value)


def test_alarms_a_set_cannot_support_are_refused(stack: Stack) -> None:
    cs = _set(stack, "tx", event_types=["send", "bounce"], reputation_metrics=False)
    assert ConfigurationSetAlarms(stack, "Default", configuration_set=cs, prefix="a").alarms == {}
    with pytest.raises(SesEventsValidationError) as error:
        ConfigurationSetAlarms(
            stack, "Alarms", configuration_set=cs, prefix="b", alarms=["bounce_rate", "rejects"]
        )
    message = str(error.value)
    assert "alarms = 'bounce_rate': needs reputation metrics enabled" in message
    assert "alarms = 'rejects': needs a CloudWatch event destination publishing reject" in message


def test_alarm_names_must_not_clash(stack: Stack) -> None:
    cs = _set(stack, "tx")
    ConfigurationSetAlarms(stack, "One", configuration_set=cs, prefix="mail")
    with pytest.raises(
        SesEventsValidationError, match=r"mail-tx-bounce-rate-warning.*already used by Test/One"
    ):
        ConfigurationSetAlarms(stack, "Two", configuration_set=cs, prefix="mail")


def test_account_and_archive_alarms(stack: Stack) -> None:
    archive = FirehoseEventArchive(stack, "Archive", buffering_interval=Duration.minutes(10))
    cs = EventPublishingConfigurationSet(stack, "tx")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)
    AccountReputationAlarms(stack, "Account", prefix="mail")
    FirehoseArchiveAlarms(
        stack, "ArchiveAlarms", archive=archive, archive_name="main", prefix="mail"
    )
    found = _alarms_by_name(Template.from_stack(stack))
    account = found["mail-account-bounce-rate-critical"]
    assert ("Dimensions" not in account, account["MetricName"], account["Threshold"]) == (
        True,
        "Reputation.BounceRate",
        0.05,
    )
    assert found["mail-account-complaint-rate-warning"]["Threshold"] == 0.0005
    freshness = found["mail-archive-main-data-freshness-critical"]
    assert (freshness["Namespace"], freshness["MetricName"], freshness["Statistic"]) == (
        "AWS/Firehose",
        "DeliveryToS3.DataFreshness",
        "Maximum",
    )
    assert freshness["Threshold"] == 1800  # three buffering intervals of 10 minutes
    assert freshness["Dimensions"][0]["Name"] == "DeliveryStreamName"
    delivery = found["mail-archive-main-s3-delivery-critical"]
    assert (delivery["MetricName"], delivery["Statistic"], delivery["Threshold"]) == (
        "DeliveryToS3.Success",
        "Average",
        1,
    )
    assert delivery["ComparisonOperator"] == "LessThanThreshold"
    with pytest.raises(SesEventsValidationError, match="must be at least the archive's buffering"):
        FirehoseArchiveAlarms(
            stack,
            "Bad",
            archive=archive,
            archive_name="x",
            prefix="m",
            max_data_age=Duration.minutes(1),
        )


@pytest.mark.parametrize("parquet", [False, True])
def test_an_archive_gets_the_alarms_the_rules_name(parquet: bool) -> None:
    """The construct makes exactly rules.archive_alarms (what the layout counts), and the
    account alarms are the reputation alarms at two levels."""
    stack = Stack(new_app(), "S")
    archive = FirehoseEventArchive(
        stack,
        "Archive",
        storage_format=ArchiveStorageFormat.PARQUET if parquet else ArchiveStorageFormat.JSON,
    )
    cs = EventPublishingConfigurationSet(stack, "tx")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)
    made = FirehoseArchiveAlarms(stack, "Alarms", archive=archive, archive_name="a", prefix="m")
    account = AccountReputationAlarms(stack, "Account", prefix="m")
    kinds = rules.archive_alarms(parquet=parquet)
    assert len(kinds) == (5 if parquet else 4)
    assert sorted(made.alarms) == sorted(f"m-archive-a-{k.value}-critical" for k in kinds)
    assert (made.format_conversion is not None) is parquet
    assert len(account.alarms) == rules.alarm_resources(rules.REPUTATION_ALARMS, composite=False)
    assert sorted(account.alarms) == [
        f"m-account-{what}-{level}"
        for what in ("bounce-rate", "complaint-rate")
        for level in ("critical", "warning")
    ]


def test_alarm_topic_lets_in_only_this_accounts_alarms(stack: Stack) -> None:
    AlarmTopic(stack, "Topic", prefix="mail", emails=["ops@example.com"])
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "CloudWatchAlarmsPublish",
                                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                                "Action": "sns:Publish",
                                "Condition": {
                                    "StringEquals": {
                                        "aws:SourceAccount": {"Ref": "AWS::AccountId"}
                                    },
                                    "ArnLike": {
                                        "aws:SourceArn": Match.object_like(
                                            {"Fn::Join": Match.any_value()}
                                        )
                                    },
                                },
                            }
                        )
                    ]
                )
            }
        },
    )
    policy = json.dumps(template.find_resources("AWS::SNS::TopicPolicy"))
    assert ":alarm:mail-*" in policy
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "ops@example.com"}
    )
    with pytest.raises(SesEventsValidationError, match=r"emails\[0\] = 'ops'"):
        AlarmTopic(stack, "Bad", prefix="mail", emails=["ops"])


# -- dashboards -------------------------------------------------------------------------------


def test_dashboard_sections_say_what_they_show(stack: Stack) -> None:
    cs, archive, alarms = _monitored_set(stack, "marketing")
    EventPublishingDashboards(
        stack,
        "Dashboards",
        dashboard_name="mail",
        configuration_sets=[cs],
        archives={"main": archive},
        alarms={"marketing": list(alarms.alarms.values())},
    )
    (body,) = dashboard_bodies(Template.from_stack(stack)).values()
    widgets = body["widgets"]
    texts = [w["properties"]["markdown"] for w in widgets if w["type"] == "text"]
    assert [t.splitlines()[0] for t in texts] == [
        "# SES account reputation",
        "# Configuration set `marketing`",
        "# Event archive `main` (Firehose to S3)",
    ]
    by_title = {
        w["properties"].get("title"): w["properties"] for w in widgets if w["type"] != "text"
    }
    rates = by_title["marketing: rates"]
    assert [a["value"] for a in rates["annotations"]["horizontal"]] == [0.05, 0.1, 0.001, 0.005]
    expressions = [m[0]["expression"] for m in rates["metrics"] if "expression" in m[0]]
    assert "IF(send > 0, bounce / send, 0)" in expressions
    per_campaign = by_title["marketing: per campaign"]
    assert all("SEARCH(" in m[0]["expression"] for m in per_campaign["metrics"])
    assert len(per_campaign["metrics"]) == 3  # Send, Bounce, Complaint
    events = by_title["marketing: events"]
    assert len(events["metrics"]) == 10
    assert len(by_title["marketing: alarms"]["alarms"]) == len(alarms.alarms) == 7
    assert all(a.endswith(".Arn}") for a in by_title["marketing: alarms"]["alarms"])
    freshness = by_title["archive main: data freshness"]
    assert freshness["metrics"][0][:2] == ["AWS/Firehose", "DeliveryToS3.DataFreshness"]
    assert by_title["Account bounce rate"]["metrics"][0][:2] == ["AWS/SES", "Reputation.BounceRate"]


def test_dashboards_split_when_a_limit_is_reached() -> None:
    stack = Stack(new_app(), "Big")
    dimensions = [CloudWatchDimension.configuration_set()] + [
        CloudWatchDimension.message_tag(f"tag{i}", default_value="none") for i in range(9)
    ]
    sets = [_set(stack, f"set{i:02d}", dimensions=dimensions) for i in range(45)]
    dashboards = EventPublishingDashboards(
        stack, "Dashboards", dashboard_name="big", configuration_sets=sets
    )
    bodies = dashboard_bodies(Template.from_stack(stack))
    assert len(bodies) >= 2
    assert list(bodies) == ["big", *(f"big-{n}" for n in range(2, len(bodies) + 1))]
    for body in bodies.values():
        assert len(body["widgets"]) <= rules.MAX_WIDGETS_PER_DASHBOARD
        assert len(json.dumps(body)) <= rules.MAX_DASHBOARD_BODY_BYTES
        assert sum(len(w["properties"].get("metrics", [])) for w in body["widgets"]) <= 2500
    shown = [
        w["properties"]["markdown"].splitlines()[0]
        for body in bodies.values()
        for w in body["widgets"]
        if w["type"] == "text"
    ]
    # every set once, in order, never split across dashboards
    assert shown[1:] == [f"# Configuration set `set{i:02d}`" for i in range(45)]
    assert len(dashboards.dashboards) == len(bodies)


def test_a_section_too_big_for_any_dashboard_is_an_error(stack: Stack) -> None:
    section = DashboardSection(
        "huge", [[cloudwatch.TextWidget(markdown="x", width=1, height=1)] for _ in range(501)]
    )
    with pytest.raises(
        SesEventsValidationError, match=r"section 'huge' = 501: exceeds 500 widgets"
    ):
        _check_fits("Test/Dashboards", section, _measure(stack, section))


def test_breakdown_of_an_unknown_dimension_is_an_error(stack: Stack) -> None:
    cs = _set(stack, "tx")
    with pytest.raises(
        SesEventsValidationError, match=r"breakdowns\['tx'\] = 'campaign': must be a dimension"
    ):
        EventPublishingDashboards(
            stack, "D", dashboard_name="d", configuration_sets=[cs], breakdowns={"tx": ["campaign"]}
        )
    with pytest.raises(SesEventsValidationError, match=r"dashboard_name = 'a b'"):
        EventPublishingDashboards(stack, "E", dashboard_name="a b", configuration_sets=[cs])


def test_fleet_monitoring_covers_every_set_with_four_alarms_and_one_dashboard(stack: Stack) -> None:
    from ses_events.constructs import FleetMonitoring

    fleet = FleetMonitoring(stack, "Fleet", prefix="mail")
    template = Template.from_stack(stack)
    found = _alarms_by_name(template)
    assert sorted(found) == sorted(
        f"mail-fleet-{what}-{level}"
        for what in ("bounce-rate", "complaint-rate")
        for level in ("warning", "critical")
    )
    (query,) = found["mail-fleet-bounce-rate-critical"]["Metrics"]
    assert query["Expression"] == (
        'SELECT MAX("Reputation.BounceRate") FROM SCHEMA("AWS/SES", "ses:configuration-set")'
        ' GROUP BY "ses:configuration-set" ORDER BY MAX() DESC LIMIT 500'
    )
    assert query["Period"] == 3600
    assert found["mail-fleet-bounce-rate-critical"]["Threshold"] == 0.05
    assert found["mail-fleet-complaint-rate-warning"]["Threshold"] == 0.0005
    (body,) = dashboard_bodies(template).values()
    titles = [w["properties"].get("title") for w in body["widgets"]]
    assert titles[1:] == [
        "Highest bounce rates",
        "Highest complaint rates",
        "Most sends",
        "Fleet alarms",
    ]
    assert fleet.dashboard is not None


@pytest.mark.parametrize(
    ("alarm_prefix", "admitted"),
    [("mail", True), ("mail-eu", True), ("mailx", False), ("ops", False), ("mai", False)],
)
def test_alarms_refuse_an_alarm_topic_whose_policies_would_refuse_them(
    stack: Stack, alarm_prefix: str, admitted: bool
) -> None:
    """An AlarmTopic admits only alarms named '<its prefix>-*' (key and topic policies): alarms
    of another prefix would synthesize, deploy and never notify; they are refused at synth."""
    topic = AlarmTopic(stack, "Topic", prefix="mail")
    marketing = EventPublishingConfigurationSet(stack, "Marketing", configuration_set_name="m")

    def build() -> None:
        ConfigurationSetAlarms(
            stack,
            "Alarms",
            configuration_set=marketing,
            prefix=alarm_prefix,
            alarm_topic=topic.topic,
        )
        AccountReputationAlarms(stack, "Account", prefix=alarm_prefix, alarm_topic=topic.topic)

    if admitted:
        build()
        policy = json.dumps(Template.from_stack(stack).find_resources("AWS::SNS::TopicPolicy"))
        assert ":alarm:mail-*" in policy
    else:
        with pytest.raises(SesEventsValidationError, match="AlarmTopic of prefix 'mail'"):
            build()


def _actions(alarm: dict[str, Any]) -> tuple[list[str], list[str]]:
    """An alarm's ALARM and OK actions, each as a short readable form."""

    def short(action: Any) -> str:
        text = json.dumps(action)
        for marker in ("Pager", "Chat", "Lambda", "Topic"):
            if marker in text:
                return marker
        return text

    return (
        [short(a) for a in alarm.get("AlarmActions", [])],
        [short(a) for a in alarm.get("OKActions", [])],
    )


def test_alarm_actions_split_warning_from_critical_with_any_alarm_action(stack: Stack) -> None:
    """Warnings go to the chat topic, critical alarms (and the composite, when it notifies) to
    the pager topic and a Lambda action; OK notifications can be turned off."""
    from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_sns as sns

    from ses_events.constructs import AlarmActions

    cs = _set(stack, "tx")
    pager = sns.Topic(stack, "Pager")
    chat = sns.Topic.from_topic_arn(stack, "Chat", "arn:aws:sns:eu-west-1:111111111111:Chat")
    handler = lambda_.Function.from_function_arn(
        stack, "Lambda", "arn:aws:lambda:eu-west-1:111111111111:function:Lambda"
    )
    ConfigurationSetAlarms(
        stack,
        "Alarms",
        configuration_set=cs,
        prefix="mail",
        alarm_actions=AlarmActions(
            warning=[chat],
            critical=[pager, cloudwatch_actions.LambdaAction(handler)],
            ok=False,
        ),
    )
    AccountReputationAlarms(
        stack, "Account", prefix="mail", alarm_actions=AlarmActions(critical=[pager])
    )
    found = _alarms_by_name(Template.from_stack(stack))
    assert _actions(found["mail-tx-bounce-rate-warning"]) == (["Chat"], [])
    assert _actions(found["mail-tx-delivery-delays-warning"]) == (["Chat"], [])
    assert _actions(found["mail-tx-bounce-rate-critical"]) == (["Pager", "Lambda"], [])
    assert _actions(found["mail-tx-rendering-failures-critical"]) == (["Pager", "Lambda"], [])
    assert _actions(found["mail-tx-health"]) == ([], [])  # critical alarms notify directly
    # ok defaults to True; no warning actions means warnings notify nobody
    assert _actions(found["mail-account-bounce-rate-critical"]) == (["Pager"], ["Pager"])
    assert _actions(found["mail-account-bounce-rate-warning"]) == ([], [])


def test_composite_alarm_notifies_the_critical_actions(stack: Stack) -> None:
    from aws_cdk import aws_sns as sns

    from ses_events.constructs import AlarmActions

    cs = _set(stack, "tx")
    pager, chat = sns.Topic(stack, "Pager"), sns.Topic(stack, "Chat")
    ConfigurationSetAlarms(
        stack,
        "Alarms",
        configuration_set=cs,
        prefix="mail",
        alarm_actions=AlarmActions(warning=[chat], critical=[pager]),
        notify_via_composite=True,
    )
    found = _alarms_by_name(Template.from_stack(stack))
    assert _actions(found["mail-tx-health"]) == (["Pager"], ["Pager"])
    assert _actions(found["mail-tx-bounce-rate-critical"]) == ([], [])
    assert _actions(found["mail-tx-bounce-rate-warning"]) == (["Chat"], ["Chat"])


def test_alarm_actions_refuse_a_topic_and_actions_together_and_non_actions(stack: Stack) -> None:
    from ses_events.constructs import AlarmActions

    topic = AlarmTopic(stack, "Topic", prefix="mail")
    with pytest.raises(
        SesEventsValidationError, match="alarm_actions = 'given': cannot be combined with alarm"
    ):
        AccountReputationAlarms(
            stack,
            "Both",
            prefix="mail",
            alarm_topic=topic.topic,
            alarm_actions=AlarmActions.to(topic.topic),
        )
    with pytest.raises(
        SesEventsValidationError,
        match=r"alarm_actions.critical\[0\] = 'str': must be an aws_cloudwatch.IAlarmAction",
    ):
        AccountReputationAlarms(
            stack,
            "NotAnAction",
            prefix="mail",
            alarm_actions=AlarmActions(critical=["arn:aws:sns:eu-west-1:111111111111:x"]),  # type: ignore[list-item]
        )
    # an AlarmTopic in the actions is checked against the alarms' prefix too
    with pytest.raises(
        SesEventsValidationError, match=r"alarm_actions.warning\[0\] = .*AlarmTopic of prefix"
    ):
        AccountReputationAlarms(
            stack, "Other", prefix="ops", alarm_actions=AlarmActions(warning=[topic.topic])
        )


def test_alarm_actions_to_uses_the_same_targets_for_both_levels(stack: Stack) -> None:
    from ses_events.constructs import AlarmActions

    topic = AlarmTopic(stack, "Topic", prefix="mail")
    assert AlarmActions.to(topic.topic, ok=False) == AlarmActions(
        warning=(topic.topic,), critical=(topic.topic,), ok=False
    )
    assert AlarmActions.to(topic.topic).ok is True


def test_sections_go_on_a_teams_own_dashboard_without_creating_another(stack: Stack) -> None:
    """The widgets EventPublishingDashboards shows, on a dashboard the team already has: the
    only dashboard in the template is theirs, and its body holds the same widgets."""
    from ses_events.constructs import (
        account_reputation_section,
        archive_section,
        configuration_set_section,
    )

    cs, archive, alarms = _monitored_set(stack, "tx")
    own = cloudwatch.Dashboard(stack, "Own", dashboard_name="team-ops")
    own.add_widgets(cloudwatch.TextWidget(markdown="# Our service", width=24, height=1))
    account_reputation_section().add_to(own)
    section = configuration_set_section(
        stack, cs, breakdowns=["campaign"], alarms=list(alarms.alarms.values())
    )
    section.add_to(own)
    archive_section("default", archive).add_to(own)

    template = Template.from_stack(stack)
    (dashboard,) = template.find_resources("AWS::CloudWatch::Dashboard").values()
    assert dashboard["Properties"]["DashboardName"] == "team-ops"
    body = json.dumps(stack.resolve(dashboard["Properties"]["DashboardBody"]))
    for title in (
        "Our service",
        "SES account reputation",
        "tx: events",
        "tx: rates",
        "tx: per campaign",
        "tx: alarms",
        "archive default: data freshness",
    ):
        assert title in body, title
    # the same section EventPublishingDashboards would build (same widgets, same order)
    reference = EventPublishingDashboards(
        stack,
        "Reference",
        dashboard_name="reference",
        configuration_sets=[cs],
        account_section=False,
        breakdowns={"tx": ["campaign"]},
        alarms={"tx": list(alarms.alarms.values())},
    )

    def unplaced(widgets: list[cloudwatch.IWidget]) -> list[Any]:
        # x and y are where a dashboard put the widget; everything else must match
        return [
            {k: v for k, v in item.items() if k not in ("x", "y")}
            for w in widgets
            for item in stack.resolve(w.to_json())
        ]

    assert unplaced(section.widgets) == unplaced(reference.sections[0].widgets)
    assert len(section.widgets) == 6


def test_a_section_refuses_a_breakdown_the_set_does_not_publish(stack: Stack) -> None:
    from ses_events.constructs import configuration_set_section

    cs = _set(stack, "tx")
    with pytest.raises(
        SesEventsValidationError,
        match=r"(?s)dashboard section of configuration set 'tx'.*breakdowns = 'campaign': must be a"
        r" dimension",
    ):
        configuration_set_section(stack, cs, breakdowns=["campaign"])
    # an existing set by name: no CloudWatch destination known, so no event graphs, no error
    section = configuration_set_section(stack, "transactional")
    assert section.title == "transactional"


@pytest.mark.parametrize("storage_format", ["json", "parquet"])
def test_archive_health_alarms_catch_what_the_s3_delivery_alarm_does_not(
    stack: Stack, storage_format: str
) -> None:
    """Throttled records, partitions over the limit (records go to the error prefix) and, for
    Parquet, failed conversions: any one in a period is critical."""
    from constructs import Construct

    from ses_events.constructs import ArchiveStorageFormat

    archive = FirehoseEventArchive(
        stack, "Archive", storage_format=ArchiveStorageFormat(storage_format)
    )
    archive.use_schema("db", "events", Construct(stack, "Table"))  # what EventArchiveTable does
    cs = EventPublishingConfigurationSet(stack, "tx")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)
    made = FirehoseArchiveAlarms(
        stack, "ArchiveAlarms", archive=archive, archive_name="main", prefix="mail"
    )
    found = _alarms_by_name(Template.from_stack(stack))
    expected = {
        "mail-archive-main-throttled-records-critical": ("ThrottledRecords", "Sum"),
        "mail-archive-main-partition-limit-critical": ("PartitionCountExceeded", "Maximum"),
    }
    if storage_format == "parquet":
        expected["mail-archive-main-format-conversion-critical"] = (
            "FailedConversion.Records",
            "Sum",
        )
    else:
        assert made.format_conversion is None
    assert not any("format-conversion" in name for name in found) or storage_format == "parquet"
    for name, (metric_name, statistic) in expected.items():
        alarm = found[name]
        assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
            "AWS/Firehose",
            metric_name,
            statistic,
        )
        # one is enough: at 1 the alarm fires, at 0 (healthy) it does not
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (
            1,
            "GreaterThanOrEqualToThreshold",
        )
        assert (alarm["EvaluationPeriods"], alarm["TreatMissingData"]) == (1, "notBreaching")
    assert len(made.alarms) == len(expected) + 2


class _UpperCaseNaming:
    """A team's own naming: ``<PREFIX>_<LEVEL>_<subject>_<what>`` (composite: no level)."""

    def alarm_name(self, *, prefix: str, subject: str, what: str, level: Any) -> str:
        parts = [prefix.upper(), level.value.upper() if level else "", subject, what]
        return "_".join(p for p in parts if p)


def test_a_naming_strategy_replaces_the_default_everywhere(stack: Stack) -> None:
    from ses_events.constructs import PrefixedAlarmNaming

    cs = _set(stack, "tx")
    ConfigurationSetAlarms(
        stack, "Alarms", configuration_set=cs, prefix="mail", naming=_UpperCaseNaming()
    )
    AccountReputationAlarms(stack, "Account", prefix="mail", naming=_UpperCaseNaming())
    names = set(_alarms_by_name(Template.from_stack(stack)))
    assert "MAIL_CRITICAL_tx_bounce-rate" in names
    assert "MAIL_tx_health" in names  # the composite alarm, named by the same strategy
    assert "MAIL_WARNING_account_complaint-rate" in names
    assert not any(n.startswith("mail-") for n in names)
    # the default strategy is the documented pattern
    assert (
        PrefixedAlarmNaming().alarm_name(
            prefix="mail", subject="tx", what="bounce-rate", level=None
        )
        == "mail-tx-bounce-rate"
    )


def test_a_naming_strategy_must_keep_an_alarm_topics_prefix(stack: Stack) -> None:
    """An AlarmTopic admits only alarms named '<its prefix>-*': a strategy that drops the prefix
    would deploy alarms whose notifications are all refused."""
    topic = AlarmTopic(stack, "Topic", prefix="mail")
    with pytest.raises(
        SesEventsValidationError,
        match=r"alarm_name = 'MAIL_WARNING_account_bounce-rate': notifies the AlarmTopic of"
        r" prefix 'mail'",
    ):
        AccountReputationAlarms(
            stack, "Account", prefix="mail", alarm_topic=topic.topic, naming=_UpperCaseNaming()
        )

    class KeepsPrefix:
        def alarm_name(self, *, prefix: str, subject: str, what: str, level: Any) -> str:
            return f"{prefix}-{what}-{subject}" + (f"-{level.value}" if level else "")

    AccountReputationAlarms(
        stack, "Kept", prefix="mail", alarm_topic=topic.topic, naming=KeepsPrefix()
    )
    assert "mail-bounce-rate-account-critical" in _alarms_by_name(Template.from_stack(stack))
