"""Configuration sets in the local SES: moto's own, with their event destinations forgotten
when a set goes (or a new one of the same name comes), and the CloudFormation resource
``AWS::SES::ConfigurationSet``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moto.sesv2.models import sesv2_backends
from moto.sesv2.responses import SESV2Response

from ses_events import rules
from ses_events.local_aws.ses.resource import SesResource
from ses_events.local_aws.ses.store import _LOCK, SesError, _bool, _config_sets, _forget_set

_stock_delete_configuration_set = SESV2Response.delete_configuration_set


_stock_create_configuration_set = SESV2Response.create_configuration_set


def _create_configuration_set(self: SESV2Response) -> str:
    """A new set has no event destinations, whatever a set of that name once had: moto resets
    its own state between tests (``mock_aws``), not the destinations kept here."""
    result = _stock_create_configuration_set(self)
    _forget_set(self.current_account, self.region, self._get_param("ConfigurationSetName"))
    return str(result)


def _delete_configuration_set(self: SESV2Response) -> str:
    result = _stock_delete_configuration_set(self)
    _forget_set(self.current_account, self.region, self._get_param("ConfigurationSetName"))
    return str(result)


def _v2_options(props: Mapping[str, Any]) -> dict[str, Any]:
    """``AWS::SES::ConfigurationSet`` properties in the shape of ``CreateConfigurationSet``."""
    delivery = dict(props.get("DeliveryOptions") or {})
    if "MaxDeliverySeconds" in delivery:
        delivery["MaxDeliverySeconds"] = int(delivery["MaxDeliverySeconds"])
    reputation = {
        "ReputationMetricsEnabled": _bool(
            (props.get("ReputationOptions") or {}).get("ReputationMetricsEnabled", False)
        )
    }
    sending = {
        "SendingEnabled": _bool((props.get("SendingOptions") or {}).get("SendingEnabled", True))
    }
    return {
        "tracking_options": props.get("TrackingOptions") or {},
        "delivery_options": delivery,
        "reputation_options": reputation,
        "sending_options": sending,
        "tags": props.get("Tags") or [],
        "suppression_options": props.get("SuppressionOptions") or {},
        "vdm_options": props.get("VdmOptions") or {},
    }


class ConfigurationSetResource(SesResource):
    """``AWS::SES::ConfigurationSet``: ``Ref`` is the name."""

    TYPE = "AWS::SES::ConfigurationSet"
    NAME_TYPE = "Name"

    def __init__(self, account_id: str, region_name: str, name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.name = name

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @classmethod
    def _create(
        cls, name: str, props: Mapping[str, Any], account_id: str, region_name: str
    ) -> ConfigurationSetResource:
        broken = rules.CONFIGURATION_SET_NAME.violation(name)
        if broken is not None:
            raise SesError("BadRequestException", f"Configuration set name {name!r} {broken}.")
        if name in _config_sets(account_id, region_name):
            raise SesError("AlreadyExistsException", f"Configuration set <{name}> already exists.")
        sesv2_backends[account_id][region_name].create_configuration_set(
            configuration_set_name=name, **_v2_options(props)
        )
        _forget_set(account_id, region_name, name)  # a new set has no destinations yet
        return cls(account_id, region_name, name)

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ConfigurationSetResource:
        props = cloudformation_json.get("Properties", {})
        return cls._create(props.get("Name", resource_name), props, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: ConfigurationSetResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ConfigurationSetResource:
        props = cloudformation_json.get("Properties", {})
        name = props.get("Name", new_resource_name)
        if name != original_resource.name:  # a new name replaces the set
            created = cls._create(name, props, account_id, region_name)
            original_resource.delete(account_id, region_name)
            return created
        # Same name: new options, destinations kept (SES updates options in place).
        with _LOCK:
            _config_sets(account_id, region_name).pop(name, None)
            sesv2_backends[account_id][region_name].create_configuration_set(
                configuration_set_name=name, **_v2_options(props)
            )
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        name = cloudformation_json.get("Properties", {}).get("Name", resource_name)
        cls(account_id, region_name, name).delete(account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        with _LOCK:
            _config_sets(account_id, region_name).pop(self.name, None)
            _forget_set(account_id, region_name, self.name)
