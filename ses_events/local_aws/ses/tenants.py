"""SES tenants for the local AWS: the tenant API, the CloudFormation resource, sending for one.

moto has no tenants. This module keeps them on moto's own SES API v2 backend (so that a reset of
moto's state resets them too) and adds:

- the SES API v2 operations ``CreateTenant``, ``GetTenant``, ``ListTenants``, ``DeleteTenant``,
  ``Create/DeleteTenantResourceAssociation``, ``ListTenantResources``, ``GetReputationEntity``
  and ``UpdateReputationEntityCustomerManagedStatus`` (the call an operator, or the breaker,
  pauses a tenant with);
- the CloudFormation resource ``AWS::SES::Tenant`` through the same checks;
- :func:`check_tenant_sending`: ``SendEmail`` with a ``TenantName`` is refused while the tenant
  is disabled, or when the set it names is not one of the tenant's ("The email sending operation
  will only succeed if all referenced resources ... are associated with this tenant", SES API v2
  SendEmail, TenantName).

What SES documents is modelled; where it does not say (the error codes of a refused send), the
local AWS answers with SES's closest documented codes: ``NotFoundException``,
``SendingPausedException``, ``BadRequestException``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from moto.ses.models import ses_backends
from moto.sesv2.models import sesv2_backends
from moto.sesv2.responses import SESV2Response

from ses_events import rules
from ses_events.local_aws.ses.resource import SesResource
from ses_events.local_aws.ses.store import SesError

__all__ = ["LocalTenant", "TenantResource", "check_tenant_sending", "install", "tenants_of"]

_POLICY_ARN = r"arn:[a-z0-9-]+:ses:[a-z0-9-]+:aws:reputation-policy/(none|standard|strict)"


@dataclass
class LocalTenant:
    """A tenant as the local SES keeps it."""

    name: str
    arn: str
    tenant_id: str = field(default_factory=lambda: uuid.uuid4().hex[:24])
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    tags: list[dict[str, str]] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    policy: str | None = None
    suppression: dict[str, Any] | None = None
    customer_managed_status: str = "ENABLED"
    """What the account's owner set (``UpdateReputationEntityCustomerManagedStatus``)."""
    customer_managed_updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    aws_managed_status: str = "ENABLED"
    """What SES set (under the reputation policy)."""

    @property
    def sending_status(self) -> str:
        """``DISABLED`` when either side disabled it, else ``ENABLED``."""
        statuses = (self.customer_managed_status, self.aws_managed_status)
        return "DISABLED" if "DISABLED" in statuses else "ENABLED"

    def as_api(self) -> dict[str, Any]:
        return {
            "TenantName": self.name,
            "TenantId": self.tenant_id,
            "TenantArn": self.arn,
            "CreatedTimestamp": self.created.timestamp(),
            "Tags": self.tags,
            "SendingStatus": self.sending_status,
        }


def tenants_of(account: str, region: str) -> dict[str, LocalTenant]:
    """The tenants of an account and Region, by name (kept on moto's backend)."""
    backend = sesv2_backends[account][region]
    found: dict[str, LocalTenant] = backend.__dict__.setdefault("_ses_events_tenants", {})
    return found


def _arn(account: str, region: str, kind: str, name: str) -> str:
    return f"arn:aws:ses:{region}:{account}:{kind}/{name}"


def create_tenant(
    account: str, region: str, name: object, properties: Mapping[str, Any]
) -> LocalTenant:
    """A new tenant from CloudFormation-style ``properties``; refused as SES would."""
    broken = rules.TENANT_NAME.violation(name)
    if broken is not None:
        raise SesError("BadRequestException", f"Tenant name {name!r} {broken}.")
    assert isinstance(name, str)
    tenants = tenants_of(account, region)
    if name in tenants:
        raise SesError("AlreadyExistsException", f"Tenant <{name}> already exists.")
    tenant = LocalTenant(name=name, arn=_arn(account, region, "tenant", name))
    _apply(account, region, tenant, properties)
    tenants[name] = tenant
    return tenant


