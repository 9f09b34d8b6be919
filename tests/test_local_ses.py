"""The local SES on its own (no CDK): what it refuses as SES would, with SES's error codes, at
each limit and one past it; and the CloudFormation resources for sets and destinations
(create, update in place, replace on a new name, delete). Written from a mutmut run over
ses_events/local_aws/ses/ (scripts/mutation.sh local-ses)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ses_events import rules
from ses_events.local_aws import LocalAws

pytestmark = pytest.mark.local_aws

BUS = "arn:aws:events:ap-northeast-1:123456789012:event-bus/default"


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    with LocalAws(region="ap-northeast-1") as local:  # a Region no other test module uses
        yield local


@pytest.fixture(scope="module")
def ses(aws: LocalAws) -> Any:
    import boto3

    return boto3.client("sesv2", **aws.client_arguments())


@pytest.fixture
def a_set(ses: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    name = "set-" + "".join(c if c.isalnum() else "-" for c in request.node.name)[-50:]
    ses.create_configuration_set(ConfigurationSetName=name)
    yield name
    ses.delete_configuration_set(ConfigurationSetName=name)


def _metrics(*dimensions: dict[str, str], types: list[str] | None = None) -> dict[str, Any]:
    return {
        "Enabled": True,
        "MatchingEventTypes": types if types is not None else ["SEND", "BOUNCE"],
        "CloudWatchDestination": {
            "DimensionConfigurations": list(dimensions)
            or [
                {
                    "DimensionName": "campaign",
                    "DimensionValueSource": "MESSAGE_TAG",
                    "DefaultDimensionValue": "none",
                }
            ]
        },
    }


def _refused(call: Any, **arguments: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**arguments)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_a_destination_is_stored_in_the_api_v2_shape(ses: Any, a_set: str) -> None:
    ses.create_configuration_set_event_destination(
        ConfigurationSetName=a_set,
        EventDestinationName="metrics",
        EventDestination=_metrics(types=["BOUNCE", "SEND"]),
    )
    (found,) = ses.get_configuration_set_event_destinations(ConfigurationSetName=a_set)[
        "EventDestinations"
    ]
    assert found == {
        "Name": "metrics",
        "Enabled": True,
        "MatchingEventTypes": ["BOUNCE", "SEND"],
        "CloudWatchDestination": _metrics()["CloudWatchDestination"],
    }
    ses.update_configuration_set_event_destination(
        ConfigurationSetName=a_set,
        EventDestinationName="metrics",
        EventDestination={**_metrics(types=["DELIVERY"]), "Enabled": False},
    )
    (found,) = ses.get_configuration_set_event_destinations(ConfigurationSetName=a_set)[
        "EventDestinations"
    ]
    assert found["MatchingEventTypes"] == ["DELIVERY"] and found["Enabled"] is False
    ses.delete_configuration_set_event_destination(
        ConfigurationSetName=a_set, EventDestinationName="metrics"
    )
    assert (
        ses.get_configuration_set_event_destinations(ConfigurationSetName=a_set)[
            "EventDestinations"
        ]
        == []
    )


@pytest.mark.parametrize(
    ("name", "definition", "message"),
    [
        ("", _metrics(), "Event destination name '' must be 1 to 64 ASCII letters"),
        ("x" * 65, _metrics(), "Event destination name '" + "x" * 65 + "' must be 1 to 64"),
        ("ok", _metrics(types=[]), "MatchingEventTypes must list at least one type."),
        ("ok", _metrics(types=["SEND", "bounce"]), "Invalid event type 'bounce'."),
        (
            "ok",
            {"Enabled": True, "MatchingEventTypes": ["SEND"]},
            "An event destination must have exactly one destination: CloudWatchDestination,"
            " KinesisFirehoseDestination, SnsDestination, EventBridgeDestination",
        ),
        (
            "ok",
            {
                **_metrics(),
                "SnsDestination": {"TopicArn": "arn:aws:sns:ap-northeast-1:123456789012:t"},
            },
            "An event destination must have exactly one destination",
        ),
        (
            "ok",
            _metrics(
                *[
                    {
                        "DimensionName": f"d{i}",
                        "DimensionValueSource": "MESSAGE_TAG",
                        "DefaultDimensionValue": "x",
                    }
                    for i in range(11)
                ]
            ),
            "A CloudWatch destination has at most 10 dimensions.",
        ),
        (
            "ok",
            _metrics(
                {
                    "DimensionName": "From",
                    "DimensionValueSource": "EMAIL_HEADER",
                    "DefaultDimensionValue": "x",
                }
            ),
            "dimensions[0].name 'From' SES does not accept this email header as a dimension",
        ),
        (
            "ok",
            _metrics(
                {
                    "DimensionName": "campaign",
                    "DimensionValueSource": "MESSAGE_TAG",
                    "DefaultDimensionValue": "has space",
                }
            ),
            "dimensions[0].default_value 'has space' must be 1 to 256",
        ),
        (
            "ok",
            {
                "Enabled": True,
                "MatchingEventTypes": ["SEND"],
                "EventBridgeDestination": {
                    "EventBusArn": "arn:aws:events:ap-northeast-1:123456789012:event-bus/mine"
                },
            },
            "SES publishes only to the default event bus, not"
            " arn:aws:events:ap-northeast-1:123456789012:event-bus/mine.",
        ),
    ],
)
def test_what_ses_refuses_in_a_destination(
    ses: Any, a_set: str, name: str, definition: dict[str, Any], message: str
) -> None:
    code, said = _refused(
        ses.create_configuration_set_event_destination,
        ConfigurationSetName=a_set,
        EventDestinationName=name,
        EventDestination=definition,
    )
    assert code == "BadRequestException"
    assert said.startswith(message), said
    assert (
        ses.get_configuration_set_event_destinations(ConfigurationSetName=a_set)[
            "EventDestinations"
        ]
        == []
    )


def test_ten_dimensions_and_the_default_bus_are_taken(ses: Any, a_set: str) -> None:
    ten = [
        {
            "DimensionName": f"d{i}",
            "DimensionValueSource": "MESSAGE_TAG",
            "DefaultDimensionValue": "x",
        }
        for i in range(10)
    ]
    ses.create_configuration_set_event_destination(
        ConfigurationSetName=a_set, EventDestinationName="ten", EventDestination=_metrics(*ten)
    )
    ses.create_configuration_set_event_destination(
        ConfigurationSetName=a_set,
        EventDestinationName="bus",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": ["SEND"],
            "EventBridgeDestination": {"EventBusArn": BUS},
        },
    )
    names = [
        d["Name"]
        for d in ses.get_configuration_set_event_destinations(ConfigurationSetName=a_set)[
            "EventDestinations"
        ]
    ]
    assert names == ["ten", "bus"]


def test_ten_destinations_are_taken_the_eleventh_is_refused(ses: Any, a_set: str) -> None:
    for number in range(1, 11):
        ses.create_configuration_set_event_destination(
            ConfigurationSetName=a_set,
            EventDestinationName=f"d{number}",
            EventDestination=_metrics(),
        )
    code, said = _refused(
        ses.create_configuration_set_event_destination,
        ConfigurationSetName=a_set,
        EventDestinationName="d11",
        EventDestination=_metrics(),
    )
    assert (code, said) == (
        "LimitExceededException",
        f"Configuration set {a_set} already has 10 event destinations, the maximum.",
    )
    # updating one of the ten is no eleventh
    ses.update_configuration_set_event_destination(
        ConfigurationSetName=a_set, EventDestinationName="d10", EventDestination=_metrics()
    )


def test_names_that_exist_or_do_not(ses: Any, a_set: str) -> None:
    ses.create_configuration_set_event_destination(
        ConfigurationSetName=a_set, EventDestinationName="metrics", EventDestination=_metrics()
    )
    assert _refused(
        ses.create_configuration_set_event_destination,
        ConfigurationSetName=a_set,
        EventDestinationName="metrics",
        EventDestination=_metrics(),
    ) == (
        "AlreadyExistsException",
        f"Event destination metrics already exists in configuration set {a_set}.",
    )
    missing = f"Event destination other does not exist in configuration set {a_set}."
    for call in (
        ses.update_configuration_set_event_destination,
        ses.delete_configuration_set_event_destination,
    ):
        extra = {"EventDestination": _metrics()} if "update" in call.__name__ else {}
        assert _refused(
            call, ConfigurationSetName=a_set, EventDestinationName="other", **extra
        ) == ("NotFoundException", missing)


def test_a_set_that_does_not_exist(ses: Any) -> None:
    gone = ("NotFoundException", "Configuration set <nosuch> does not exist.")
    assert (
        _refused(
            ses.create_configuration_set_event_destination,
            ConfigurationSetName="nosuch",
            EventDestinationName="d",
            EventDestination=_metrics(),
        )
        == gone
    )
    assert (
        _refused(ses.get_configuration_set_event_destinations, ConfigurationSetName="nosuch")
        == gone
    )
    assert (
        _refused(
            ses.delete_configuration_set_event_destination,
            ConfigurationSetName="nosuch",
            EventDestinationName="d",
        )
        == gone
    )


def test_deleting_a_set_forgets_its_destinations(ses: Any) -> None:
    ses.create_configuration_set(ConfigurationSetName="short-lived")
    ses.create_configuration_set_event_destination(
        ConfigurationSetName="short-lived", EventDestinationName="m", EventDestination=_metrics()
    )
    ses.delete_configuration_set(ConfigurationSetName="short-lived")
    ses.create_configuration_set(ConfigurationSetName="short-lived")  # the same name again
    try:
        assert (
            ses.get_configuration_set_event_destinations(ConfigurationSetName="short-lived")[
                "EventDestinations"
            ]
            == []
        )
    finally:
        ses.delete_configuration_set(ConfigurationSetName="short-lived")


# -- CloudFormation ----------------------------------------------------------------------------


def _template(set_name: str, destination: str, types: list[str], **set_properties: Any) -> str:
    return json.dumps(
        {
            "Resources": {
                "Set": {
                    "Type": "AWS::SES::ConfigurationSet",
                    "Properties": {"Name": set_name, **set_properties},
                },
                "Metrics": {
                    "Type": "AWS::SES::ConfigurationSetEventDestination",
                    "Properties": {
                        "ConfigurationSetName": {"Ref": "Set"},
                        "EventDestination": {
                            "Name": destination,
                            "Enabled": "true",
                            "MatchingEventTypes": types,
                            "CloudWatchDestination": {
                                "DimensionConfigurations": [
                                    {
                                        "DimensionName": "campaign",
                                        "DimensionValueSource": "messageTag",
                                        "DefaultDimensionValue": "none",
                                    }
                                ]
                            },
                        },
                    },
                },
            }
        }
    )


def _stack(cloudformation: Any, name: str) -> dict[str, Any]:
    stack: dict[str, Any] = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    return stack


def _destinations(ses: Any, set_name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ses.get_configuration_set_event_destinations(
        ConfigurationSetName=set_name
    )["EventDestinations"]
    return found


def test_cloudformation_creates_updates_replaces_and_deletes(aws: LocalAws, ses: Any) -> None:
    import boto3

    cloudformation = boto3.client("cloudformation", **aws.client_arguments())
    options = {
        "ReputationOptions": {"ReputationMetricsEnabled": "true"},
        "SendingOptions": {"SendingEnabled": "false"},
        "DeliveryOptions": {"TlsPolicy": "REQUIRE", "MaxDeliverySeconds": "300"},
    }
    cloudformation.create_stack(
        StackName="cfn-ses",
        TemplateBody=_template("cfn-set", "metrics", ["send", "renderingFailure"], **options),
    )
    assert _stack(cloudformation, "cfn-ses")["StackStatus"] == "CREATE_COMPLETE"
    shown = ses.get_configuration_set(ConfigurationSetName="cfn-set")
    assert shown["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert shown["SendingOptions"] == {"SendingEnabled": False}
    assert shown["DeliveryOptions"]["MaxDeliverySeconds"] == 300
    (destination,) = _destinations(ses, "cfn-set")
    assert destination == {
        "Name": "metrics",
        "Enabled": True,
        "MatchingEventTypes": ["SEND", "RENDERING_FAILURE"],
        "CloudWatchDestination": {
            "DimensionConfigurations": [
                {
                    "DimensionName": "campaign",
                    "DimensionValueSource": "MESSAGE_TAG",
                    "DefaultDimensionValue": "none",
                }
            ]
        },
    }
    resources = cloudformation.describe_stack_resources(StackName="cfn-ses")["StackResources"]
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    assert ids == {"Set": "cfn-set", "Metrics": "cfn-set|metrics"}

    # new event types, same names: updated in place; new set options, destinations kept
    cloudformation.update_stack(
        StackName="cfn-ses", TemplateBody=_template("cfn-set", "metrics", ["bounce"])
    )
    assert _stack(cloudformation, "cfn-ses")["StackStatus"] == "UPDATE_COMPLETE"
    assert [d["MatchingEventTypes"] for d in _destinations(ses, "cfn-set")] == [["BOUNCE"]]
    shown = ses.get_configuration_set(ConfigurationSetName="cfn-set")
    assert shown["ReputationOptions"]["ReputationMetricsEnabled"] is False
    assert shown["SendingOptions"] == {"SendingEnabled": True}

    # a new destination name replaces the destination
    cloudformation.update_stack(
        StackName="cfn-ses", TemplateBody=_template("cfn-set", "renamed", ["bounce"])
    )
    assert [d["Name"] for d in _destinations(ses, "cfn-set")] == ["renamed"]

    # a new set name replaces the set (and its destination goes with the new one)
    cloudformation.update_stack(
        StackName="cfn-ses", TemplateBody=_template("cfn-set-2", "renamed", ["bounce"])
    )
    assert _stack(cloudformation, "cfn-ses")["StackStatus"] == "UPDATE_COMPLETE"
    sets = [s for s in ses.list_configuration_sets()["ConfigurationSets"] if s.startswith("cfn-")]
    assert sets == ["cfn-set-2"]
    assert [d["Name"] for d in _destinations(ses, "cfn-set-2")] == ["renamed"]

    cloudformation.delete_stack(StackName="cfn-ses")
    assert not [
        s for s in ses.list_configuration_sets()["ConfigurationSets"] if s.startswith("cfn-")
    ]


@pytest.mark.parametrize(
    ("set_name", "reason"),
    [
        ("bad name", "Configuration set name 'bad name' must be 1 to 64 ASCII letters"),
        ("taken", "Configuration set <taken> already exists."),
    ],
)
def test_cloudformation_refuses_what_ses_refuses(
    aws: LocalAws, ses: Any, set_name: str, reason: str
) -> None:
    import boto3

    cloudformation = boto3.client("cloudformation", **aws.client_arguments())
    ses.create_configuration_set(ConfigurationSetName="taken")
    stack = f"refused-{set_name.replace(' ', '-')}"
    try:
        try:
            cloudformation.create_stack(
                StackName=stack, TemplateBody=_template(set_name, "metrics", ["send"])
            )
        except ClientError as error:  # refused at once
            assert reason in str(error)
            return
        status = _stack(cloudformation, stack)
        assert status["StackStatus"] != "CREATE_COMPLETE"
        events = cloudformation.describe_stack_events(StackName=stack)["StackEvents"]
        assert any(reason in (e.get("ResourceStatusReason") or "") for e in events), events
    finally:
        ses.delete_configuration_set(ConfigurationSetName="taken")
        if stack in [s["StackName"] for s in cloudformation.list_stacks()["StackSummaries"]]:
            cloudformation.delete_stack(StackName=stack)


def test_an_eventbridge_destination_without_a_bus_is_refused_not_a_crash(aws: LocalAws) -> None:
    import boto3

    cloudformation = boto3.client("cloudformation", **aws.client_arguments())
    template = {
        "Resources": {
            "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "no-bus"}},
            "Bus": {
                "Type": "AWS::SES::ConfigurationSetEventDestination",
                "Properties": {
                    "ConfigurationSetName": {"Ref": "Set"},
                    "EventDestination": {
                        "Name": "bus",
                        "Enabled": True,
                        "MatchingEventTypes": ["send"],
                        "EventBridgeDestination": {},
                    },
                },
            },
        }
    }
    cloudformation.create_stack(StackName="NoBus", TemplateBody=json.dumps(template))
    assert _stack(cloudformation, "NoBus")["StackStatus"] == "ROLLBACK_COMPLETE"
    events = cloudformation.describe_stack_events(StackName="NoBus")["StackEvents"]
    (failed,) = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed["LogicalResourceId"] == "Bus"
    assert failed["ResourceStatusReason"] == (
        "BadRequestException: SES publishes only to the default event bus, not None."
    )
    cloudformation.delete_stack(StackName="NoBus")


def test_deleting_a_destination_where_none_was_ever_made_is_not_found() -> None:
    """An account and Region where no destination was ever stored: the set's destination is
    not found (404), as anywhere else."""
    from moto.ses.models import ses_backends

    from ses_events.local_aws.ses import SesError, delete_destination

    account, region = "111122223333", "af-south-1"
    ses_backends[account][region].create_configuration_set("lonely")
    with pytest.raises(SesError) as caught:
        delete_destination(account, region, "lonely", "d")
    assert (caught.value.error_type, caught.value.code) == ("NotFoundException", 404)
    assert caught.value.message == (
        "Event destination d does not exist in configuration set lonely."
    )


def test_a_set_made_again_after_moto_resets_has_no_old_destinations() -> None:
    """moto's state goes with each ``mock_aws``; the destinations the local SES keeps must not
    outlive it (they did: a later test's set of the same name had another test's archive)."""
    import boto3
    from moto import mock_aws

    from ses_events.local_aws import install

    install()
    arguments = {
        "region_name": "me-south-1",
        "aws_access_key_id": "x",
        "aws_secret_access_key": "x",
    }
    for round_ in range(2):
        with mock_aws():
            client = boto3.client("sesv2", **arguments)
            client.create_configuration_set(ConfigurationSetName="again")
            assert _destinations(client, "again") == [], f"round {round_}"
            client.create_configuration_set_event_destination(
                ConfigurationSetName="again", EventDestinationName="m", EventDestination=_metrics()
            )


def test_v1_sends_through_an_unknown_or_a_paused_set_are_refused_with_the_v1_codes(
    aws: LocalAws, ses: Any
) -> None:
    """SES API v1 (SendEmail, SendRawEmail with the set in a header) answers with its own codes:
    ConfigurationSetDoesNotExist, ConfigurationSetSendingPausedException."""
    import boto3

    v1 = boto3.client("ses", **aws.client_arguments())
    v1.verify_email_identity(EmailAddress="v1@example.com")
    message: dict[str, Any] = {
        "Source": "v1@example.com",
        "Destination": {"ToAddresses": ["success@simulator.amazonses.com"]},
        "Message": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}},
    }

    def raw(name: str) -> dict[str, Any]:
        text = (
            "From: v1@example.com\nTo: success@simulator.amazonses.com\n"
            f"X-SES-CONFIGURATION-SET: {name}\nSubject: s\n\nb\n"
        )
        return {"RawMessage": {"Data": text}}

    missing = ("ConfigurationSetDoesNotExist", "Configuration set <v1-nosuch> does not exist.")
    assert _refused(v1.send_email, ConfigurationSetName="v1-nosuch", **message) == missing
    assert _refused(v1.send_raw_email, **raw("v1-nosuch")) == missing
    ses.create_configuration_set(
        ConfigurationSetName="v1-paused", SendingOptions={"SendingEnabled": False}
    )
    paused = (
        "ConfigurationSetSendingPausedException",
        "Sending is paused for configuration set <v1-paused>.",
    )
    assert _refused(v1.send_email, ConfigurationSetName="v1-paused", **message) == paused
    assert _refused(v1.send_raw_email, **raw("v1-paused")) == paused
    ses.delete_configuration_set(ConfigurationSetName="v1-paused")
    ses.create_configuration_set(ConfigurationSetName="v1-open")  # sending enabled: it sends
    assert v1.send_email(ConfigurationSetName="v1-open", **message)["MessageId"]
    assert v1.send_raw_email(**raw("v1-open"))["MessageId"]
    ses.delete_configuration_set(ConfigurationSetName="v1-open")


# -- found by the local SES mutation run (scripts/mutation.sh local-ses) ----------------------------


def _status(call: Any, **arguments: Any) -> int:
    with pytest.raises(ClientError) as caught:
        call(**arguments)
    status: int = caught.value.response["ResponseMetadata"]["HTTPStatusCode"]
    return status


def test_what_is_not_there_is_answered_404(ses: Any, a_set: str) -> None:
    """NotFoundException is HTTP 404 in the SES API v2 reference (BadRequest 400)."""
    assert (
        _status(ses.get_configuration_set_event_destinations, ConfigurationSetName="nosuch") == 404
    )
    assert (
        _status(
            ses.update_configuration_set_event_destination,
            ConfigurationSetName=a_set,
            EventDestinationName="never-made",
            EventDestination=_metrics(),
        )
        == 404
    )
    assert (
        _status(
            ses.delete_configuration_set_event_destination,
            ConfigurationSetName=a_set,
            EventDestinationName="never-made",
        )
        == 404
    )


def test_fields_left_out_are_read_as_ses_reads_them(aws: LocalAws, a_set: str) -> None:
    """boto3 checks required fields itself; a client that does not (parameter validation off, as
    other SDKs and raw HTTP are) gets SES's answers: a dimension without a name or a default is
    refused, one without a source is a message tag, and a destination without Enabled is
    disabled."""
    import boto3
    from botocore.config import Config

    raw = boto3.client("sesv2", config=Config(parameter_validation=False), **aws.client_arguments())

    def create(name: str, **destination: Any) -> Any:
        return raw.create_configuration_set_event_destination(
            ConfigurationSetName=a_set,
            EventDestinationName=name,
            EventDestination={"MatchingEventTypes": ["SEND"], **destination},
        )

    def dimension(**given: str) -> dict[str, Any]:
        return {"CloudWatchDestination": {"DimensionConfigurations": [given]}}

    assert _refused(
        create,
        name="no-name",
        **dimension(DimensionValueSource="MESSAGE_TAG", DefaultDimensionValue="x"),
    ) == ("BadRequestException", f"dimensions[0].name '' {rules.DIMENSION_NAME.violation('')}.")
    assert _refused(
        create,
        name="no-default",
        **dimension(DimensionName="campaign", DimensionValueSource="MESSAGE_TAG"),
    ) == (
        "BadRequestException",
        f"dimensions[0].default_value '' {rules.DIMENSION_DEFAULT_VALUE.violation('')}.",
    )
    # "From" is refused as an email header only: without a source it is a message tag
    create("no-source", **dimension(DimensionName="From", DefaultDimensionValue="x"))
    found = {
        d["Name"]: d
        for d in raw.get_configuration_set_event_destinations(ConfigurationSetName=a_set)[
            "EventDestinations"
        ]
    }
    assert found["no-source"]["Enabled"] is False


def test_deleting_a_set_drops_its_destinations_from_the_store(ses: Any, aws: LocalAws) -> None:
    from ses_events.local_aws import ses as local_ses

    ses.create_configuration_set(ConfigurationSetName="dropped")
    ses.create_configuration_set_event_destination(
        ConfigurationSetName="dropped", EventDestinationName="m", EventDestination=_metrics()
    )
    assert "dropped" in local_ses._DESTINATIONS[(aws.account, aws.region)]
    ses.delete_configuration_set(ConfigurationSetName="dropped")
    assert "dropped" not in local_ses._DESTINATIONS[(aws.account, aws.region)]
