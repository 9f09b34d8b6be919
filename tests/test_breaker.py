"""The breaker (issue 21, point 3): a tenant's critical alarm pauses that tenant, through an
EventBridge rule of its own and a Step Functions state machine that may change only the tenants
(and sets) it guards; SES's own sending-status events reach the alarm topic."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
import yaml
from aws_cdk import App, Stack, Token
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk.assertions import Annotations, Match, Template

from ses_events import SesEventsValidationError
from ses_events.constructs import (
    BreakerGuard,
    ReputationBreaker,
    Tenant,
    TenantAlarms,
)
from ses_events.rules import breaker as breaker_rules
from ses_events.spec import EXAMPLE_SPEC, SpecError, guarded_sets, guarded_tenants, parse_spec
from ses_events.stacks import SesEventPublishingStack
from ses_events.stacks.layout import plan_layout

EXAMPLE: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text())


def _data(**monitoring: Any) -> dict[str, Any]:
    """The example, the breaker off unless ``monitoring`` turns it on."""
    data = copy.deepcopy(EXAMPLE)
    data["monitoring"].update({"breaker": False, **monitoring})
    return data


def test_the_example_guards_its_tenants() -> None:
    spec = parse_spec(EXAMPLE)
    assert spec.monitoring.breaker is True
    assert guarded_tenants(spec) == ["acme", "globex"]
    assert guarded_sets(spec) == []  # a spec with tenants guards its tenants, not its sets


def _template(data: dict[str, Any]) -> Template:
    return Template.from_stack(SesEventPublishingStack(App(), "SesEvents", spec=parse_spec(data)))


@pytest.fixture(scope="module")
def guarded() -> Template:
    """The example with the breaker on for every tenant."""
    return _template(_data(breaker=True))


def _tenant_ids(template: Template) -> dict[str, str]:
    return {
        r["Properties"]["TenantName"]: logical_id
        for logical_id, r in template.find_resources("AWS::SES::Tenant").items()
    }


def _alarm_ids(template: Template) -> dict[str, str]:
    return {
        r["Properties"]["AlarmName"]: logical_id
        for logical_id, r in template.find_resources("AWS::CloudWatch::Alarm").items()
    }


def _breaker_rules(template: Template) -> list[dict[str, Any]]:
    return [
        r["Properties"]
        for r in template.find_resources("AWS::Events::Rule").values()
        if r["Properties"]["EventPattern"].get("source") == ["aws.cloudwatch"]
    ]


def _input(rule: dict[str, Any]) -> str:
    (target,) = rule["Targets"]
    parts = target["InputTransformer"]["InputTemplate"]["Fn::Join"][1]
    return "".join(p if isinstance(p, str) else json.dumps(p) for p in parts)


def _role_statements(template: Template, action: str) -> list[dict[str, Any]]:
    found = []
    for policy in template.find_resources("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            if action in (actions if isinstance(actions, list) else [actions]):
                found.append(statement)
    return found


# -- the rules: each tenant's own alarms, in ALARM ---------------------------------------------


def test_each_guarded_tenant_has_a_rule_on_exactly_its_critical_alarms(guarded: Template) -> None:
    alarms = _alarm_ids(guarded)
    tenants = _tenant_ids(guarded)
    rules = _breaker_rules(guarded)
    assert len(rules) == 2
    by_tenant = {}
    for rule in rules:
        pattern = rule["EventPattern"]
        assert pattern["detail-type"] == ["CloudWatch Alarm State Change"]
        assert pattern["detail"] == {"state": {"value": ["ALARM"]}}
        watched = sorted(r["Fn::GetAtt"][0] for r in pattern["resources"])
        text = _input(rule)
        (name,) = [n for n in tenants if f'"name":"{n}"' in text]
        by_tenant[name] = (watched, text)
    for name in ("acme", "globex"):
        watched, text = by_tenant[name]
        assert watched == sorted(
            [
                alarms[f"ses-events-tenant-{name}-bounce-rate-critical"],
                alarms[f"ses-events-tenant-{name}-complaint-rate-critical"],
            ]
        )
        # the state machine is told which tenant (its ARN, of this tenant), which alarm and why
        assert '"kind":"tenant"' in text
        assert json.dumps({"Fn::GetAtt": [tenants[name], "Arn"]}) in text
        assert '"alarm":<detail-alarmName>' in text
        assert '"reason":<detail-state-reason>' in text
        assert f"ses-events tenant reinstate {name}" in text


def test_the_state_machine_pauses_the_tenant_with_the_sdk_integration(guarded: Template) -> None:
    (machine,) = guarded.find_resources("AWS::StepFunctions::StateMachine").values()
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    definition = json.loads("".join(p if isinstance(p, str) else "X" for p in parts))
    pause = definition["States"]["PauseTenant"]
    assert pause["Resource"].endswith(
        ":states:::aws-sdk:sesv2:updateReputationEntityCustomerManagedStatus"
    )
    assert pause["Parameters"] == {
        "ReputationEntityType": "RESOURCE",
        "ReputationEntityReference.$": "$.arn",
        "SendingStatus": "DISABLED",
    }
    # a failed pause is told too, and the execution fails (it is never silent)
    assert pause["Catch"][0]["Next"] == "TellFailure"
    assert definition["States"]["NotPaused"]["Type"] == "Fail"
    tell = definition["States"]["Tell"]
    assert tell["Resource"].endswith(":states:::sns:publish")
    assert "$.name" in tell["Parameters"]["Message.$"]
    assert "$.reason" in tell["Parameters"]["Message.$"]
    # the record: a standard state machine (execution history), logging every execution
    assert machine["Properties"]["StateMachineType"] == "STANDARD"
    assert machine["Properties"]["LoggingConfiguration"]["Level"] == "ALL"
    assert machine["Properties"]["LoggingConfiguration"]["IncludeExecutionData"] is True
    group_id = machine["Properties"]["LoggingConfiguration"]["Destinations"][0][
        "CloudWatchLogsLogGroup"
    ]["LogGroupArn"]["Fn::GetAtt"][0]
    group = guarded.to_json()["Resources"][group_id]
    assert group["DeletionPolicy"] == "Retain"
    assert group["Properties"]["RetentionInDays"] == 365


def test_the_state_machine_may_change_exactly_the_guarded_tenants() -> None:
    data = _data(breaker=False)
    data["tenants"][1]["breaker"] = True  # globex only
    template = _template(data)
    tenants = _tenant_ids(template)
    (statement,) = _role_statements(template, breaker_rules.PAUSE_TENANT_ACTION)
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == {"Fn::GetAtt": [tenants["globex"], "Arn"]}
    assert statement["Action"] == "ses:UpdateReputationEntityCustomerManagedStatus"
    assert not _role_statements(template, breaker_rules.PAUSE_SET_ACTION)
    (rule,) = _breaker_rules(template)
    assert '"name":"globex"' in _input(rule)


def test_both_roles_trust_their_service_for_this_account_only(guarded: Template) -> None:
    trusted = {}
    for role in guarded.find_resources("AWS::IAM::Role").values():
        (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        trusted[statement["Principal"]["Service"]] = statement.get("Condition")
    for service in ("states.amazonaws.com", "events.amazonaws.com"):
        assert trusted[service] == {
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
        }
    (start,) = _role_statements(guarded, "states:StartExecution")
    (machine_id,) = guarded.find_resources("AWS::StepFunctions::StateMachine")
    assert start["Resource"] == {"Ref": machine_id}


def test_no_breaker_unless_asked() -> None:
    template = _template(_data())
    template.resource_count_is("AWS::StepFunctions::StateMachine", 0)
    assert _breaker_rules(template) == []


# -- accounts without tenants: the set is paused ----------------------------------------------


def test_without_tenants_the_breaker_pauses_each_set() -> None:
    data = _data(breaker=True)
    del data["tenants"]
    data["configuration_sets"][1]["monitoring"]["breaker"] = False  # transactional opts out
    template = _template(data)
    (statement,) = _role_statements(template, breaker_rules.PAUSE_SET_ACTION)
    assert statement["Resource"] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":ses:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":configuration-set/marketing",
            ],
        ]
    }
    assert not _role_statements(template, breaker_rules.PAUSE_TENANT_ACTION)
    (rule,) = _breaker_rules(template)
    alarms = _alarm_ids(template)
    assert sorted(r["Fn::GetAtt"][0] for r in rule["EventPattern"]["resources"]) == sorted(
        [
            alarms["ses-events-marketing-bounce-rate-critical"],
            alarms["ses-events-marketing-complaint-rate-critical"],
        ]
    )
    assert '"kind":"configuration set"' in _input(rule)
    # without tenants, there is no SES sending-status rule
    assert len(template.find_resources("AWS::Events::Rule")) == 1


def test_a_spec_with_tenants_guards_no_set_unless_the_set_asks() -> None:
    data = _data(breaker=True)
    template = _template(data)
    assert not _role_statements(template, breaker_rules.PAUSE_SET_ACTION)
    data["configuration_sets"][0]["monitoring"]["breaker"] = True
    assert _role_statements(_template(data), breaker_rules.PAUSE_SET_ACTION)


# -- what the spec refuses --------------------------------------------------------------------


def _problems(data: dict[str, Any]) -> list[tuple[str, Any, str]]:
    with pytest.raises(SpecError) as caught:
        parse_spec(data)
    return [(p.field, p.value, p.rule) for p in caught.value.problems]


def test_a_guarded_tenant_needs_its_own_alarms() -> None:
    ((field, value, rule),) = _problems(_data(breaker=True, tenants="fleet"))[:1]
    assert field == "monitoring.breaker"
    assert value is True
    assert "tenant 'acme'" in rule
    assert "monitoring.tenants must be per_tenant, not fleet" in rule
    data = _data(tenants="none")
    data["tenants"][1]["breaker"] = True
    assert [p[0] for p in _problems(data)] == ["tenants[1].breaker"]


def test_a_guarded_set_needs_a_rate_alarm() -> None:
    data = _data()
    del data["tenants"]
    data["configuration_sets"][1]["monitoring"] = {
        "alarms": ["rendering_failures"],
        "breaker": True,
    }
    ((field, value, rule),) = _problems(data)
    assert field == "configuration_sets[1].monitoring.breaker"
    assert value is True
    assert "bounce_rate or complaint_rate alarm" in rule
    data["configuration_sets"][1]["monitoring"]["alarms"] = ["complaint_rate"]
    parse_spec(data)  # one of the two is enough


def test_the_breaker_needs_monitoring() -> None:
    ((field, value, rule),) = _problems(_data(breaker=True, enabled=False))
    assert (field, value) == ("monitoring.enabled", False)
    assert rule == (
        "the breaker needs the alarms it watches: enable monitoring, or turn the breaker off"
    )


def test_a_set_guarded_by_the_default_is_named_by_the_default() -> None:
    data = _data(breaker=True)
    del data["tenants"]
    data["configuration_sets"][1]["monitoring"] = {"alarms": ["rendering_failures"]}
    ((field, value, rule),) = _problems(data)
    assert (field, value) == ("monitoring.breaker", True)
    assert rule == (
        "pausing configuration set 'transactional' needs its bounce_rate or complaint_rate alarm"
        " (the breaker watches their critical level): give the set reputation metrics and one"
        " of those alarms"
    )


# -- SES's own sending-status events --------------------------------------------------------


def test_ses_sending_status_events_reach_the_topic_from_this_rule_only(guarded: Template) -> None:
    (_rule_id, rule), *more = [
        (k, r)
        for k, r in guarded.find_resources("AWS::Events::Rule").items()
        if r["Properties"]["EventPattern"]["source"] == ["aws.ses"]
    ]
    assert more == []
    properties = rule["Properties"]
    assert properties["Name"] == "ses-events-ses-sending-status"
    assert properties["EventPattern"]["detail-type"] == [
        "Sending Status Enabled",
        "Sending Status Disabled",
    ]
    (topic_id,) = guarded.find_resources(
        "AWS::SNS::Topic", {"Properties": {"DisplayName": "SES alarms ses-events"}}
    )
    assert properties["Targets"][0]["Arn"] == {"Ref": topic_id}
    expected_arn = {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":events:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":rule/ses-events-ses-sending-status",
            ],
        ]
    }
    conditions = {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnEquals": {"aws:SourceArn": expected_arn},
    }
    (policy,) = guarded.find_resources(
        "AWS::SNS::TopicPolicy", {"Properties": {"Topics": [{"Ref": topic_id}]}}
    ).values()
    events_statements = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]
    assert len(events_statements) == 1  # aws-cdk-lib's unconditioned statement is not added
    assert events_statements[0]["Condition"] == conditions
    assert events_statements[0]["Action"] == "sns:Publish"
    (key,) = guarded.find_resources(
        "AWS::KMS::Key", {"Properties": {"Description": Match.string_like_regexp("alarm topic")}}
    ).values()
    key_statements = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]
    assert [s["Condition"] for s in key_statements] == [conditions]


def test_no_sending_status_rule_without_tenants() -> None:
    data = _data()
    del data["tenants"]
    _template(data).resource_count_is("AWS::Events::Rule", 0)


def test_an_imported_topic_is_warned_about() -> None:
    data = _data()
    data["monitoring"]["notifications"] = {"topic_arn": "arn:aws:sns:eu-west-1:123456789012:ops"}
    stack = SesEventPublishingStack(App(), "SesEvents", spec=parse_spec(data))
    warnings = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(".*"))
    texts = [str(w.entry.data) for w in warnings]
    assert any("ses-events-ses-sending-status" in t and "cannot change" in t for t in texts)


# -- the layout counts it ---------------------------------------------------------------------


@pytest.mark.parametrize("tenants", [True, False])
def test_the_layout_counts_the_breaker_exactly(tenants: bool) -> None:
    """The budget that fits the template exactly keeps one stack; one less does not."""
    data = _data(breaker=True)
    if not tenants:
        del data["tenants"]
    count = len(_template(data).to_json()["Resources"])
    data["layout"] = {"max_resources_per_stack": count}
    assert len(plan_layout(parse_spec(data)).parts) == 1
    data["layout"] = {"max_resources_per_stack": count - 1}
    try:
        layout = plan_layout(parse_spec(data))
    except SesEventsValidationError:
        return  # refused: fine, it did not fit
    assert len(layout.parts) == 2


# -- the construct on its own -----------------------------------------------------------------


def _stack() -> Stack:
    return Stack(App(), "S", env={"account": "123456789012", "region": "eu-west-1"})


def _alarm(stack: Stack, name: str) -> cloudwatch.IAlarm:
    return cloudwatch.Alarm.from_alarm_arn(
        stack, name, f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}"
    )


def test_the_construct_guards_an_imported_tenant() -> None:
    stack = _stack()
    arn = "arn:aws:ses:eu-west-1:123456789012:tenant/acme/tn-0123"
    ReputationBreaker(
        stack, "B", guards=[BreakerGuard.tenant("acme", arn, [_alarm(stack, "acme-critical")])]
    )
    template = Template.from_stack(stack)
    (statement,) = _role_statements(template, breaker_rules.PAUSE_TENANT_ACTION)
    assert statement["Resource"] == arn
    # no topic: nothing publishes
    assert not _role_statements(template, "sns:Publish")


def test_the_construct_refuses_what_it_cannot_guard() -> None:
    stack = _stack()
    alarm = _alarm(stack, "a")
    with pytest.raises(SesEventsValidationError) as caught:
        ReputationBreaker(
            stack,
            "B",
            guards=[
                BreakerGuard.tenant(Token.as_string({"Ref": "Name"}), "arn:x", [alarm]),
                BreakerGuard.tenant("bad name", "arn:x", [alarm]),
                BreakerGuard.tenant("acme", "arn:x", []),
                BreakerGuard.tenant("acme", "arn:x", [alarm]),
            ],
        )
    text = str(caught.value)
    assert "S/B (breaker)" in text
    assert "guards[0].name" in text and "must be known at synth" in text
    assert "guards[1].name = 'bad name'" in text
    assert "guards[2].alarms" in text and "at least one alarm" in text
    assert "guards[3].name = 'acme'" in text and "guarded twice" in text
    with pytest.raises(SesEventsValidationError, match="at least one tenant"):
        ReputationBreaker(_stack(), "B", guards=[])


def _pattern_size(names: list[str]) -> int:
    """The pattern's characters as EventBridge counts them, with the longest ARN prefix."""
    from ses_events.constructs.breaker import _ALARM_ARN_OVERHEAD, _pattern_shape

    return len(_pattern_shape()) + sum(len(n) + _ALARM_ARN_OVERHEAD for n in names)


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_a_pattern_is_at_most_2048_characters(extra: int, refused: bool) -> None:
    stack = _stack()
    base = _pattern_size(["a" * 200] * 6)
    # six alarms, the last one's name padded to reach exactly 2,048 (+ extra)
    names = ["a" * 200] * 5 + [
        "a" * (200 + breaker_rules.MAX_EVENT_PATTERN_CHARACTERS - base + extra)
    ]
    assert _pattern_size(names) == breaker_rules.MAX_EVENT_PATTERN_CHARACTERS + extra
    alarms = [_alarm(stack, f"{i}{n[1:]}") for i, n in enumerate(names)]
    guard = BreakerGuard.tenant("acme", "arn:x", alarms)
    if refused:
        with pytest.raises(SesEventsValidationError, match="over EventBridge's 2048"):
            ReputationBreaker(stack, "B", guards=[guard])
    else:
        ReputationBreaker(stack, "B", guards=[guard])


