"""EventPublishingConfigurationSet: every property, and the checks before anything is built."""

from __future__ import annotations

import pytest
from aws_cdk import Duration, Environment, Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Match, Template

from ses_events import render, rules
from ses_events.constructs import EventPublishingConfigurationSet
from ses_events.errors import SesEventsValidationError
from ses_events.model import SetModel, SetOptions
from ses_events.spec import SpecError, parse_spec
from tests.conftest import new_app


def test_defaults_set_reputation_metrics_and_sending_explicitly(stack: Stack) -> None:
    cs = EventPublishingConfigurationSet(stack, "Marketing")
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "Name": "Marketing",  # the construct id when no name is given
            "ReputationOptions": {"ReputationMetricsEnabled": True},
            "SendingOptions": {"SendingEnabled": True},
        },
    )
    assert cs.configuration_set_name == "Marketing"
    assert (
        "configuration-set/Marketing" in stack.resolve(cs.configuration_set_arn)["Fn::Join"][1][-1]
    )


def test_every_property_reaches_the_template(stack: Stack, json_snapshot) -> None:  # type: ignore[no-untyped-def]
    EventPublishingConfigurationSet(
        stack,
        "Marketing",
        configuration_set_name="marketing",
        tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
        sending_pool_name="dedicated-pool",
        max_delivery_duration=Duration.hours(4),
        reputation_metrics=False,
        sending_enabled=False,
        suppression_reasons=ses.SuppressionReasons.COMPLAINTS_ONLY,
        validation_threshold=ses.AutoValidationThreshold.MANAGED,
        custom_tracking_redirect_domain="click.example.com",
        custom_tracking_https_policy=ses.HttpsPolicy.REQUIRE_OPEN_ONLY,
        engagement_metrics=True,
        optimized_shared_delivery=False,
        archive_arn="arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-0123456789abcdefghijklmn",
        tags={"team": "growth", "cost-centre": "42"},
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "Name": "marketing",
            "DeliveryOptions": {
                "TlsPolicy": "REQUIRE",
                "SendingPoolName": "dedicated-pool",
                "MaxDeliverySeconds": 14400,
            },
            "ReputationOptions": {"ReputationMetricsEnabled": False},
            "SendingOptions": {"SendingEnabled": False},
            "SuppressionOptions": {
                "SuppressedReasons": ["COMPLAINT"],
                "ValidationOptions": {
                    "ConditionThreshold": {
                        "ConditionThresholdEnabled": "ENABLED",
                        "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "MANAGED"},
                    }
                },
            },
            "TrackingOptions": {
                "CustomRedirectDomain": "click.example.com",
                "HttpsPolicy": "REQUIRE_OPEN_ONLY",
            },
            "VdmOptions": {
                "DashboardOptions": {"EngagementMetrics": "ENABLED"},
                "GuardianOptions": {"OptimizedSharedDelivery": "DISABLED"},
            },
            "ArchivingOptions": {
                "ArchiveArn": "arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-0123456789abcdefghijklmn"
            },
            "Tags": Match.array_with(
                [{"Key": "cost-centre", "Value": "42"}, {"Key": "team", "Value": "growth"}]
            ),
        },
    )
    assert template.to_json() == json_snapshot


def test_suppression_list_can_be_disabled_and_validation_turned_off(stack: Stack) -> None:
    EventPublishingConfigurationSet(
        stack, "Tx", disable_suppression_list=True, disable_validation=True
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "SuppressionOptions": {
                "SuppressedReasons": [],
                "ValidationOptions": {
                    "ConditionThreshold": {"ConditionThresholdEnabled": "DISABLED"}
                },
            }
        },
    )


@pytest.mark.parametrize("name", ["has space", "x" * 65, "", "dots.are.not.ok"])
def test_bad_names_are_refused_with_path_field_value_and_rule(stack: Stack, name: str) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        EventPublishingConfigurationSet(stack, "Marketing", configuration_set_name=name)
    message = str(caught.value)
    assert "Test/Marketing" in message
    assert f"configuration_set_name = {name!r}" in message
    assert "1 to 64 ASCII letters, digits, '_' or '-'" in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("duration", "seconds"), [(Duration.seconds(299), "299"), (Duration.hours(15), "54000")]
)
def test_max_delivery_out_of_range(stack: Stack, duration: Duration, seconds: str) -> None:
    with pytest.raises(
        SesEventsValidationError,
        match=rf"max_delivery_duration = '{seconds} seconds': must be 300 to 50400 seconds",
    ):
        EventPublishingConfigurationSet(stack, "Tx", max_delivery_duration=duration)


@pytest.mark.parametrize("duration", [Duration.seconds(300), Duration.seconds(50400)])
def test_max_delivery_bounds_are_accepted(stack: Stack, duration: Duration) -> None:
    EventPublishingConfigurationSet(stack, "Tx", max_delivery_duration=duration)


