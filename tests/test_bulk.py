"""Plain sets built in bulk give the same template as built construct by construct."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from aws_cdk import Environment
from aws_cdk.assertions import Template

from ses_events.constructs import Tenant
from ses_events.render import logical_id
from ses_events.spec import parse_spec
from ses_events.stacks import SesEventPublishingStack
from ses_events.stacks.bulk import BULK_CONSTRUCT_ID, IncludedTenant, is_plain, is_plain_tenant
from tests.conftest import new_app

# Every option of a set, on one set or another (rendered by render.configuration_set both ways).
OPTIONS: list[dict[str, Any]] = [
    {},
    {
        "delivery": {
            "tls_policy": "REQUIRE",
            "sending_pool": "pool-1",
            "max_delivery_seconds": 300,
        },
        "archive_arn": "arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-0123456789abcdef0123456789",
    },
    {"suppression": {"reasons": ["COMPLAINT", "BOUNCE"], "validation": {"enabled": False}}},
    {
        "suppression": {
            "disable_account_list": True,
            "validation": {"confidence_threshold": "HIGH"},
        },
        "tracking": {"custom_redirect_domain": "t.example.com", "https_policy": "REQUIRE"},
    },
    {"vdm": {"engagement_metrics": True, "optimized_shared_delivery": False}},
    {"delivery": {"tls_policy": "OPTIONAL"}, "tracking": {"custom_redirect_domain": "x.example"}},
]

SPEC: dict[str, Any] = {
    "tags": {"project": "tenants"},
    "topics": [{"name": "events"}, {"name": "keyed", "encrypted": True}],
    "archives": [{"name": "default"}, {"name": "cold", "compression": "Snappy"}],
    "monitoring": {"fleet": True},
    "configuration_sets": [
        {
            "name": f"tenant-{n}",
            "reputation_metrics": n % 2 == 0,
            "sending_enabled": n != 3,
            **OPTIONS[n],
            "monitoring": {"alarms": [], "dashboard": False},
            "destinations": [
                {
                    "name": "metrics",
                    "type": "cloudwatch",
                    "event_types": ["send", "bounce", "renderingFailure"] if n == 1 else None,
                    "dimensions": [
                        {"name": "ses:configuration-set"},
                        {"name": "campaign", "default_value": "none"},
                        {"name": "X-Kind", "source": "email_header", "default_value": "other"},
                    ],
                },
                {"name": "archive", "type": "firehose", "archive": "cold" if n == 2 else "default"},
                {
                    "name": "alerts",
                    "type": "sns",
                    "topic": "keyed" if n else "events",
                    "enabled": n != 4,
                },
                {"name": "bus", "type": "eventbridge", "event_types": ["bounce"]},
            ],
        }
        for n in range(6)
    ],
}


# Every option of a tenant, on one tenant or another (rendered by render.tenant both ways).
TENANTS: list[dict[str, Any]] = [
    {"name": "bare"},
    {"name": "one", "configuration_sets": ["tenant-0"]},
    {
        "name": "many",
        "configuration_sets": ["tenant-2", "tenant-1"],
        "identities": [
            "mail.example.com",
            "news@example.com",
            "arn:aws:ses:eu-west-1:123456789012:identity/other.example",
        ],
        "templates": ["welcome", "arn:aws:ses:eu-west-1:123456789012:template/receipt"],
        "resource_arns": ["arn:aws:ses:eu-west-1:123456789012:dedicated-ip-pool/pool-1"],
        "reputation_policy": "strict",
    },
    {
        "name": "suppressed",
        "configuration_sets": ["tenant-1"],
        "suppression": {"reasons": ["BOUNCE"], "scope": "TENANT"},
        "reputation_policy": "none",
    },
    {"name": "empty-list", "suppression": {"reasons": []}},
]


def _resources(
    bulk: bool, *, env: Environment | None = None, tenants: bool = True
) -> dict[str, Any]:
    document = {**SPEC, "tenants": TENANTS} if tenants else SPEC
    stack = SesEventPublishingStack(
        new_app(), "Tenants", spec=parse_spec(document), bulk=bulk, env=env
    )
    assert (stack.plain_sets is not None) is bulk
    resources: dict[str, Any] = Template.from_stack(stack).to_json()["Resources"]
    return resources


def test_bulk_and_constructs_give_the_same_resources_and_logical_ids() -> None:
    by_construct, in_bulk = _resources(bulk=False), _resources(bulk=True)
    assert sorted(in_bulk) == sorted(by_construct)
    for logical, resource in by_construct.items():
        assert in_bulk[logical] == resource, logical
    # and the sets really came through the include, tags of the stack included
    kinds = [r["Type"] for r in in_bulk.values()]
    assert kinds.count("AWS::SES::Tenant") == len(TENANTS)
    assert kinds.count("AWS::SES::ConfigurationSet") == 6
    # four a set, and per-tenant monitoring's metrics destination on each tenant's set (0, 1, 2)
    assert kinds.count("AWS::SES::ConfigurationSetEventDestination") == 24 + 3
    # with their options (every CloudFormation property of a set is on one of them; Tags are
    # the stack's)
    sets = [r["Properties"] for r in in_bulk.values() if r["Type"] == "AWS::SES::ConfigurationSet"]
    written = {key for properties in sets for key in properties}
    assert written == {
        "Name",
        "ReputationOptions",
        "SendingOptions",
        "DeliveryOptions",
        "ArchivingOptions",
        "SuppressionOptions",
        "TrackingOptions",
        "VdmOptions",
        "Tags",
    }


@pytest.mark.parametrize(
    "env",
    [Environment(account="123456789012", region="eu-west-1"), Environment(region="us-east-1")],
    ids=["account-and-region", "region-only"],
)
def test_tenants_in_bulk_match_the_constructs_in_a_stack_with_an_environment(
    env: Environment,
) -> None:
    by_construct, in_bulk = _resources(bulk=False, env=env), _resources(bulk=True, env=env)
    tenants = {k: r for k, r in by_construct.items() if r["Type"] == "AWS::SES::Tenant"}
    assert len(tenants) == len(TENANTS)
    for logical, resource in tenants.items():
        assert in_bulk[logical] == resource, logical
    many = next(r for r in tenants.values() if r["Properties"]["TenantName"] == "many")
    associations = [a["ResourceArn"] for a in many["Properties"]["ResourceAssociations"]]
    if env.account:  # a stack with an account and Region writes its ARNs as text
        assert associations[0] == "arn:aws:ses:eu-west-1:123456789012:configuration-set/tenant-2"
    else:
        assert "Fn::Join" in associations[0]


def test_plain_tenants_go_in_bulk_and_the_others_as_constructs() -> None:
    document = {
        **SPEC,
        "tenants": [
            {"name": "plain", "configuration_sets": ["tenant-0"]},
            {"name": "tagged", "configuration_sets": ["tenant-0"], "tags": {"team": "a"}},
            {"name": "mixed", "configuration_sets": ["tenant-0", "alarmed"]},
        ],
        "configuration_sets": [
            *SPEC["configuration_sets"],
            {"name": "alarmed", "monitoring": {"dashboard": False}},
        ],
    }
    spec = parse_spec(document)
    plain = {cs.name for cs in spec.configuration_sets if is_plain(spec, cs)}
    assert [is_plain_tenant(t, plain) for t in spec.tenants] == [True, False, False]
    stack = SesEventPublishingStack(new_app(), "S", spec=spec)
    assert isinstance(stack.tenants["plain"], IncludedTenant)
    assert isinstance(stack.tenants["tagged"], Tenant)
    assert isinstance(stack.tenants["mixed"], Tenant)
    assert list(stack.tenants) == ["plain", "tagged", "mixed"]  # spec order
    template = Template.from_stack(stack)
    resources = template.to_json()["Resources"]
    included = stack.tenants["plain"]
    assert resources[included.logical_id]["Properties"]["TenantName"] == "plain"
    assert stack.resolve(included.tenant_arn) == {"Fn::GetAtt": [included.logical_id, "Arn"]}
    assert included.resource.cfn_resource_type == "AWS::SES::Tenant"
    tagged = resources[logical_id(["Tenant-tagged", "Resource"])]
    assert {"Key": "team", "Value": "a"} in tagged["Properties"]["Tags"]


def test_sets_with_alarms_a_dashboard_section_or_tags_are_built_as_constructs() -> None:
    spec = parse_spec(
        {
            "configuration_sets": [
                {"name": "plain", "monitoring": {"alarms": [], "dashboard": False}},
                {"name": "alarmed", "monitoring": {"dashboard": False}},
                {
                    "name": "tls",
                    "delivery": {"tls_policy": "REQUIRE"},
                    "monitoring": {"alarms": [], "dashboard": False},
                },
                {"name": "shown", "monitoring": {"alarms": []}},
                {
                    "name": "tagged",
                    "tags": {"team": "growth"},
                    "monitoring": {"alarms": [], "dashboard": False},
                },
            ]
        }
    )
    plain = [is_plain(spec, cs) for cs in spec.configuration_sets]
    assert plain == [True, False, True, False, False]
    stack = SesEventPublishingStack(new_app(), "S", spec=spec)
    assert sorted(stack.configuration_sets) == ["alarmed", "shown", "tagged"]
    assert stack.node.try_find_child(BULK_CONSTRUCT_ID) is stack.plain_sets


def test_a_sets_own_tag_wins_over_the_stacks_as_with_the_construct() -> None:
    spec = parse_spec(
        {
            "tags": {"team": "platform"},
            "configuration_sets": [
                {
                    "name": "tagged",
                    "tags": {"team": "growth"},
                    "monitoring": {"alarms": [], "dashboard": False},
                }
            ],
        }
    )
    stack = SesEventPublishingStack(new_app(), "S", spec=spec)
    tags = Template.from_stack(stack).find_resources("AWS::SES::ConfigurationSet")
    (resource,) = tags.values()
    assert {"Key": "team", "Value": "growth"} in resource["Properties"]["Tags"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["tenant-00000", "Resource", "Resource"], "tenant000003C90EE20"),
        (["tenant-00000-metrics", "Resource"], "tenant00000metrics3F73DBEA"),
        (["OnlyOne"], "OnlyOne"),
        # "Default" is left out of both the readable part and the hash
        (["a", "Default", "b"], "ab" + hashlib.md5(b"a/b").hexdigest()[:8].upper()),
    ],
)
def test_logical_ids_follow_aws_cdk_lib(path: list[str], expected: str) -> None:
    assert logical_id(path) == expected
