"""Event destinations in the local SES: the SES API v2 operations
``Create/Get/Update/DeleteConfigurationSetEventDestination(s)`` and the CloudFormation
resource ``AWS::SES::ConfigurationSetEventDestination``, both through the checks SES makes
(from :mod:`ses_events.rules`, the module the constructs use), answered with its error codes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto.sesv2.responses import SESV2Response

from ses_events import rules
from ses_events.local_aws.ses.resource import SesResource
from ses_events.local_aws.ses.store import (
    _DESTINATIONS,
    _LOCK,
    SesError,
    _bool,
    _config_sets,
    _not_found,
    destinations_of,
)

_KINDS = (
    "CloudWatchDestination",
    "KinesisFirehoseDestination",
    "SnsDestination",
    "EventBridgeDestination",
    "PinpointDestination",
)


_SOURCES_V2 = {"messageTag": "MESSAGE_TAG", "emailHeader": "EMAIL_HEADER", "linkTag": "LINK_TAG"}


def _check_definition(name: str, definition: Mapping[str, Any]) -> None:
    """Raise ``BadRequestException`` where SES would refuse an event destination."""
    broken = rules.EVENT_DESTINATION_NAME.violation(name)
    if broken is not None:
        raise SesError("BadRequestException", f"Event destination name {name!r} {broken}.")
    types = definition.get("MatchingEventTypes") or []
    if not types:
        raise SesError("BadRequestException", "MatchingEventTypes must list at least one type.")
    v2_names = {e.api_v2_name for e in rules.EventType}
    for event_type in types:
        if event_type not in v2_names:
            raise SesError("BadRequestException", f"Invalid event type {event_type!r}.")
    kinds = [k for k in _KINDS if definition.get(k)]
    if len(kinds) != 1:
        raise SesError(
            "BadRequestException",
            "An event destination must have exactly one destination: " + ", ".join(_KINDS),
        )
    if kinds[0] == "CloudWatchDestination":
        dimensions = definition["CloudWatchDestination"].get("DimensionConfigurations") or []
        if len(dimensions) > rules.MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION:
            raise SesError(
                "BadRequestException",
                f"A CloudWatch destination has at most"
                f" {rules.MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION} dimensions.",
            )
        problems = rules.dimension_problems(
            [
                _Dimension(
                    d.get("DimensionName", ""),
                    rules.DimensionSource(
                        {v: k for k, v in _SOURCES_V2.items()}.get(
                            d.get("DimensionValueSource"), "messageTag"
                        )
                    ),
                    d.get("DefaultDimensionValue", ""),
                )
                for d in dimensions
            ]
        )
        if problems:
            field_name, value, rule = problems[0]
            raise SesError("BadRequestException", f"{field_name} {value!r} {rule}.")
    if kinds[0] == "EventBridgeDestination":
        # a template may leave EventBusArn out (None here): refused as SES refuses it, not a crash
        bus = definition["EventBridgeDestination"].get("EventBusArn")
        if not isinstance(bus, str) or not bus.endswith(
            f":event-bus/{rules.DEFAULT_EVENT_BUS_NAME}"
        ):
            raise SesError(
                "BadRequestException", f"SES publishes only to the default event bus, not {bus}."
            )


@dataclass(frozen=True)
class _Dimension:
    name: str
    source: rules.DimensionSource
    default_value: str


def put_destination(
    account: str,
    region: str,
    configuration_set: str,
    name: str,
    definition: Mapping[str, Any],
    *,
    create: bool,
) -> None:
    """Create (or update) an event destination, as the SES API v2 does."""
    with _LOCK:
        if configuration_set not in _config_sets(account, region):
            raise _not_found(configuration_set)
        _check_definition(name, definition)
        existing = _DESTINATIONS.setdefault((account, region), {}).setdefault(configuration_set, {})
        if create:
            if name in existing:
                raise SesError(
                    "AlreadyExistsException",
                    f"Event destination {name} already exists in configuration set"
                    f" {configuration_set}.",
                )
            if len(existing) >= rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET:
                raise SesError(
                    "LimitExceededException",
                    f"Configuration set {configuration_set} already has"
                    f" {rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET} event destinations, the"
                    " maximum.",
                )
        elif name not in existing:
            raise SesError(
                "NotFoundException",
                f"Event destination {name} does not exist in configuration set"
                f" {configuration_set}.",
                404,
            )
        stored = {"Name": name, "Enabled": bool(definition.get("Enabled", False))}
        stored["MatchingEventTypes"] = list(definition["MatchingEventTypes"])
        for kind in _KINDS:
            if definition.get(kind):
                stored[kind] = json.loads(json.dumps(definition[kind]))
        existing[name] = stored


def delete_destination(account: str, region: str, configuration_set: str, name: str) -> None:
    with _LOCK:
        if configuration_set not in _config_sets(account, region):
            raise _not_found(configuration_set)
        existing = _DESTINATIONS.get((account, region), {}).get(configuration_set, {})
        if name not in existing:
            raise SesError(
                "NotFoundException",
                f"Event destination {name} does not exist in configuration set"
                f" {configuration_set}.",
                404,
            )
        del existing[name]


def _put_destination(self: SESV2Response, *, create: bool) -> str:
    put_destination(
        self.current_account,
        self.region,
        self._get_param("ConfigurationSetName"),
        self._get_param("EventDestinationName"),
        self._get_param("EventDestination") or {},
        create=create,
    )
    return "{}"


def _create_destination(self: SESV2Response) -> str:
    return _put_destination(self, create=True)


def _update_destination(self: SESV2Response) -> str:
    return _put_destination(self, create=False)


def _get_destinations(self: SESV2Response) -> str:
    found = destinations_of(
        self.current_account, self.region, self._get_param("ConfigurationSetName")
    )
    return json.dumps({"EventDestinations": found})


def _delete_destination(self: SESV2Response) -> str:
    delete_destination(
        self.current_account,
        self.region,
        self._get_param("ConfigurationSetName"),
        self._get_param("EventDestinationName"),
    )
    return "{}"


def _v2_destination(event_destination: Mapping[str, Any]) -> dict[str, Any]:
    """``AWS::SES::ConfigurationSetEventDestination.EventDestination`` in the API v2 shape."""
    types = []
    for value in event_destination.get("MatchingEventTypes") or []:
        parsed = rules.parse_event_type(value)
        types.append(parsed.api_v2_name if parsed is not None else str(value))
    definition: dict[str, Any] = {
        "Enabled": _bool(event_destination.get("Enabled", False)),
        "MatchingEventTypes": types,
    }
    cloudwatch = event_destination.get("CloudWatchDestination")
    if cloudwatch is not None:
        definition["CloudWatchDestination"] = {
            "DimensionConfigurations": [
                {
                    "DimensionName": d.get("DimensionName"),
                    "DimensionValueSource": _SOURCES_V2.get(
                        d.get("DimensionValueSource", ""), d.get("DimensionValueSource")
                    ),
                    "DefaultDimensionValue": d.get("DefaultDimensionValue"),
                }
                for d in cloudwatch.get("DimensionConfigurations") or []
            ]
        }
    firehose = event_destination.get("KinesisFirehoseDestination")
    if firehose is not None:
        definition["KinesisFirehoseDestination"] = {
            "IamRoleArn": firehose.get("IAMRoleARN"),
            "DeliveryStreamArn": firehose.get("DeliveryStreamARN"),
        }
    sns = event_destination.get("SnsDestination")
    if sns is not None:
        definition["SnsDestination"] = {"TopicArn": sns.get("TopicARN")}
    bus = event_destination.get("EventBridgeDestination")
    if bus is not None:
        definition["EventBridgeDestination"] = {"EventBusArn": bus.get("EventBusArn")}
    return definition


class ConfigurationSetEventDestinationResource(SesResource):
    """``AWS::SES::ConfigurationSetEventDestination``; a new set or name replaces it."""

    TYPE = "AWS::SES::ConfigurationSetEventDestination"
    ATTRIBUTES = frozenset({"Id"})

    def __init__(self, account_id: str, region_name: str, configuration_set: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.configuration_set = configuration_set
        self.name = name

    @property
    def physical_resource_id(self) -> str:
        return f"{self.configuration_set}|{self.name}"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.physical_resource_id

    @classmethod
    def _put(
        cls, props: Mapping[str, Any], account_id: str, region_name: str, *, create: bool
    ) -> ConfigurationSetEventDestinationResource:
        destination = props.get("EventDestination") or {}
        name = destination.get("Name") or ""
        configuration_set = props.get("ConfigurationSetName") or ""
        put_destination(
            account_id,
            region_name,
            configuration_set,
            name,
            _v2_destination(destination),
            create=create,
        )
        return cls(account_id, region_name, configuration_set, name)

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ConfigurationSetEventDestinationResource:
        return cls._put(
            cloudformation_json.get("Properties", {}), account_id, region_name, create=True
        )

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: ConfigurationSetEventDestinationResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ConfigurationSetEventDestinationResource:
        props = cloudformation_json.get("Properties", {})
        same = (
            props.get("ConfigurationSetName") == original_resource.configuration_set
            and (props.get("EventDestination") or {}).get("Name") == original_resource.name
        )
        if same:
            return cls._put(props, account_id, region_name, create=False)
        created = cls._put(props, account_id, region_name, create=True)
        original_resource.delete(account_id, region_name)
        return created

    @classmethod
    def delete_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        props = cloudformation_json.get("Properties", {})
        cls(
            account_id,
            region_name,
            props.get("ConfigurationSetName") or "",
            (props.get("EventDestination") or {}).get("Name") or "",
        ).delete(account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        with _LOCK:
            _DESTINATIONS.get((account_id, region_name), {}).get(self.configuration_set, {}).pop(
                self.name, None
            )