def test_conflicting_options_are_all_reported_at_once(stack: Stack) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        EventPublishingConfigurationSet(
            stack,
            "Tx",
            configuration_set_name="bad name",
            disable_suppression_list=True,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_ONLY,
            disable_validation=True,
            validation_threshold=ses.AutoValidationThreshold.HIGH,
        )
    fields = [p.field for p in caught.value.problems]
    assert fields == ["configuration_set_name", "suppression_reasons", "validation_threshold"]


@pytest.mark.parametrize(
    ("options", "conflicts"),
    [
        (SetOptions(), []),
        # each pair: both set is refused, either one alone is not
        (SetOptions(disable_suppression_list=True, suppression_reasons=("BOUNCE",)), ["reasons"]),
        (SetOptions(disable_suppression_list=True, suppression_reasons=()), ["reasons"]),
        (SetOptions(disable_suppression_list=True), []),
        (SetOptions(suppression_reasons=("BOUNCE",)), []),
        (SetOptions(validation_enabled=False, validation_threshold="HIGH"), ["threshold"]),
        (SetOptions(validation_enabled=True, validation_threshold="HIGH"), []),
        (SetOptions(validation_enabled=None, validation_threshold="HIGH"), []),
        (SetOptions(validation_enabled=False), []),
        (SetOptions(https_policy="REQUIRE"), ["https"]),
        (SetOptions(https_policy="REQUIRE", custom_redirect_domain="t.example.com"), []),
        (SetOptions(custom_redirect_domain="t.example.com"), []),
    ],
)
def test_options_that_contradict_each_other(options: SetOptions, conflicts: list[str]) -> None:
    found = rules.set_option_problems(options, lambda option: f"<{option}>")
    short = {"suppression_reasons": "reasons", "validation_threshold": "threshold"}
    assert [short.get(option, "https") for option, _ in found] == conflicts
    # the rule names the other option in the caller's spelling
    for option, rule in found:
        other = {
            "suppression_reasons": "<disable_suppression_list>",
            "validation_threshold": "<validation_enabled>",
            "https_policy": "<custom_redirect_domain>",
        }[option]
        assert other in rule


def test_the_spec_reports_contradicting_options_with_its_own_field_names() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(
            {
                "configuration_sets": [
                    {
                        "name": "news",
                        "suppression": {
                            "reasons": ["BOUNCE"],
                            "disable_account_list": True,
                            "validation": {"enabled": False, "confidence_threshold": "HIGH"},
                        },
                    }
                ]
            }
        )
    found = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert found == [
        (
            "configuration_sets[0].suppression.reasons",
            ["BOUNCE"],
            "cannot be set while suppression.disable_account_list turns the account's"
            " suppression list off",
        ),
        (
            "configuration_sets[0].suppression.validation.confidence_threshold",
            "HIGH",
            "cannot be set while suppression.validation.enabled turns Auto Validation off",
        ),
    ]


@pytest.mark.parametrize(
    "options",
    [
        SetOptions(),
        SetOptions(
            tls_policy="REQUIRE",
            sending_pool_name="pool",
            max_delivery_seconds=900,
            suppression_reasons=("BOUNCE", "COMPLAINT"),
            validation_enabled=True,
            validation_threshold="MANAGED",
            custom_redirect_domain="t.example.com",
            https_policy="REQUIRE_OPEN_ONLY",
            engagement_metrics=True,
            optimized_shared_delivery=False,
            archive_arn="arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-0123456789abcdef0123456789",
            tags=(("a", "1"), ("team", "growth")),
        ),
        SetOptions(suppression_reasons=("COMPLAINT",), validation_enabled=False),
        SetOptions(disable_suppression_list=True, tls_policy="OPTIONAL"),
    ],
)
def test_a_set_built_from_a_model_has_the_models_options(options: SetOptions) -> None:
    model = SetModel("news", reputation_metrics=False, sending_enabled=False, options=options)
    stack = Stack(new_app(), "S")
    built = EventPublishingConfigurationSet.from_model(stack, "news", model)
    assert built.options == options
    assert built.configuration_set_name == "news"
    (resource,) = Template.from_stack(stack).find_resources("AWS::SES::ConfigurationSet").values()
    assert resource["Properties"] == render.configuration_set(model)