def _apply(account: str, region: str, tenant: LocalTenant, properties: Mapping[str, Any]) -> None:
    """Set what ``properties`` (CloudFormation's spelling) say, after checking all of it."""
    resources = [str(a.get("ResourceArn")) for a in properties.get("ResourceAssociations") or []]
    for arn in resources:
        _check_resource(account, region, arn)
    tags = list(properties.get("Tags") or [])
    if len(tags) > rules.MAX_TAGS_PER_RESOURCE:
        raise SesError(
            "BadRequestException", f"A tenant has at most {rules.MAX_TAGS_PER_RESOURCE} tags."
        )
    policy = ((properties.get("ReputationEntity") or {}).get("Policy") or {}).get(
        "ReputationEntityPolicy"
    )
    if policy is not None and rules.PatternRule(_POLICY_ARN, "").violation(policy) is not None:
        raise SesError("BadRequestException", f"Reputation policy {policy!r} does not exist.")
    suppression = properties.get("SuppressionAttributes")
    if suppression is not None:
        problems = rules.suppression_problems(
            list(suppression.get("SuppressedReasons") or []), suppression.get("SuppressionScope")
        )
        if problems:
            field_name, value, rule = problems[0]
            raise SesError("BadRequestException", f"{field_name} {value!r} {rule}.")
    tenant.resources = list(dict.fromkeys(resources))
    tenant.tags = tags
    tenant.policy = policy
    tenant.suppression = dict(suppression) if suppression is not None else None


def _check_resource(account: str, region: str, arn: str) -> None:
    """An associated resource is an SES ARN; a configuration set must exist (CloudFormation
    creates the tenant after the sets it names: the template's DependsOn)."""
    if rules.SES_ARN.violation(arn) is not None:
        raise SesError("BadRequestException", f"Resource ARN {arn!r} is not an SES resource ARN.")
    kind, _, name = arn.split(":", 5)[5].partition("/")
    if kind == "configuration-set" and name not in ses_backends[account][region].config_sets:
        raise SesError("NotFoundException", f"Configuration set <{name}> does not exist.", 404)


def _tenant(account: str, region: str, name: object) -> LocalTenant:
    tenant = tenants_of(account, region).get(str(name))
    if tenant is None:
        raise SesError("NotFoundException", f"Tenant <{name}> does not exist.", 404)
    return tenant


def _by_arn(account: str, region: str, arn: str) -> LocalTenant:
    for tenant in tenants_of(account, region).values():
        if tenant.arn == arn:
            return tenant
    raise SesError("NotFoundException", f"Reputation entity <{arn}> does not exist.", 404)


def check_tenant_sending(
    account: str,
    region: str,
    tenant_name: str,
    configuration_set: str | None,
    sender: str | None = None,
) -> None:
    """Refuse mail for a tenant that is unknown or disabled, or through a set or from an
    identity (the sender's address, or its domain) not its own."""
    tenant = _tenant(account, region, tenant_name)
    if tenant.sending_status == "DISABLED":
        raise SesError("SendingPausedException", f"Sending is paused for tenant <{tenant_name}>.")
    if sender:
        address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
        identities = [address, address.rpartition("@")[2]]
        if not any(_arn(account, region, "identity", i) in tenant.resources for i in identities):
            raise SesError(
                "BadRequestException",
                f"Identity <{address}> is not associated with tenant <{tenant_name}>: neither"
                " the address nor its domain is one of the tenant's resources.",
            )
    if configuration_set is not None:
        arn = _arn(account, region, "configuration-set", configuration_set)
        if arn not in tenant.resources:
            raise SesError(
                "BadRequestException",
                f"Configuration set <{configuration_set}> is not associated with tenant"
                f" <{tenant_name}>.",
            )


# -- the API --------------------------------------------------------------------------------------


def _body(response: SESV2Response) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response.body or "{}")
    return body


