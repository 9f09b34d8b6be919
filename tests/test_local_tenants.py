"""Tenants in the local AWS (issue 21, part 4 begun): the tenant API, ``AWS::SES::Tenant`` in
CloudFormation, the customer-managed status, and mail for a tenant refused while it is paused or
through a set that is not its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ses_events.local_aws import LocalAws
from ses_events.local_aws.ses.tenants import tenants_of

pytestmark = pytest.mark.local_aws

REGION = "ca-central-1"  # a Region no other test module uses


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    with LocalAws(region=REGION) as local:
        yield local


def _client(aws: LocalAws, service: str) -> Any:
    return boto3.client(service, **aws.client_arguments())


def _refused(call: Any, **arguments: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**arguments)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _mail(sender: str) -> dict[str, Any]:
    return {
        "FromEmailAddress": sender,
        "Destination": {"ToAddresses": ["success@simulator.amazonses.com"]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }


def _template(tenants: list[dict[str, Any]], sets: list[str]) -> str:
    resources: dict[str, Any] = {
        f"Set{n}": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": name}}
        for n, name in enumerate(sets)
    }
    for n, tenant in enumerate(tenants):
        resources[f"Tenant{n}"] = {
            "Type": "AWS::SES::Tenant",
            "DependsOn": [f"Set{k}" for k in range(len(sets))],
            "Properties": tenant,
        }
    resources_outputs = {
        f"Arn{n}": {"Value": {"Fn::GetAtt": [f"Tenant{n}", "Arn"]}} for n in range(len(tenants))
    }
    return json.dumps({"Resources": resources, "Outputs": resources_outputs})


def _set_arn(name: str) -> str:
    return f"arn:aws:ses:{REGION}:123456789012:configuration-set/{name}"


def test_cloudformation_creates_updates_and_deletes_tenants(aws: LocalAws) -> None:
    cloudformation, sesv2 = _client(aws, "cloudformation"), _client(aws, "sesv2")
    policy = f"arn:aws:ses:{REGION}:aws:reputation-policy/standard"
    tenant = {
        "TenantName": "cfn-acme",
        "ResourceAssociations": [{"ResourceArn": _set_arn("cfn-acme-mail")}],
        "ReputationEntity": {"Policy": {"ReputationEntityPolicy": policy}},
        "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"], "SuppressionScope": "TENANT"},
        "Tags": [{"Key": "customer", "Value": "acme"}],
    }
    cloudformation.create_stack(
        StackName="Tenants", TemplateBody=_template([tenant], ["cfn-acme-mail"])
    )
    stack = cloudformation.describe_stacks(StackName="Tenants")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    arn = f"arn:aws:ses:{REGION}:123456789012:tenant/cfn-acme"
    assert stack["Outputs"] == [{"OutputKey": "Arn0", "OutputValue": arn}]
    got = sesv2.get_tenant(TenantName="cfn-acme")["Tenant"]
    assert (got["TenantArn"], got["SendingStatus"]) == (arn, "ENABLED")
    assert got["Tags"] == [{"Key": "customer", "Value": "acme"}]
    resources = sesv2.list_tenant_resources(TenantName="cfn-acme")["TenantResources"]
    assert resources == [
        {"ResourceType": "CONFIGURATION_SET", "ResourceArn": _set_arn("cfn-acme-mail")}
    ]
    entity = sesv2.get_reputation_entity(
        ReputationEntityType="RESOURCE", ReputationEntityReference=arn
    )["ReputationEntity"]
    assert entity["ReputationManagementPolicy"] == policy
    # an update in place: another set associated, the policy gone
    updated = {
        **tenant,
        "ResourceAssociations": [
            {"ResourceArn": _set_arn("cfn-acme-mail")},
            {"ResourceArn": _set_arn("cfn-acme-news")},
        ],
    }
    del updated["ReputationEntity"]
    cloudformation.update_stack(
        StackName="Tenants", TemplateBody=_template([updated], ["cfn-acme-mail", "cfn-acme-news"])
    )
    assert cloudformation.describe_stacks(StackName="Tenants")["Stacks"][0]["StackStatus"] == (
        "UPDATE_COMPLETE"
    )
    resources = sesv2.list_tenant_resources(TenantName="cfn-acme")["TenantResources"]
    assert [r["ResourceArn"] for r in resources] == [
        _set_arn("cfn-acme-mail"),
        _set_arn("cfn-acme-news"),
    ]
    assert sesv2.get_tenant(TenantName="cfn-acme")["Tenant"]["TenantId"] == got["TenantId"]
    cloudformation.delete_stack(StackName="Tenants")
    assert "cfn-acme" not in tenants_of(aws.account, aws.region)
    assert _refused(sesv2.get_tenant, TenantName="cfn-acme") == (
        "NotFoundException",
        "Tenant <cfn-acme> does not exist.",
    )


@pytest.mark.parametrize(
    ("tenant", "reason"),
    [
        ({"TenantName": "bad name"}, "Tenant name 'bad name' must be 1 to 64"),
        (
            {"TenantName": "t", "ResourceAssociations": [{"ResourceArn": _set_arn("nosuch")}]},
            "Configuration set <nosuch> does not exist.",
        ),
        (
            {"TenantName": "t", "ReputationEntity": {"Policy": {"ReputationEntityPolicy": "lax"}}},
            "Reputation policy 'lax' does not exist.",
        ),
        (
            {
                "TenantName": "t",
                "SuppressionAttributes": {
                    "SuppressedReasons": ["SPAM"],
                    "SuppressionScope": "TENANT",
                },
            },
            "suppression.reasons[0] 'SPAM' must be one of BOUNCE, COMPLAINT.",
        ),
    ],
)
def test_cloudformation_refuses_a_tenant_ses_would_refuse(
    aws: LocalAws, tenant: dict[str, Any], reason: str
) -> None:
    cloudformation = _client(aws, "cloudformation")
    name = "Refused" + str(abs(hash(reason)))[:6]
    cloudformation.create_stack(StackName=name, TemplateBody=_template([tenant], []))
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = cloudformation.describe_stack_events(StackName=name)["StackEvents"]
    (failed,) = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert reason in failed["ResourceStatusReason"]
    cloudformation.delete_stack(StackName=name)


def test_a_paused_tenant_cannot_send_and_a_reinstated_one_can(aws: LocalAws) -> None:
    sesv2 = _client(aws, "sesv2")
    sesv2.create_email_identity(EmailIdentity="tenants.example.com")
    for name in ("api-good", "api-bad", "api-other"):
        sesv2.create_configuration_set(ConfigurationSetName=name)
    for tenant, own in (("good", "api-good"), ("bad", "api-bad")):
        created = sesv2.create_tenant(TenantName=tenant)
        assert created["SendingStatus"] == "ENABLED"
        sesv2.create_tenant_resource_association(TenantName=tenant, ResourceArn=_set_arn(own))
    assert {"good", "bad"} <= {t["TenantName"] for t in sesv2.list_tenants()["Tenants"]}
    mail = _mail("news@tenants.example.com")
    # the sender's identity must be the tenant's too: its domain (or the address) associated
    assert _refused(sesv2.send_email, ConfigurationSetName="api-bad", TenantName="bad", **mail) == (
        "BadRequestException",
        "Identity <news@tenants.example.com> is not associated with tenant <bad>: neither the"
        " address nor its domain is one of the tenant's resources.",
    )
    domain = f"arn:aws:ses:{REGION}:{aws.account}:identity/tenants.example.com"
    for tenant in ("good", "bad"):
        sesv2.create_tenant_resource_association(TenantName=tenant, ResourceArn=domain)
    assert sesv2.send_email(ConfigurationSetName="api-bad", TenantName="bad", **mail)["MessageId"]
    bad_arn = sesv2.get_tenant(TenantName="bad")["Tenant"]["TenantArn"]
    sesv2.update_reputation_entity_customer_managed_status(
        ReputationEntityType="RESOURCE", ReputationEntityReference=bad_arn, SendingStatus="DISABLED"
    )
    entity = sesv2.get_reputation_entity(
        ReputationEntityType="RESOURCE", ReputationEntityReference=bad_arn
    )["ReputationEntity"]
    assert entity["CustomerManagedStatus"]["Status"] == "DISABLED"
    assert entity["AwsSesManagedStatus"] == {"Status": "ENABLED"}
    assert entity["SendingStatusAggregate"] == "DISABLED"
    assert sesv2.get_tenant(TenantName="bad")["Tenant"]["SendingStatus"] == "DISABLED"
    assert _refused(sesv2.send_email, ConfigurationSetName="api-bad", TenantName="bad", **mail) == (
        "SendingPausedException",
        "Sending is paused for tenant <bad>.",
    )
    # the other tenant still sends; a set not its own it may not use
    assert sesv2.send_email(ConfigurationSetName="api-good", TenantName="good", **mail)["MessageId"]
    assert _refused(
        sesv2.send_email, ConfigurationSetName="api-other", TenantName="good", **mail
    ) == (
        "BadRequestException",
        "Configuration set <api-other> is not associated with tenant <good>.",
    )
    assert _refused(
        sesv2.send_email, ConfigurationSetName="api-good", TenantName="nobody", **mail
    ) == (
        "NotFoundException",
        "Tenant <nobody> does not exist.",
    )
    sesv2.update_reputation_entity_customer_managed_status(
        ReputationEntityType="RESOURCE",
        ReputationEntityReference=bad_arn,
        SendingStatus="REINSTATED",
    )
    assert sesv2.send_email(ConfigurationSetName="api-bad", TenantName="bad", **mail)["MessageId"]
    # associations and tenants go
    sesv2.delete_tenant_resource_association(TenantName="bad", ResourceArn=_set_arn("api-bad"))
    sesv2.delete_tenant_resource_association(TenantName="bad", ResourceArn=domain)
    assert sesv2.list_tenant_resources(TenantName="bad")["TenantResources"] == []
    for tenant in ("good", "bad"):
        sesv2.delete_tenant(TenantName=tenant)
    assert not {"good", "bad"} & {t["TenantName"] for t in sesv2.list_tenants()["Tenants"]}
    assert _refused(sesv2.create_tenant, TenantName="a b")[0] == "BadRequestException"