def test_tenant_alarms_and_tenant_work_with_the_breaker_in_a_plain_stack() -> None:
    stack = _stack()
    tenant = Tenant(stack, "Acme", tenant_name="acme")
    alarms = TenantAlarms(stack, "AcmeAlarms", tenant_name="acme", prefix="mail")
    breaker = ReputationBreaker(
        stack, "B", guards=[BreakerGuard.tenant("acme", tenant.tenant_arn, alarms.critical)]
    )
    assert set(breaker.rules) == {(breaker.guards[0].kind, "acme")}
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Events::Rule", 1)


@pytest.mark.parametrize(("length", "cut"), [(45, False), (46, True), (100, True)])
def test_the_sending_status_rule_name_fits_eventbridge(length: int, cut: bool) -> None:
    """45 + '-ses-sending-status' (19) is exactly 64; one more is cut and hashed, stably."""
    from ses_events.rules.breaker import ses_status_rule_name

    prefix = "p" * length
    name = ses_status_rule_name(prefix)
    assert len(name) <= 64
    assert re.fullmatch(r"[.\-_A-Za-z0-9]+", name)
    assert name.endswith("-ses-sending-status")
    if cut:
        assert name != prefix + "-ses-sending-status"
        assert name == ses_status_rule_name(prefix)  # stable
        assert name != ses_status_rule_name(prefix[:-1] + "q")  # the prefix's own
        assert len(name) == 64
    else:
        assert name == prefix + "-ses-sending-status"