def _create_tenant(self: SESV2Response) -> str:
    params = _body(self)
    tenant = create_tenant(
        self.current_account, self.region, params.get("TenantName"), {"Tags": params.get("Tags")}
    )
    shown = tenant.as_api()
    return json.dumps(
        {
            k: shown[k]
            for k in (
                "TenantName",
                "TenantId",
                "TenantArn",
                "CreatedTimestamp",
                "Tags",
                "SendingStatus",
            )
        }
    )


def _get_tenant(self: SESV2Response) -> str:
    tenant = _tenant(self.current_account, self.region, _body(self).get("TenantName"))
    return json.dumps({"Tenant": tenant.as_api()})


def _list_tenants(self: SESV2Response) -> str:
    tenants = tenants_of(self.current_account, self.region).values()
    return json.dumps(
        {
            "Tenants": [
                {
                    k: t.as_api()[k]
                    for k in ("TenantName", "TenantId", "TenantArn", "CreatedTimestamp")
                }
                for t in tenants
            ]
        }
    )


def _delete_tenant(self: SESV2Response) -> str:
    name = _body(self).get("TenantName")
    _tenant(self.current_account, self.region, name)
    del tenants_of(self.current_account, self.region)[str(name)]
    return "{}"


def _create_association(self: SESV2Response) -> str:
    params = _body(self)
    tenant = _tenant(self.current_account, self.region, params.get("TenantName"))
    arn = str(params.get("ResourceArn"))
    _check_resource(self.current_account, self.region, arn)
    if arn in tenant.resources:
        raise SesError("AlreadyExistsException", f"Resource <{arn}> is already associated.")
    tenant.resources.append(arn)
    return "{}"


def _delete_association(self: SESV2Response) -> str:
    params = _body(self)
    tenant = _tenant(self.current_account, self.region, params.get("TenantName"))
    arn = str(params.get("ResourceArn"))
    if arn not in tenant.resources:
        raise SesError("NotFoundException", f"Resource <{arn}> is not associated.", 404)
    tenant.resources.remove(arn)
    return "{}"


_RESOURCE_TYPES = {
    "identity": "EMAIL_IDENTITY",
    "configuration-set": "CONFIGURATION_SET",
    "template": "EMAIL_TEMPLATE",
}


def _list_resources(self: SESV2Response) -> str:
    tenant = _tenant(self.current_account, self.region, _body(self).get("TenantName"))
    shown = []
    for arn in tenant.resources:
        kind = arn.split(":", 5)[5].partition("/")[0]
        shown.append({"ResourceType": _RESOURCE_TYPES.get(kind, kind.upper()), "ResourceArn": arn})
    return json.dumps({"TenantResources": shown})


def _entity(self: SESV2Response) -> LocalTenant:
    """The tenant a reputation-entity URI names (type ``RESOURCE``, reference: its ARN, whose
    ``/`` the URI may carry encoded or not)."""
    path = unquote(self.path.split("?")[0])
    found = re.fullmatch(
        r".*/v2/email/reputation/entities/([^/]+)/(.+?)(/customer-managed-status|/policy)?", path
    )
    if found is None:
        raise SesError("BadRequestException", f"Not a reputation entity: {path}.")
    kind, reference = found.group(1), found.group(2)
    if kind != "RESOURCE":
        raise SesError("BadRequestException", f"Reputation entity type {kind!r}: only RESOURCE.")
    return _by_arn(self.current_account, self.region, reference)


def _get_reputation_entity(self: SESV2Response) -> str:
    tenant = _entity(self)
    return json.dumps(
        {
            "ReputationEntity": {
                "ReputationEntityReference": tenant.arn,
                "ReputationEntityType": "RESOURCE",
                "ReputationManagementPolicy": tenant.policy,
                "CustomerManagedStatus": {
                    "Status": tenant.customer_managed_status,
                    "LastUpdatedTimestamp": tenant.customer_managed_updated.timestamp(),
                },
                "AwsSesManagedStatus": {"Status": tenant.aws_managed_status},
                "SendingStatusAggregate": tenant.sending_status,
            }
        }
    )