def test_the_set_is_an_aws_ses_configuration_set_named_by_its_ref(stack: Stack) -> None:
    made = EventPublishingConfigurationSet(stack, "M", configuration_set_name="marketing")
    handle = made.configuration_set
    ref = {"Ref": stack.get_logical_id(made.cfn_configuration_set)}
    assert stack.resolve(handle.configuration_set_name) == ref
    assert stack.resolve(handle.configuration_set_ref.configuration_set_name) == ref
    # where aws-cdk-lib's L2 stood: the resource keeps its path, hence its logical id
    assert made.cfn_configuration_set.node.path == f"{stack.node.id}/M/Resource/Resource"
    assert handle.node.default_child is made.cfn_configuration_set
    assert made.node.default_child is handle
    # and aws-cdk-lib takes it where it takes a configuration set
    ses.EmailIdentity(
        stack, "Id", identity=ses.Identity.domain("example.com"), configuration_set=handle
    )
    (identity,) = Template.from_stack(stack).find_resources("AWS::SES::EmailIdentity").values()
    assert identity["Properties"]["ConfigurationSetAttributes"] == {"ConfigurationSetName": ref}


def test_the_same_name_twice_in_one_app_is_refused() -> None:
    app = new_app()
    EventPublishingConfigurationSet(Stack(app, "One"), "A", configuration_set_name="marketing")
    with pytest.raises(SesEventsValidationError) as caught:
        EventPublishingConfigurationSet(Stack(app, "Two"), "B", configuration_set_name="marketing")
    message = str(caught.value)
    assert "Two/B" in message and "already used by One/A" in message


def test_the_same_name_in_two_regions_is_allowed() -> None:
    app = new_app()
    for region in ("eu-west-1", "us-east-1"):
        stack = Stack(app, f"S-{region}", env=Environment(account="123456789012", region=region))
        EventPublishingConfigurationSet(stack, "A", configuration_set_name="marketing")


def test_names_are_tracked_per_app() -> None:
    for _ in range(2):
        EventPublishingConfigurationSet(
            Stack(new_app(), "S"), "A", configuration_set_name="marketing"
        )


def test_app_wide_registries_live_on_the_tree_not_in_module_globals() -> None:
    """Names claimed per environment are kept on the app's root (as aws-cdk-lib keeps shared
    state on the tree): two apps in one process never see each other's, one app still refuses
    a repeated name, and no module of the constructs holds a registry of its own."""
    import ast
    from pathlib import Path

    from aws_cdk import Stack

    from ses_events.constructs import ConfigurationSetAlarms, EventPublishingConfigurationSet
    from ses_events.constructs.tree_state import tree_state_if_any
    from ses_events.errors import SesEventsValidationError
    from tests.conftest import new_app

    first, second = new_app(), new_app()
    for app in (first, second):
        cs = EventPublishingConfigurationSet(Stack(app, "S"), "M", configuration_set_name="m")
        ConfigurationSetAlarms(cs, "Alarms", configuration_set=cs, prefix="mail")
    names = tree_state_if_any(first, "configuration_set_names")
    assert isinstance(names, dict) and list(names) == [("m", "*/*")]
    assert "mail-m-bounce-rate-critical" in str(tree_state_if_any(first, "alarm_names"))
    with pytest.raises(SesEventsValidationError, match="already used"):
        EventPublishingConfigurationSet(Stack(first, "T"), "M", configuration_set_name="m")
    package = Path(__file__).parents[1] / "ses_events" / "constructs"
    for source in package.glob("*.py"):
        for node in ast.parse(source.read_text()).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                text = ast.unparse(node)
                assert "WeakKeyDictionary" not in text and "ClassVar" not in text, (source, text)


def test_no_module_reaches_into_another_modules_private_members() -> None:
    """Constructs and stacks use each other through public members and small interfaces
    (ses_events.constructs.interfaces), never ``other._private`` of another module."""
    import ast
    from pathlib import Path

    root = Path(__file__).parents[1] / "ses_events"
    found = []
    for folder in ("constructs", "stacks"):
        for source in sorted((root / folder).glob("*.py")):
            tree = ast.parse(source.read_text())
            own = {
                node.attr
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                    and node.attr not in own
                ):
                    found.append(f"{source.name}:{node.lineno} {ast.unparse(node)}")
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "ses_events"
                ):
                    found += [
                        f"{source.name}:{node.lineno} imports {node.module}.{alias.name}"
                        for alias in node.names
                        if alias.name.startswith("_")
                    ]
    assert found == []


def test_the_construct_modules_import_each_other_without_a_circle() -> None:
    """Destinations, metrics and alarms depend on small interfaces, not on each other in a
    circle (type-checking imports included)."""
    import ast
    from graphlib import CycleError, TopologicalSorter
    from pathlib import Path

    package = Path(__file__).parents[1] / "ses_events" / "constructs"
    graph: dict[str, set[str]] = {}
    for source in package.glob("*.py"):
        if source.name == "__init__.py":
            continue
        imported = graph.setdefault(source.stem, set())
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "ses_events.constructs."
            ):
                imported.add(node.module.rsplit(".", 1)[1])  # type: ignore[union-attr]
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:  # pragma: no cover - the failure message names the circle
        raise AssertionError(f"import circle: {cycle.args[1]}") from None
    assert order.index("interfaces") < order.index("metrics") < order.index("configuration_set")
