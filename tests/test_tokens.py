"""CDK tokens, as other teams' apps pass them: a parameter, an import, another construct's
attribute. Every option either takes the token to the template as a ``Ref``/``Fn::*`` (checks
that need the value are left to CloudFormation, as aws-cdk-lib does) or is refused with a clear
"must be known at synth" that names the field and says why."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import CfnParameter, Duration, Fn, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from ses_events.constructs import (
    AccountReputationAlarms,
    AlarmThresholds,
    AlarmTopic,
    CloudWatchDimension,
    CloudWatchEventDestination,
    ConfigurationSetAlarms,
    EventArchiveTable,
    EventBridgeEventDestination,
    EventPublishingConfigurationSet,
    EventPublishingDashboards,
    EventQueryWorkgroup,
    FirehoseArchiveAlarms,
    FirehoseEventArchive,
    FirehoseEventDestination,
    FleetMonitoring,
    IdentityDefaultConfigurationSet,
    RateThreshold,
    SnsEventDestination,
    SnsEventTopic,
)
from ses_events.errors import SesEventsValidationError
from ses_events.tokens import is_unresolved
from tests.conftest import new_app


def _stack() -> Stack:
    return Stack(new_app(), "Team")


def _text(stack: Stack, name: str = "P") -> str:
    return CfnParameter(stack, name).value_as_string


def _number(stack: Stack, name: str = "N") -> float:
    return CfnParameter(stack, name, type="Number").value_as_number


def _props(stack: Stack, kind: str) -> list[dict[str, Any]]:
    template = Template.from_stack(stack).to_json()
    return [r.get("Properties", {}) for r in template["Resources"].values() if r["Type"] == kind]


def _one(stack: Stack, kind: str) -> dict[str, Any]:
    (found,) = _props(stack, kind)
    return found


def _set(stack: Stack, **options: Any) -> EventPublishingConfigurationSet:
    options.setdefault("configuration_set_name", "team")
    return EventPublishingConfigurationSet(stack, "Set", **options)


def _archive_in_use(stack: Stack, **options: Any) -> FirehoseEventArchive:
    archive = FirehoseEventArchive(stack, "Archive", **options)
    FirehoseEventDestination(stack, "ToArchive", configuration_set=_set(stack), archive=archive)
    return archive


REF_P = {"Ref": "P"}
REF_N = {"Ref": "N"}


# --- the helper itself agrees with aws-cdk-lib -------------------------------------------------


def test_is_unresolved_answers_as_aws_cdk_lib_does() -> None:
    stack = _stack()
    pool = ses.DedicatedIpPool(stack, "Pool")
    tokens: list[object] = [
        _text(stack),
        _number(stack),
        CfnParameter(stack, "L", type="CommaDelimitedList").value_as_list,
        pool.dedicated_ip_pool_name,
        Fn.import_value("Shared-Name"),
        Fn.join("-", ["a", _text(stack, "Q")]),
        f"prefix-{_text(stack, 'R')}",
        Duration.seconds(_number(stack, "S")),
    ]
    plain: list[object] = ["team", "", "${Token", 0, 1.5, -1.0, True, None, Duration.hours(4)]
    assert [is_unresolved(value) for value in tokens] == [True] * len(tokens)
    assert [is_unresolved(value) for value in plain] == [False] * len(plain)
    # in lists: any element
    assert is_unresolved(["a", _text(stack, "T")]) and not is_unresolved(["a", "b"])


# --- a configuration set's options --------------------------------------------------------------


def test_a_sending_pool_from_the_l2_pool_reaches_the_template_as_its_ref() -> None:
    stack = _stack()
    pool = ses.DedicatedIpPool(stack, "Pool")
    _set(stack, sending_pool_name=pool.dedicated_ip_pool_name)
    (pool_id,) = Template.from_stack(stack).find_resources("AWS::SES::DedicatedIpPool")
    assert _one(stack, "AWS::SES::ConfigurationSet")["DeliveryOptions"] == {
        "SendingPoolName": {"Ref": pool_id}
    }


@pytest.mark.parametrize(
    ("option", "path"),
    [
        ("configuration_set_name", ["Name"]),
        ("sending_pool_name", ["DeliveryOptions", "SendingPoolName"]),
        ("custom_tracking_redirect_domain", ["TrackingOptions", "CustomRedirectDomain"]),
        ("archive_arn", ["ArchivingOptions", "ArchiveArn"]),
    ],
)
def test_a_set_option_from_a_parameter_reaches_the_template(option: str, path: list[str]) -> None:
    stack = _stack()
    _set(stack, **{option: _text(stack)})
    value: Any = _one(stack, "AWS::SES::ConfigurationSet")
    for key in path:
        value = value[key]
    assert value == REF_P


def test_the_set_name_from_an_import_and_the_destinations_follow_it() -> None:
    stack = _stack()
    configuration_set = _set(stack, configuration_set_name=Fn.import_value("Shared-SetName"))
    SnsEventDestination(stack, "Bounces", configuration_set=configuration_set)
    name = _one(stack, "AWS::SES::ConfigurationSet")["Name"]
    assert name == {"Fn::ImportValue": "Shared-SetName"}
    destination = _one(stack, "AWS::SES::ConfigurationSetEventDestination")
    assert "Ref" in destination["ConfigurationSetName"]  # the set, by its Ref


def test_a_max_delivery_duration_from_a_parameter_reaches_the_template() -> None:
    stack = _stack()
    _set(stack, max_delivery_duration=Duration.seconds(_number(stack)))
    delivery = _one(stack, "AWS::SES::ConfigurationSet")["DeliveryOptions"]
    assert delivery == {"MaxDeliverySeconds": REF_N}


def test_a_tag_value_from_a_parameter_reaches_the_template() -> None:
    stack = _stack()
    _set(stack, tags={"team": _text(stack)})
    assert {"Key": "team", "Value": REF_P} in _one(stack, "AWS::SES::ConfigurationSet")["Tags"]


def test_a_literal_set_name_is_still_checked() -> None:
    with pytest.raises(SesEventsValidationError, match="configuration_set_name = 'a b'"):
        _set(_stack(), configuration_set_name="a b")


def test_an_existing_set_by_a_token_is_refused_clearly() -> None:
    stack = _stack()
    with pytest.raises(SesEventsValidationError) as raised:
        EventPublishingConfigurationSet.from_configuration_set(stack, "Old", _text(stack))
    assert "configuration_set = '${Token[" in str(raised.value)
    assert "must be known at synth" in str(raised.value)
    assert "import it by its literal name" in str(raised.value)


# --- destinations -------------------------------------------------------------------------------


def test_a_dimension_default_from_a_parameter_reaches_the_template() -> None:
    stack = _stack()
    CloudWatchEventDestination(
        stack,
        "Metrics",
        configuration_set=_set(stack),
        dimensions=[CloudWatchDimension.message_tag("campaign", default_value=_text(stack))],
    )
    destination = _one(stack, "AWS::SES::ConfigurationSetEventDestination")["EventDestination"]
    (dimension,) = destination["CloudWatchDestination"]["DimensionConfigurations"]
    assert dimension["DefaultDimensionValue"] == REF_P


def test_a_dimension_name_from_a_token_is_refused_clearly() -> None:
    stack = _stack()
    with pytest.raises(SesEventsValidationError) as raised:
        CloudWatchEventDestination(
            stack,
            "Metrics",
            configuration_set=_set(stack),
            dimensions=[CloudWatchDimension.message_tag(_text(stack), default_value="none")],
        )
    message = str(raised.value)
    assert "dimensions[0].name = '${Token[" in message
    assert "must be known at synth" in message and "keyed by the dimension's name" in message


def test_a_destination_name_from_a_parameter_reaches_the_template() -> None:
    stack = _stack()
    SnsEventDestination(
        stack, "Bounces", configuration_set=_set(stack), destination_name=_text(stack)
    )
    destination = _one(stack, "AWS::SES::ConfigurationSetEventDestination")["EventDestination"]
    assert destination["Name"] == REF_P


def test_an_imported_topic_by_a_parameter_arn_is_the_destination() -> None:
    stack = _stack()
    topic = sns.Topic.from_topic_arn(stack, "Topic", _text(stack))
    SnsEventDestination(stack, "Bounces", configuration_set=_set(stack), topic=topic)
    destination = _one(stack, "AWS::SES::ConfigurationSetEventDestination")["EventDestination"]
    assert destination["SnsDestination"] == {"TopicARN": REF_P}


def test_sns_topic_names_from_parameters_reach_the_template() -> None:
    stack = _stack()
    SnsEventTopic(stack, "Events", topic_name=_text(stack), display_name=_text(stack, "D"))
    topic = _one(stack, "AWS::SNS::Topic")
    assert topic["TopicName"] == REF_P and topic["DisplayName"] == {"Ref": "D"}


def test_an_imported_event_bus_named_by_a_parameter_is_left_to_ses() -> None:
    stack = _stack()
    bus = events.EventBus.from_event_bus_name(stack, "Bus", _text(stack))
    EventBridgeEventDestination(stack, "ToBus", configuration_set=_set(stack), event_bus=bus)
    destination = _one(stack, "AWS::SES::ConfigurationSetEventDestination")["EventDestination"]
    arn = json.dumps(destination["EventBridgeDestination"]["EventBusArn"])
    assert '{"Ref": "P"}' in arn and ":event-bus/" in arn


def test_an_event_bus_created_in_the_app_is_still_refused() -> None:
    stack = _stack()
    bus = events.EventBus(stack, "Own")
    with pytest.raises(SesEventsValidationError, match="a bus created in this app"):
        EventBridgeEventDestination(stack, "ToBus", configuration_set=_set(stack), event_bus=bus)


# --- the archive ------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["prefix", "error_output_prefix"])
def test_archive_prefixes_from_a_parameter_reach_the_stream(option: str) -> None:
    stack = _stack()
    _archive_in_use(stack, **{option: _text(stack)})
    s3_destination = _one(stack, "AWS::KinesisFirehose::DeliveryStream")[
        "ExtendedS3DestinationConfiguration"
    ]
    key = "Prefix" if option == "prefix" else "ErrorOutputPrefix"
    assert REF_P in s3_destination[key]["Fn::Join"][1]


def test_an_archive_stream_name_and_buffering_from_parameters_reach_the_stream() -> None:
    stack = _stack()
    _archive_in_use(
        stack,
        delivery_stream_name=_text(stack),
        buffering_size_mib=_number(stack),
        buffering_interval=Duration.seconds(_number(stack, "I")),
    )
    stream = _one(stack, "AWS::KinesisFirehose::DeliveryStream")
    assert stream["DeliveryStreamName"] == REF_P
    hints = stream["ExtendedS3DestinationConfiguration"]["BufferingHints"]
    assert hints == {"IntervalInSeconds": {"Ref": "I"}, "SizeInMBs": REF_N}


def test_an_archive_in_an_imported_bucket_named_by_a_parameter() -> None:
    stack = _stack()
    _archive_in_use(stack, bucket=s3.Bucket.from_bucket_name(stack, "Bucket", _text(stack)))
    s3_destination = _one(stack, "AWS::KinesisFirehose::DeliveryStream")[
        "ExtendedS3DestinationConfiguration"
    ]
    assert '{"Ref": "P"}' in json.dumps(s3_destination["BucketARN"])


def test_an_archive_retention_from_a_token_is_refused_clearly() -> None:
    stack = _stack()
    with pytest.raises(SesEventsValidationError) as raised:
        FirehoseEventArchive(stack, "Archive", expiration=Duration.days(_number(stack)))
    message = str(raised.value)
    assert "expiration = " in message and "must be known at synth" in message
    assert "lifecycle" in message


def test_archive_alarms_on_a_token_interval_assume_the_longest_buffering() -> None:
    stack = _stack()
    archive = _archive_in_use(stack, buffering_interval=Duration.seconds(_number(stack)))
    FirehoseArchiveAlarms(
        stack, "ArchiveAlarms", archive=archive, prefix="team", archive_name="main"
    )
    freshness = [
        a
        for a in _props(stack, "AWS::CloudWatch::Alarm")
        if a.get("MetricName") == "DeliveryToS3.DataFreshness"
    ]
    assert [a["Threshold"] for a in freshness] == [2700]  # 3 x 900 s, Firehose's longest


# --- monitoring ---------------------------------------------------------------------------------


def _alarm_names(stack: Stack) -> list[Any]:
    return [a["AlarmName"] for a in _props(stack, "AWS::CloudWatch::Alarm")]


@pytest.mark.parametrize(
    "build",
    [
        lambda s, p: ConfigurationSetAlarms(s, "Alarms", configuration_set=_set(s), prefix=p),
        lambda s, p: AccountReputationAlarms(s, "Account", prefix=p),
        lambda s, p: FleetMonitoring(s, "Fleet", prefix=p, dashboard=False),
        lambda s, p: FirehoseArchiveAlarms(
            s, "ArchiveAlarms", archive=_archive_in_use(s), prefix=p, archive_name="main"
        ),
    ],
    ids=["set", "account", "fleet", "archive"],
)
def test_an_alarm_prefix_from_a_parameter_reaches_every_alarm_name(
    build: Callable[[Stack, str], object],
) -> None:
    stack = _stack()
    build(stack, _text(stack))
    names = _alarm_names(stack)
    assert names and all(
        '{"Ref": "P"}' in json.dumps(name) and "Fn::Join" in name for name in names
    )


def test_alarms_of_a_set_named_by_a_token_are_refused_clearly() -> None:
    stack = _stack()
    configuration_set = _set(stack, configuration_set_name=_text(stack))
    with pytest.raises(SesEventsValidationError) as raised:
        ConfigurationSetAlarms(stack, "Alarms", configuration_set=configuration_set, prefix="t")
    message = str(raised.value)
    assert "configuration_set = '${Token[" in message
    assert "must be known at synth" in message and "alarm names" in message


def test_an_alarm_threshold_from_a_token_is_refused_clearly() -> None:
    stack = _stack()
    thresholds = AlarmThresholds(bounce_rate=RateThreshold(warning=_number(stack), critical=0.1))
    with pytest.raises(SesEventsValidationError) as raised:
        ConfigurationSetAlarms(
            stack, "Alarms", configuration_set=_set(stack), prefix="t", thresholds=thresholds
        )
    message = str(raised.value)
    assert "thresholds.bounce_rate.warning" in message and "must be known at synth" in message


def test_alarm_topic_options_from_parameters_reach_the_template() -> None:
    stack = _stack()
    AlarmTopic(
        stack,
        "Topic",
        prefix=_text(stack),
        emails=[_text(stack, "E")],
        topic_name=_text(stack, "T"),
    )
    assert _one(stack, "AWS::SNS::Topic")["TopicName"] == {"Ref": "T"}
    assert _one(stack, "AWS::SNS::Subscription")["Endpoint"] == {"Ref": "E"}


def test_a_dashboard_name_from_a_parameter_and_a_set_named_by_a_token() -> None:
    stack = _stack()
    configuration_set = _set(stack, configuration_set_name=_text(stack, "S"))
    EventPublishingDashboards(
        stack, "Dashboards", dashboard_name=_text(stack), configuration_sets=[configuration_set]
    )
    dashboard = _one(stack, "AWS::CloudWatch::Dashboard")
    assert dashboard["DashboardName"] == REF_P
    assert '{"Ref": "S"}' in json.dumps(dashboard["DashboardBody"])


# --- analytics and identities -----------------------------------------------------------------


def test_glue_and_athena_names_from_parameters_reach_the_template() -> None:
    stack = _stack()
    archive = _archive_in_use(stack)
    table = EventArchiveTable(
        stack, "Table", archive=archive, database_name=_text(stack, "D"), table_name=_text(stack)
    )
    literal = EventArchiveTable(stack, "Literal", archive=archive, database_name="other")
    EventQueryWorkgroup(
        stack,
        "Queries",
        workgroup_name=_text(stack, "W"),
        tables=[literal],
        bytes_scanned_cutoff=_number(stack),
    )
    # named queries need the table's and the tags' literal text
    with pytest.raises(SesEventsValidationError) as raised:
        EventQueryWorkgroup(
            stack, "More", workgroup_name="more", tables=[table], funnel_tags=[_text(stack, "G")]
        )
    message = str(raised.value)
    for field in ("tables[0].database_name", "tables[0].table_name", "funnel_tags[0]"):
        assert f"{field} = '${{Token[" in message
    assert "must be known at synth" in message and "named queries" in message
    assert REF_P in [t["TableInput"]["Name"] for t in _props(stack, "AWS::Glue::Table")]
    databases = [d["DatabaseInput"]["Name"] for d in _props(stack, "AWS::Glue::Database")]
    assert {"Ref": "D"} in databases
    workgroup = _one(stack, "AWS::Athena::WorkGroup")
    assert workgroup["Name"] == {"Ref": "W"}
    assert workgroup["WorkGroupConfiguration"]["BytesScannedCutoffPerQuery"] == REF_N


def test_an_identity_and_a_token_named_set_reach_the_default_set_and_the_grant() -> None:
    stack = _stack()
    configuration_set = _set(stack, configuration_set_name=_text(stack, "S"))
    IdentityDefaultConfigurationSet(
        stack, "Default", identity=_text(stack), configuration_set=configuration_set
    )
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    configuration_set.grant_send(role, _text(stack, "I"))
    (default,) = _props(stack, "Custom::SesIdentityDefaultConfigurationSet")
    assert '{"Ref": "P"}' in json.dumps(default["Create"])
    (send,) = [
        statement
        for policy in _props(stack, "AWS::IAM::Policy")
        for statement in policy["PolicyDocument"]["Statement"]
        if statement["Action"] == ["ses:SendEmail", "ses:SendRawEmail"]
    ]
    assert '{"Ref": "I"}' in json.dumps(send) and '{"Ref": "S"}' in json.dumps(send)