def _update_customer_managed_status(self: SESV2Response) -> str:
    tenant = _entity(self)
    status = _body(self).get("SendingStatus")
    if status not in ("ENABLED", "REINSTATED", "DISABLED"):
        raise SesError(
            "BadRequestException", f"Sending status {status!r}: ENABLED, REINSTATED or DISABLED."
        )
    # REINSTATED is kept as given ("Allow sending even if there are active reputation
    # findings"): it sends, as ENABLED does
    tenant.customer_managed_status = status
    tenant.customer_managed_updated = datetime.now(UTC)
    return "{}"


# -- CloudFormation ---------------------------------------------------------------------------------


class TenantResource(SesResource):
    """``AWS::SES::Tenant``: ``Fn::GetAtt Arn`` is the tenant's ARN."""

    TYPE = "AWS::SES::Tenant"
    NAME_TYPE = "TenantName"
    ATTRIBUTES = frozenset({"Arn"})

    def __init__(self, account_id: str, region_name: str, name: str, arn: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.arn = arn

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.arn

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> TenantResource:
        props = cloudformation_json.get("Properties", {})
        tenant = create_tenant(
            account_id, region_name, props.get("TenantName", resource_name), props
        )
        return cls(account_id, region_name, tenant.name, tenant.arn)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: TenantResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> TenantResource:
        props = cloudformation_json.get("Properties", {})
        name = props.get("TenantName", new_resource_name)
        if name != original_resource.name:  # a new name replaces the tenant
            created = cls.create_from_cloudformation_json(
                name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return created
        _apply(account_id, region_name, _tenant(account_id, region_name, name), props)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        tenants_of(account_id, region_name).pop(
            cloudformation_json.get("Properties", {}).get("TenantName", resource_name), None
        )

    def delete(self, account_id: str, region_name: str) -> None:
        tenants_of(account_id, region_name).pop(self.name, None)


_installed: list[bool] = []


def install() -> None:
    """Add the tenant operations to moto's SES API v2 (once)."""
    if _installed:
        return
    for name, handler in (
        ("create_tenant", _create_tenant),
        ("get_tenant", _get_tenant),
        ("list_tenants", _list_tenants),
        ("delete_tenant", _delete_tenant),
        ("create_tenant_resource_association", _create_association),
        ("delete_tenant_resource_association", _delete_association),
        ("list_tenant_resources", _list_resources),
        ("get_reputation_entity", _get_reputation_entity),
        ("update_reputation_entity_customer_managed_status", _update_customer_managed_status),
    ):
        setattr(SESV2Response, name, handler)
    from moto.sesv2 import urls

    for path in (
        "/v2/email/tenants",
        "/v2/email/tenants/get",
        "/v2/email/tenants/list",
        "/v2/email/tenants/delete",
        "/v2/email/tenants/resources",
        "/v2/email/tenants/resources/delete",
        "/v2/email/tenants/resources/list",
        # the reference is an ARN: it holds a "/"
        "/v2/email/reputation/entities/(?P<ReputationEntityType>[^/]+)/(?P<ReputationEntityReference>.+)",
    ):
        urls.url_paths["{0}" + path + "$"] = SESV2Response.dispatch
    for operation in ("send_email", "send_bulk_email"):
        setattr(SESV2Response, operation, _for_tenants(getattr(SESV2Response, operation)))
    _installed.append(True)


def _for_tenants(send: Any) -> Any:
    """``send`` (SendEmail or SendBulkEmail), first refusing mail for a tenant that may not send
    it (:func:`check_tenant_sending`)."""

    def checked(self: SESV2Response) -> Any:
        params = _body(self)
        tenant = params.get("TenantName")
        if tenant is not None:
            check_tenant_sending(
                self.current_account,
                self.region,
                str(tenant),
                params.get("ConfigurationSetName"),
                params.get("FromEmailAddress"),
            )
        return send(self)

    return checked
