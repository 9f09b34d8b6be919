"""SES tenants as code (issue 21, part 1): the rules at their limits, the spec's ``tenants``, the
``Tenant`` construct on its own and with tokens, and the stack that builds a spec's tenants."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from aws_cdk import App, CfnParameter, Fn, Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Template

from ses_events import SesEventsValidationError, rules
from ses_events.constructs import (
    EventPublishingConfigurationSet,
    ReputationPolicy,
    Tenant,
    TenantSuppressionScope,
)
from ses_events.constructs import tenant as tenant_module
from ses_events.spec import EXAMPLE_SPEC, SpecError, parse_spec
from ses_events.stacks import SesEventPublishingStack
from ses_events.stacks.layout import TENANT_RESOURCES, plan_layout, tenant_homes
from tests.test_layout import _spec

EXAMPLE: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text())
VALIDATED = {"@aws-cdk/core:validateAgainstDefaultRules": True}


def _problems(error: SesEventsValidationError) -> list[tuple[str, object, str]]:
    return [(p.field, p.value, p.rule) for p in error.problems]


def _set_id(template: Template, name: str) -> str:
    sets = template.find_resources("AWS::SES::ConfigurationSet", {"Properties": {"Name": name}})
    (logical_id,) = sets
    return str(logical_id)


def _tenants(template: Template) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources("AWS::SES::Tenant")
    return found


# -- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("a" * 64, True),
        ("Acme_Corp-2", True),
        ("a" * 65, False),
        ("", False),
        ("acme\n", False),
        ("acme corp", False),
        ("acmé", False),
        ("acme.corp", False),
    ],
)
def test_tenant_names_follow_ses(name: str, ok: bool) -> None:
    assert (rules.TENANT_NAME.violation(name) is None) is ok


def test_a_resource_list_takes_names_or_ses_arns_each_once() -> None:
    arn = "arn:aws:ses:eu-west-1:123456789012:identity/example.com"
    assert rules.resource_problems("identities", ["example.com", arn], rules.IDENTITY_NAME) == []
    assert rules.resource_problems(
        "identities",
        ["news@example.com", "bad name", "arn:aws:s3:::bucket", "news@example.com"],
        rules.IDENTITY_NAME,
    ) == [
        (
            "identities[1]",
            "bad name",
            "must be an email address or a domain name (an SES identity), or its ARN (pattern "
            + rules.IDENTITY_NAME.pattern
            + ")",
        ),
        ("identities[2]", "arn:aws:s3:::bucket", rules.SES_ARN.violation("arn:aws:s3:::bucket")),
        ("identities[3]", "news@example.com", "is listed twice in identities"),
    ]
    # a token is left to CloudFormation, and what follows it is still checked
    token = "${Token[X.1]}"
    assert rules.resource_problems(
        "templates", [token, "bad name", token], rules.TEMPLATE_NAME, undecided=lambda v: v == token
    ) == [("templates[1]", "bad name", rules.TEMPLATE_NAME.violation("bad name"))]


def test_suppression_reasons_and_scopes_are_sess() -> None:
    assert rules.suppression_problems([], "ACCOUNT") == []
    assert rules.suppression_problems(["BOUNCE", "COMPLAINT"], "TENANT") == []
    assert rules.suppression_problems(["bounce"], "tenant") == [
        ("suppression.reasons[0]", "bounce", "must be one of BOUNCE, COMPLAINT"),
        ("suppression.scope", "tenant", "must be one of ACCOUNT, TENANT"),
    ]


# -- the spec -------------------------------------------------------------------------------------


def _with_tenants(*tenants: dict[str, Any], **spec: Any) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    document.update(spec)
    document["tenants"] = list(tenants)
    return document


def test_the_spec_reads_tenants() -> None:
    spec = parse_spec(
        _with_tenants(
            {
                "name": "acme",
                "configuration_sets": ["marketing", "transactional"],
                "identities": ["example.com", "arn:aws:ses:eu-west-1:123456789012:identity/x.com"],
                "templates": ["welcome"],
                "reputation_policy": "strict",
                "suppression": {"reasons": ["BOUNCE"], "scope": "TENANT"},
                "tags": {"customer": "acme"},
            },
            {"name": "globex", "configuration_sets": ["marketing"]},  # sets may be shared
        )
    )
    acme, globex = spec.tenants
    assert acme.configuration_sets == ["marketing", "transactional"]
    assert acme.suppression is not None and acme.suppression.scope == "TENANT"
    assert acme.association_count() == 5
    assert globex.reputation_policy is None and globex.suppression is None


def test_a_tenant_naming_what_the_spec_lacks_is_refused_with_the_path() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(
            _with_tenants(
                {"name": "acme", "configuration_sets": ["marketing", "nosuch", "marketing"]},
                {"name": "acme", "identities": ["not an identity"], "templates": ["a", "a"]},
            )
        )
    problems = _problems(caught.value)
    assert (
        "tenants[0].configuration_sets[1]",
        "nosuch",
        "must name a configuration set of this spec (marketing, transactional)",
    ) in problems
    assert (
        "tenants[0].configuration_sets",
        "marketing",
        "is listed twice in configuration_sets",
    ) in problems
    assert ("tenants[0].name", "acme", "tenant names must be unique") in problems
    assert "tenants[1].identities[0]" in [f for f, _, _ in problems]
    assert ("tenants[1].templates[1]", "a", "is listed twice in templates") in problems
    # a field that breaks its own rule is refused before the checks across the spec
    with pytest.raises(SpecError) as caught:
        parse_spec(_with_tenants({"name": "bad name"}))
    ((field, value, rule),) = _problems(caught.value)
    assert (field, value) == ("tenants[0].name", "bad name")
    assert rules.TENANT_NAME.violation("bad name") in rule  # type: ignore[operator]


@pytest.mark.parametrize("count", [49, 50, 51])
def test_a_tenant_has_at_most_50_tags_with_the_stacks(count: int) -> None:
    document = _with_tenants(
        {"name": "acme", "tags": {f"k{n}": "v" for n in range(count - 1)}}, tags={"stack": "x"}
    )
    if count <= 50:
        assert len(parse_spec(document).tenants[0].tags) == count - 1
        return
    with pytest.raises(SpecError) as caught:
        parse_spec(document)
    assert ("tenants[0].tags", "51 tags", "AWS allows at most 50 tags per resource") in _problems(
        caught.value
    )


@pytest.mark.parametrize(
    ("tenant", "place"),
    [
        ({"name": "a", "reputation_policy": "lax"}, "tenants[0].reputation_policy"),
        ({"name": "a", "suppression": {"reasons": ["SPAM"]}}, "tenants[0].suppression.reasons[0]"),
        (
            {"name": "a", "suppression": {"reasons": [], "scope": "ORG"}},
            "tenants[0].suppression.scope",
        ),
        ({"name": "a", "other": 1}, "tenants[0].other"),
        ({"name": "a", "configuration_sets": "marketing"}, "tenants[0].configuration_sets"),
    ],
)
def test_a_tenant_field_of_the_wrong_kind_is_refused_at_its_place(
    tenant: dict[str, Any], place: str
) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(_with_tenants(tenant))
    assert place in [p.field for p in caught.value.problems]


# -- the construct --------------------------------------------------------------------------------


def test_a_tenant_renders_every_property_and_waits_for_its_sets() -> None:
    app = App(context=VALIDATED)
    stack = Stack(app, "Tenants")
    mail = EventPublishingConfigurationSet(stack, "AcmeMail", configuration_set_name="acme-mail")
    tenant = Tenant(
        stack,
        "Acme",
        tenant_name="acme",
        configuration_sets=[mail, "shared-set"],
        identities=[
            "acme.example.com",
            ses.EmailIdentity.from_email_identity_name(stack, "Id", "news@acme.example.com"),
        ],
        templates=["welcome", "arn:aws:ses:eu-west-1:123456789012:template/receipt"],
        resource_arns=["arn:aws:ses:eu-west-1:123456789012:custom/thing"],
        reputation_policy=ReputationPolicy.STRICT,
        suppression_reasons=["BOUNCE", "COMPLAINT"],
        suppression_scope=TenantSuppressionScope.TENANT,
        tags={"customer": "acme"},
    )
    app.synth()  # aws-cdk-lib's own template validation passes (see the construct's note)
    ((logical_id, resource),) = _tenants(Template.from_stack(stack)).items()
    properties = stack.resolve(resource["Properties"])
    assert properties["TenantName"] == "acme"
    arns = [stack.resolve(a["ResourceArn"]) for a in properties["ResourceAssociations"]]

    def formatted(kind: str, name: str) -> Any:
        return {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":ses:",
                    {"Ref": "AWS::Region"},
                    ":",
                    {"Ref": "AWS::AccountId"},
                    f":{kind}/{name}",
                ],
            ]
        }

    assert arns == [
        formatted("configuration-set", "acme-mail"),
        formatted("configuration-set", "shared-set"),
        formatted("identity", "acme.example.com"),
        formatted("identity", "news@acme.example.com"),
        formatted("template", "welcome"),
        "arn:aws:ses:eu-west-1:123456789012:template/receipt",
        "arn:aws:ses:eu-west-1:123456789012:custom/thing",
    ]
    assert properties["ReputationEntity"] == {
        "Policy": {
            "ReputationEntityPolicy": {
                "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:aws:reputation-policy/strict"
            }
        }
    }
    assert properties["SuppressionAttributes"] == {
        "SuppressedReasons": ["BOUNCE", "COMPLAINT"],
        "SuppressionScope": "TENANT",
    }
    assert properties["Tags"] == [{"Key": "customer", "Value": "acme"}]
    assert resource["DependsOn"] == [_set_id(Template.from_stack(stack), "acme-mail")]
    assert stack.resolve(tenant.tenant_arn) == {"Fn::GetAtt": [logical_id, "Arn"]}
    assert tenant.tenant_name == "acme"


def test_a_tenant_with_only_a_name_has_no_other_property() -> None:
    stack = Stack(App(), "Tenants")
    Tenant(stack, "Bare", tenant_name="bare")
    ((_, resource),) = _tenants(Template.from_stack(stack)).items()
    assert resource["Properties"] == {"TenantName": "bare"}
    assert "DependsOn" not in resource


def test_suppression_reasons_alone_take_the_account_scope() -> None:
    stack = Stack(App(), "Tenants")
    Tenant(stack, "T", tenant_name="t", suppression_reasons=[])
    ((_, resource),) = _tenants(Template.from_stack(stack)).items()
    assert resource["Properties"]["SuppressionAttributes"] == {
        "SuppressedReasons": [],
        "SuppressionScope": "ACCOUNT",
    }


def test_tokens_reach_the_template_as_references() -> None:
    stack = Stack(App(), "Tenants")
    name = CfnParameter(stack, "TenantName")
    policy = CfnParameter(stack, "Policy")
    imported = Fn.import_value("shared-set-name")
    Tenant(
        stack,
        "FromParameters",
        tenant_name=name.value_as_string,
        configuration_sets=[
            ses.ConfigurationSet.from_configuration_set_name(stack, "Set", imported)
        ],
        templates=[CfnParameter(stack, "Template").value_as_string],
        reputation_policy=policy.value_as_string,
        tags={"customer": name.value_as_string},
    )
    ((_, resource),) = _tenants(Template.from_stack(stack)).items()
    properties = resource["Properties"]
    assert properties["TenantName"] == {"Ref": "TenantName"}
    assert properties["ReputationEntity"]["Policy"]["ReputationEntityPolicy"] == {
        "Fn::Sub": [
            "arn:${AWS::Partition}:ses:${AWS::Region}:aws:reputation-policy/${Policy}",
            {"Policy": {"Ref": "Policy"}},
        ]
    }
    joined = [a["ResourceArn"]["Fn::Join"][1] for a in properties["ResourceAssociations"]]
    assert {"Fn::ImportValue": "shared-set-name"} in joined[0]
    assert {"Ref": "Template"} in joined[1]
    assert properties["Tags"] == [{"Key": "customer", "Value": {"Ref": "TenantName"}}]


def test_bad_input_names_the_construct_the_field_the_value_and_the_rule() -> None:
    stack = Stack(App(), "Tenants")
    with pytest.raises(SesEventsValidationError) as caught:
        Tenant(
            stack,
            "Bad",
            tenant_name="bad name",
            identities=["not an identity"],
            templates=["a", "a"],
            resource_arns=["arn:nope"],
            reputation_policy="lax",
            suppression_reasons=["SPAM"],
            suppression_scope="ORG",
            tags={"aws:x": "y"},
        )
    assert caught.value.where == "Tenants/Bad (tenant 'bad name')"
    problems = _problems(caught.value)
    assert [f for f, _, _ in problems] == [
        "tenant_name",
        "identities",
        "templates[1]",
        "resource_arns[0]",
        "reputation_policy",
        "suppression.reasons[0]",
        "suppression.scope",
        "tags['aws:x']",
    ]
    assert (
        "reputation_policy",
        "lax",
        "must be one of none, standard, strict (SES's managed policies)",
    ) in problems
    assert not stack.node.try_find_child("Bad")  # nothing was built


def test_without_cfn_tenant_the_raw_resource_renders_the_same_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def build() -> dict[str, Any]:
        app = App(context=VALIDATED)
        stack = Stack(app, "Tenants")
        Tenant(
            stack,
            "Acme",
            tenant_name="acme",
            configuration_sets=["acme-mail"],
            reputation_policy="standard",
            suppression_reasons=["BOUNCE"],
            tags={"customer": "acme"},
        )
        app.synth()
        return Template.from_stack(stack).to_json()

    with_l1 = build()
    monkeypatch.setattr(tenant_module, "_CFN_TENANT", None)
    without = build()
    assert without == with_l1
    assert isinstance(tenant_module._CFN_TENANT, type(None))


# -- the stack and the layout ------------------------------------------------------------------


def test_the_stack_builds_each_tenant_with_its_sets() -> None:
    spec = parse_spec(
        _with_tenants(
            {"name": "acme", "configuration_sets": ["marketing"], "identities": ["example.com"]},
            {"name": "globex", "configuration_sets": ["transactional", "marketing"]},
            {"name": "solo"},
        )
    )
    app = App(context=VALIDATED)
    stack = SesEventPublishingStack(app, "SesEvents", spec=spec)
    app.synth()
    assert sorted(stack.tenants) == ["acme", "globex", "solo"]
    template = Template.from_stack(stack)
    tenants = {r["Properties"]["TenantName"]: r for r in _tenants(template).values()}
    assert tenants["acme"]["DependsOn"] == [_set_id(template, "marketing")]
    assert len(tenants["globex"]["Properties"]["ResourceAssociations"]) == 2
    assert "ResourceAssociations" not in tenants["solo"]["Properties"]


def test_a_tenant_of_plain_sets_built_in_bulk_waits_for_them() -> None:
    document = _spec(["plain-a", "plain-b"])
    document["monitoring"] = {"enabled": False}
    document["tenants"] = [{"name": "acme", "configuration_sets": ["plain-a"]}]
    stack = SesEventPublishingStack(App(), "Plain", spec=parse_spec(document))
    assert stack.plain_sets is not None and not stack.configuration_sets
    ((_, resource),) = _tenants(Template.from_stack(stack)).items()
    (depends,) = resource["DependsOn"]
    included = Template.from_stack(stack).find_resources("AWS::SES::ConfigurationSet")
    assert included[depends]["Properties"]["Name"] == "plain-a"


def test_tenants_count_in_the_layout_with_their_first_set() -> None:
    names = [f"tenant-{n:03d}" for n in range(40)]
    without = plan_layout(parse_spec(_spec(names)))
    document = _spec(names)
    document["tenants"] = [{"name": f"t{n}", "configuration_sets": [n]} for n in names]
    with_tenants = plan_layout(parse_spec(document))
    # 7 resources a set before, 8 with its tenant: fewer sets fit in a stack of 120
    assert len(with_tenants.parts[0]) < len(without.parts[0])
    stacks = [
        SesEventPublishingStack(
            App(), f"S{number}", spec=parse_spec(document), part=number, configuration_sets=part
        )
        for number, part in enumerate(with_tenants.parts, start=1)
    ]
    for stack, part in zip(stacks, with_tenants.parts, strict=True):
        assert sorted(stack.tenants) == sorted(f"t{n}" for n in part)


def test_tenants_without_a_set_count_in_the_first_stack() -> None:
    names = [f"tenant-{n:03d}" for n in range(14)]  # fits one stack of 120: 14 x 7 + shared
    document = _spec(names)
    assert len(plan_layout(parse_spec(document)).parts) == 1
    document["tenants"] = [{"name": f"bare-{n}"} for n in range(10)]
    assert len(plan_layout(parse_spec(document)).parts) == 2


def test_tenants_sharing_a_first_set_each_count_with_it() -> None:
    document = _spec(["set-a", "set-b"])
    document["tenants"] = [
        {"name": "one", "configuration_sets": ["set-a"]},
        {"name": "two", "configuration_sets": ["set-a", "set-b"]},
        {"name": "three", "configuration_sets": ["set-b"]},
        {"name": "bare"},
    ]
    assert tenant_homes(parse_spec(document)) == {
        "set-a": 2 * TENANT_RESOURCES,
        "set-b": TENANT_RESOURCES,
        None: TENANT_RESOURCES,
    }


def test_set_less_tenants_load_the_first_stack_when_every_set_is_recorded_elsewhere() -> None:
    """The first stack holds the tenants without a set even when the layout file put every set
    in another stack: they count against its budget there."""
    document = _spec(["set-a"])
    document["tenants"] = [{"name": f"bare-{n}"} for n in range(10)]
    assert plan_layout(parse_spec(document), {"set-a": 2}).parts == ((), ("set-a",))
    budget = parse_spec(document).layout.max_resources_per_stack
    document["tenants"] = [{"name": f"bare-{n}"} for n in range(budget + 1)]
    with pytest.raises(SesEventsValidationError) as caught:
        plan_layout(parse_spec(document), {"set-a": 2})
    ((field, value),) = [(p.field, p.value) for p in caught.value.problems]
    assert field == "layout" and value.startswith("stack 1: ")


def test_a_tenant_whose_sets_are_in_two_stacks_is_refused() -> None:
    document = _spec(["set-a", "set-b"])
    document["tenants"] = [{"name": "acme", "configuration_sets": ["set-a", "set-b"]}]
    spec = parse_spec(document)
    with pytest.raises(SesEventsValidationError) as caught:
        SesEventPublishingStack(App(), "First", spec=spec, configuration_sets=["set-a"])
    assert caught.value.where == "First"
    assert _problems(caught.value) == [
        (
            "tenants[0].configuration_sets[1]",
            "set-b",
            "is in another stack than the tenant 'acme': a tenant is built in one stack with all"
            " its sets (list sets of one stack; the layout file says which stack holds which set"
            " and tenant)",
        )
    ]
    second = SesEventPublishingStack(
        App(), "Second", spec=spec, configuration_sets=["set-b"], part=2
    )
    assert second.tenants == {}  # the tenant's first set is not here: nor is the tenant


def test_the_layout_counts_exactly_the_tenants_each_stack_gets(tmp_path: Any) -> None:
    from ses_events.stacks.app import build_app
    from ses_events.stacks.layout import tenant_homes
    from tests.conftest import new_app
    from tests.test_layout import _estimate

    names = [f"tenant-{n:03d}" for n in range(30)]
    document = _spec(names)
    document["tenants"] = [
        *({"name": f"t{n}", "configuration_sets": [n]} for n in names[::2]),
        {"name": "pair", "configuration_sets": [names[1]]},
        *({"name": f"bare-{n}"} for n in range(3)),
    ]
    spec_path = tmp_path / "tenants.yaml"
    spec_path.write_text(yaml.safe_dump(document))
    spec = parse_spec(document)
    layout = plan_layout(spec)
    assert len(layout.parts) >= 2
    app = new_app(
        outdir=str(tmp_path / "out"),
        **{"ses-events:spec": str(spec_path), "ses-events:new-layout": "true"},
    )
    stacks = build_app(app)
    assembly = app.synth()
    homes = tenant_homes(spec)
    for number, (stack, part_names) in enumerate(zip(stacks, layout.parts, strict=True), 1):
        part = _estimate(spec, number, list(part_names))
        template = assembly.get_stack_by_name(stack.stack_name).template
        assert part.load() == len(template["Resources"]), number
        built = [r for r in template["Resources"].values() if r["Type"] == "AWS::SES::Tenant"]
        expected = sum(homes.get(n, 0) for n in part_names) + (
            homes.get(None, 0) if number == 1 else 0
        )
        assert part.tenants == expected
        assert len(built) == expected
