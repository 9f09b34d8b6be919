"""Least privilege at any number of sets: exact aws:SourceArn lists as long as each policy's size
limit allows, a visible warning where the wildcard remains, the alarm key's conditions
(issue: nothing lost, nothing let in)."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match, Template

from ses_events import rules
from ses_events.constructs import (
    AlarmTopic,
    EventPublishingConfigurationSet,
    FirehoseEventArchive,
    FirehoseEventDestination,
    SnsEventDestination,
    SnsEventTopic,
)
from ses_events.constructs.event_destination import ConfigurationSetSources


def _names(count: int, length: int = 64) -> list[str]:
    return [f"{n:04d}".ljust(length, "x") for n in range(count)]


def _fits(room: int, length: int = 64) -> int:
    """How many sets with names of ``length`` characters fit in ``room``."""
    return room // rules.source_arn_characters("x" * length)


def _source_arns(statement: dict[str, Any]) -> list[Any]:
    arns: list[Any] = statement["Condition"]["ArnLike"]["aws:SourceArn"]
    return arns


def _ses_statement(document: dict[str, Any]) -> dict[str, Any]:
    return next(
        s for s in document["Statement"] if s.get("Principal") == {"Service": "ses.amazonaws.com"}
    )


def _warnings(stack: Stack) -> list[Any]:
    found: list[Any] = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("do not fit in")
    )
    return found


def test_the_arn_room_counts_the_longest_arn() -> None:
    longest = "arn:aws-us-gov:ses:ap-southeast-5:123456789012:configuration-set/" + "x" * 64
    assert rules.source_arn_characters("x" * 64) == len(json.dumps(longest)) + 1  # and a comma
    # the rooms leave space for the rest of each policy under its limit
    assert rules.TRUST_POLICY_ARN_ROOM + 400 <= rules.MAX_TRUST_POLICY_CHARACTERS
    assert rules.SNS_TOPIC_POLICY_ARN_ROOM + 4_000 <= rules.MAX_SNS_TOPIC_POLICY_BYTES
    assert rules.KMS_KEY_POLICY_ARN_ROOM + 4_000 <= rules.MAX_KMS_KEY_POLICY_BYTES


def test_sources_list_exactly_up_to_the_room_and_one_more_is_a_wildcard() -> None:
    from aws_cdk import App, CfnWaitConditionHandle

    room = 10 * rules.source_arn_characters("a" * 10)
    for extra, wildcard in ((0, False), (1, True)):  # exactly at the room, one set past it
        stack = Stack(App(), "Test")
        CfnWaitConditionHandle(stack, "Something")  # a template needs a resource
        sources = ConfigurationSetSources(stack, room=room, policy="a test policy")
        names = _names(10, 10) + ["one-more-xx"] * extra  # 11 characters: past the room
        for name in names:
            sources.add_arn(name, f"arn:{name}")
        assert sources.wildcard is wildcard
        resolved = json.dumps(stack.resolve(sources.arns))
        if wildcard:
            assert resolved.endswith(':configuration-set/*"]]}]')
            (warning,) = _warnings(stack)
            assert "11 configuration sets do not fit in a test policy" in str(warning.entry.data)
        else:
            assert json.loads(resolved) == [f"arn:{n}" for n in names]
            assert _warnings(stack) == []


def _ses_role_trust(template: Template) -> dict[str, Any]:
    (role,) = [
        r
        for r in template.find_resources("AWS::IAM::Role").values()
        if "ses.amazonaws.com" in json.dumps(r["Properties"]["AssumeRolePolicyDocument"])
    ]
    statement: dict[str, Any] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    return statement


def test_the_role_trust_switches_at_its_room_while_the_topic_keeps_the_exact_list() -> None:
    from aws_cdk import App

    count = _fits(rules.TRUST_POLICY_ARN_ROOM)
    for total in (count, count + 1):
        stack = Stack(App(), "Test")
        archive = FirehoseEventArchive(stack, "Archive")
        topic = SnsEventTopic(stack, "Topic")
        for number, name in enumerate(_names(total)):
            cs = EventPublishingConfigurationSet(stack, f"Set{number}", configuration_set_name=name)
            FirehoseEventDestination(
                stack, f"ToArchive{number}", configuration_set=cs, archive=archive
            )
            SnsEventDestination(stack, f"ToTopic{number}", configuration_set=cs, event_topic=topic)
        template = Template.from_stack(stack)
        trust = _ses_role_trust(template)
        assert trust["Condition"]["StringEquals"] == {
            "aws:SourceAccount": {"Ref": "AWS::AccountId"}
        }
        (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
        assert len(_source_arns(_ses_statement(policy["Properties"]["PolicyDocument"]))) == total
        if total == count:
            assert len(_source_arns(trust)) == count
            assert _warnings(stack) == []
        else:
            assert json.dumps(_source_arns(trust)).endswith(':configuration-set/*"]]}]')
            assert ["SES role's trust policy" in str(w.entry.data) for w in _warnings(stack)] == [
                True
            ]


def test_an_encrypted_topic_lists_its_sets_in_topic_and_key_policy_up_to_its_room(
    stack: Stack,
) -> None:
    from aws_cdk import aws_kms as kms

    key = kms.Key(stack, "Key", enable_key_rotation=True)
    topic = SnsEventTopic(stack, "Topic", encryption_key=key)
    count = _fits(rules.SNS_TOPIC_POLICY_ARN_ROOM)
    for name in _names(count):
        topic.sources.add_arn(name, f"arn:aws:ses:eu-west-1:123456789012:configuration-set/{name}")
    template = Template.from_stack(stack)
    (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
    assert len(_source_arns(_ses_statement(policy["Properties"]["PolicyDocument"]))) == count
    (key_resource,) = template.find_resources("AWS::KMS::Key").values()
    assert len(_source_arns(_ses_statement(key_resource["Properties"]["KeyPolicy"]))) == count
    # the whole policies stay under their limits with the longest names
    assert (
        len(json.dumps(policy["Properties"]["PolicyDocument"])) < rules.MAX_SNS_TOPIC_POLICY_BYTES
    )
    assert len(json.dumps(key_resource["Properties"]["KeyPolicy"])) < rules.MAX_KMS_KEY_POLICY_BYTES
    assert _warnings(stack) == []
    assert not topic.sources.wildcard
    topic.sources.add_arn("y" * 64, "arn:aws:ses:eu-west-1:123456789012:configuration-set/y")
    assert topic.sources.wildcard  # one past the room (checked in the template above)


def test_the_alarm_key_trusts_only_this_accounts_alarms_of_the_prefix(stack: Stack) -> None:
    AlarmTopic(stack, "Alarms", prefix="mail")
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    (statement,) = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}
    ]
    assert statement["Condition"]["StringEquals"] == {
        "aws:SourceAccount": {"Ref": "AWS::AccountId"}
    }
    assert ":alarm:mail-*" in json.dumps(statement["Condition"]["ArnLike"]["aws:SourceArn"])


def test_the_summary_names_the_policies_with_a_wildcard() -> None:
    from aws_cdk import App

    from ses_events.summary import summarize_template

    stack = Stack(App(), "Test")
    archive = FirehoseEventArchive(stack, "Archive")
    for number, name in enumerate(_names(_fits(rules.TRUST_POLICY_ARN_ROOM) + 1)):
        cs = EventPublishingConfigurationSet(stack, f"Set{number}", configuration_set_name=name)
        FirehoseEventDestination(stack, f"ToArchive{number}", configuration_set=cs, archive=archive)
    lines = summarize_template(Template.from_stack(stack).to_json())
    (line,) = [line for line in lines if "allow every configuration set" in line]
    assert "ArchiveSesRole" in line and "Topic" not in line


# -- the archive's retention (recipient addresses are personal data) ----------------------------


def _lifecycle(stack: Stack) -> list[dict[str, Any]]:
    (bucket,) = [
        b
        for b in Template.from_stack(stack).find_resources("AWS::S3::Bucket").values()
        if "LifecycleConfiguration" in b["Properties"]
    ]
    rules_: list[dict[str, Any]] = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    return rules_


def _used(stack: Stack, archive: FirehoseEventArchive) -> None:
    cs = EventPublishingConfigurationSet(stack, "Set")
    FirehoseEventDestination(stack, "ToArchive", configuration_set=cs, archive=archive)


def test_by_default_old_versions_expire_after_30_days_and_objects_stay(stack: Stack) -> None:
    _used(stack, FirehoseEventArchive(stack, "Archive"))
    (rule,) = _lifecycle(stack)
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    assert "ExpirationInDays" not in rule and "Transitions" not in rule


def test_retention_and_storage_classes_reach_the_bucket(stack: Stack) -> None:
    from aws_cdk import Duration

    archive = FirehoseEventArchive(
        stack,
        "Archive",
        expiration=Duration.days(400),
        noncurrent_version_expiration=Duration.days(7),
        infrequent_access_after=Duration.days(30),
        glacier_after=Duration.days(60),
    )
    _used(stack, archive)
    (rule,) = _lifecycle(stack)
    assert rule["ExpirationInDays"] == 400 and "ExpiredObjectDeleteMarker" not in rule
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 7}
    assert rule["Transitions"] == [
        {"StorageClass": "STANDARD_IA", "TransitionInDays": 30},
        {"StorageClass": "GLACIER_IR", "TransitionInDays": 60},
    ]


import pytest  # noqa: E402

from ses_events import SesEventsValidationError  # noqa: E402


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"infrequent_access_after": 29}, "must be 30 days or more"),
        ({"infrequent_access_after": 30, "glacier_after": 59}, "at least 30 days after"),
        ({"expiration": 60, "glacier_after": 60}, "must come before expiration"),
        ({"expiration": 0}, "must be 1 days or more"),
        ({"noncurrent_version_expiration": 1.5}, "whole number of days"),
    ],
)
def test_bad_retention_is_refused(stack: Stack, kwargs: dict[str, float], rule: str) -> None:
    from aws_cdk import Duration

    with pytest.raises(SesEventsValidationError, match=rule):
        FirehoseEventArchive(
            stack,
            "Archive",
            **{k: Duration.hours(v * 24) for k, v in kwargs.items()},  # type: ignore[arg-type]
        )


def test_the_spec_sets_retention_and_access_logs() -> None:
    from ses_events.spec import parse_spec
    from ses_events.stacks import SesEventPublishingStack
    from tests.conftest import new_app

    spec = parse_spec(
        {
            "archives": [
                {
                    "name": "default",
                    "retention": {"expire_after_days": 365, "infrequent_access_after_days": 30},
                    "access_logs_bucket": "my-access-logs",
                }
            ],
            "monitoring": {"enabled": False},
            "configuration_sets": [
                {"name": "a", "destinations": [{"name": "x", "type": "firehose"}]}
            ],
        }
    )
    stack = SesEventPublishingStack(new_app(), "S", spec=spec)
    (rule,) = _lifecycle(stack)
    assert rule["ExpirationInDays"] == 365
    assert rule["Transitions"] == [{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}]
    Template.from_stack(stack).has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LoggingConfiguration": {
                "DestinationBucketName": "my-access-logs",
                "LogFilePrefix": Match.any_value(),
            }
        },
    )


def test_event_topics_are_encrypted_unless_the_spec_says_no() -> None:
    from ses_events.spec import parse_spec

    data: dict[str, Any] = {
        "topics": [{"name": "a"}, {"name": "b", "encrypted": False}],
        "configuration_sets": [{"name": "s"}],
    }
    a, b = parse_spec(data).topics
    assert a.encrypted is True and b.encrypted is False


def test_the_error_log_group_can_be_encrypted_with_a_key_that_only_logs_may_use(
    stack: Stack,
) -> None:
    from aws_cdk import aws_kms as kms

    key = kms.Key(stack, "LogKey", enable_key_rotation=True)
    _used(stack, FirehoseEventArchive(stack, "Archive", log_encryption_key=key))
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::Logs::LogGroup", {"KmsKeyId": Match.any_value()})
    (key_resource,) = template.find_resources("AWS::KMS::Key").values()
    (statement,) = [
        s
        for s in key_resource["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == "AllowCloudWatchLogsForFirehoseErrorLogs"
    ]
    assert "logs." in json.dumps(statement["Principal"])
    assert ":log-group:*" in json.dumps(statement["Condition"]["ArnLike"])


def test_the_spec_refuses_retention_out_of_order() -> None:
    from ses_events.spec import parse_spec

    def spec(**retention: int) -> dict[str, Any]:
        return {"archives": [{"name": "default", "retention": retention}], "configuration_sets": []}

    parse_spec(spec(infrequent_access_after_days=30, glacier_after_days=60, expire_after_days=61))
    for retention, rule in (
        ({"infrequent_access_after_days": 29}, "greater than or equal to 30"),
        ({"infrequent_access_after_days": 30, "glacier_after_days": 59}, "at least 30 days after"),
        ({"expire_after_days": 60, "glacier_after_days": 60}, "must come before expiration"),
    ):
        with pytest.raises(SesEventsValidationError, match=rule) as caught:
            parse_spec(spec(**retention))
        assert "archives[0].retention" in str(caught.value)
