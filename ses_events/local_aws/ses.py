"""SES for the local AWS: configuration sets and event destinations as SES models them.

Stock moto keeps configuration sets but has no SES API v2 event-destination operations, keeps only
the last v1 destination of a set, and ignores ``AWS::SES::*`` resources in CloudFormation. This
module adds, on top of moto's own configuration sets:

- the SES API v2 operations ``Create/Get/Update/DeleteConfigurationSetEventDestination(s)``,
  validated by the rules of the SES API reference (from :mod:`ses_events.rules`, the module the
  constructs use) and answered with its error codes: ``NotFoundException``,
  ``AlreadyExistsException``, ``LimitExceededException``, ``BadRequestException``;
- CloudFormation resources ``AWS::SES::ConfigurationSet`` and
  ``AWS::SES::ConfigurationSetEventDestination`` that go through the same checks;
- ``SendEmail`` that refuses an unknown configuration set or a bad message tag, and records the
  configuration set and tags of each message (:func:`sent_messages`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.core.exceptions import JsonRESTError
from moto.ses.exceptions import SesError as V1SesError
from moto.ses.models import ses_backends
from moto.sesv2.models import sesv2_backends
from moto.sesv2.responses import SESV2Response

from ses_events import rules
from ses_events.analytics.generator import (
    click_object,
    failure_object,
    mail_object,
    open_object,
    records_for_recipient,
)
from ses_events.local_aws.alarm_evaluation import count_sent
from ses_events.local_aws.publishing import publish

__all__ = ["SesError", "destinations_of", "install", "sent_messages", "simulate_engagement"]

_LOCK = threading.RLock()
# (account, region) -> configuration set name -> destination name -> destination (API v2 shape)
_DESTINATIONS: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = {}
# (account, region) -> recorded messages
_SENT: dict[tuple[str, str], list[dict[str, Any]]] = {}
# (account, region, message id) -> (configuration set, mail object): for opens and clicks
_MAILS: dict[tuple[str, str, str], tuple[str, dict[str, Any]]] = {}

_KINDS = (
    "CloudWatchDestination",
    "KinesisFirehoseDestination",
    "SnsDestination",
    "EventBridgeDestination",
    "PinpointDestination",
)
_SOURCES_V2 = {"messageTag": "MESSAGE_TAG", "emailHeader": "EMAIL_HEADER", "linkTag": "LINK_TAG"}


class SesError(JsonRESTError):
    """An SES API v2 error, with the code and HTTP status the API reference gives."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(code, message)
        self.code = status


def _not_found(name: str) -> SesError:
    return SesError("NotFoundException", f"Configuration set <{name}> does not exist.", 404)


def _config_sets(account: str, region: str) -> dict[str, Any]:
    sets: dict[str, Any] = ses_backends[account][region].config_sets
    return sets


def destinations_of(account: str, region: str, configuration_set: str) -> list[dict[str, Any]]:
    """The event destinations of a configuration set, in the API v2 shape."""
    with _LOCK:
        if configuration_set not in _config_sets(account, region):
            raise _not_found(configuration_set)
        found = _DESTINATIONS.get((account, region), {}).get(configuration_set, {})
        return [json.loads(json.dumps(d)) for d in found.values()]


def sent_messages(account: str, region: str) -> list[dict[str, Any]]:
    """Messages sent through the local SES: id, configuration set and tags of each."""
    with _LOCK:
        return list(_SENT.get((account, region), []))


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
                            d.get("DimensionValueSource", ""), "messageTag"
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
        bus = definition["EventBridgeDestination"].get("EventBusArn", "")
        if not bus.endswith(f":event-bus/{rules.DEFAULT_EVENT_BUS_NAME}"):
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


def _forget_set(account: str, region: str, configuration_set: str) -> None:
    with _LOCK:
        _DESTINATIONS.get((account, region), {}).pop(configuration_set, None)


# -- SES API v2 operations ------------------------------------------------------------------


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


_stock_send_email = SESV2Response.send_email
_stock_delete_configuration_set = SESV2Response.delete_configuration_set
_stock_create_configuration_set = SESV2Response.create_configuration_set


def _create_configuration_set(self: SESV2Response) -> str:
    """A new set has no event destinations, whatever a set of that name once had: moto resets
    its own state between tests (``mock_aws``), not the destinations kept here."""
    result = _stock_create_configuration_set(self)
    _forget_set(self.current_account, self.region, self._get_param("ConfigurationSetName"))
    return str(result)


def _send_email(self: SESV2Response) -> str:
    params = json.loads(self.body or "{}")
    name = params.get("ConfigurationSetName")
    tags = params.get("EmailTags") or []
    raw = params.get("Content", {}).get("Raw")
    if raw is not None:  # the SES headers of a raw message, where the parameters are absent
        parsed = _raw_message(raw.get("Data", ""))
        name = name or parsed["configuration_set"]
        tags = tags or [{"Name": k, "Value": v} for k, v in parsed["tags"].items()]
    if name is not None and name not in _config_sets(self.current_account, self.region):
        raise _not_found(name)
    for tag in tags:
        for part in ("Name", "Value"):
            broken = rules.MESSAGE_TAG_NAME.violation(tag.get(part))
            if broken is not None:
                raise SesError(
                    "BadRequestException", f"Message tag {part.lower()} {tag.get(part)!r} {broken}."
                )
    template = params.get("Content", {}).get("Template")
    if template is not None:  # moto cannot send templated mail: render it here, as SES does
        return _send_templated(self, params, name, tags, template)
    if name is not None:
        enabled = _config_sets(self.current_account, self.region)[name].enabled
        if isinstance(enabled, dict):
            enabled = enabled.get("SendingEnabled", True)
        if enabled is False:
            raise SesError(
                "SendingPausedException",
                f"Sending is paused for configuration set <{name}>.",
            )
    result = _stock_send_email(self)
    message_id = json.loads(result)["MessageId"]
    with _LOCK:
        _SENT.setdefault((self.current_account, self.region), []).append(
            {
                "MessageId": message_id,
                "ConfigurationSetName": name,
                "EmailTags": tags,
                "Destination": params.get("Destination", {}),
            }
        )
    if name is not None:
        _publish_events(self.current_account, self.region, name, message_id, params, tags)
    return result


def _recipients(destination: Mapping[str, Any]) -> list[str]:
    """To, Cc and Bcc addresses of a ``Destination``, in that order."""
    return [
        *destination.get("ToAddresses", []),
        *destination.get("CcAddresses", []),
        *destination.get("BccAddresses", []),
    ]


def _mail(
    account: str,
    region: str,
    configuration_set: str,
    message_id: str,
    *,
    source: str,
    recipients: list[str],
    subject: str,
    headers: list[tuple[str, str]],
    tags: Mapping[str, str],
) -> dict[str, Any]:
    """The ``mail`` object SES publishes: the five automatic tags and the message tags."""

    return mail_object(
        configuration_set=configuration_set,
        message_id=message_id,
        source=source,
        recipients=recipients,
        subject=subject,
        sent=datetime.now(UTC),
        tags={
            "ses:configuration-set": [configuration_set],
            "ses:caller-identity": ["local"],
            "ses:from-domain": [source.rsplit("@", 1)[-1].rstrip(">")],
            "ses:source-ip": ["127.0.0.1"],
            "ses:outgoing-ip": ["198.51.100.1"],
            **{name: [value] for name, value in tags.items()},
        },
        extra_headers=[h for h in headers if h[0].lower() not in ("from", "to", "subject")],
        account=account,
        region=region,
    )


def _send_templated(
    self: SESV2Response,
    params: dict[str, Any],
    name: str | None,
    tags: list[dict[str, str]],
    template: dict[str, Any],
) -> str:
    """SES v2 ``SendEmail`` with template content: rendered with ``TemplateData``; a
    placeholder without data is a Rendering Failure event, and nothing is sent."""
    import re
    import uuid

    stored = ses_backends[self.current_account][self.region].templates.get(
        template.get("TemplateName", "")
    )
    if stored is None:
        raise SesError(
            "NotFoundException", f"Template <{template.get('TemplateName')}> does not exist.", 404
        )
    data = json.loads(template.get("TemplateData") or "{}")
    parts = [
        stored.get("subject_part") or "",
        stored.get("text_part") or "",
        stored.get("html_part") or "",
    ]
    wanted = [n for part in parts for n in re.findall(r"{{\s*([\w.-]+)\s*}}", part)]
    missing = [n for n in dict.fromkeys(wanted) if n not in data]
    message_id = f"{uuid.uuid4().hex[:16]}-{uuid.uuid4()}-000000"
    recipients = _recipients(params.get("Destination", {}))
    subject = re.sub(r"{{\s*([\w.-]+)\s*}}", lambda m: str(data.get(m.group(1), "")), parts[0])
    if not missing:
        if name is not None:
            _check_sending(self.current_account, self.region, name, "SendingPausedException")
            publish_message(
                self.current_account,
                self.region,
                name,
                message_id,
                source=params.get("FromEmailAddress", ""),
                recipients=recipients,
                subject=subject,
                headers=[],
                tags={t["Name"]: t["Value"] for t in tags},
            )
        return json.dumps({"MessageId": message_id})
    if name is not None:
        mail = _mail(
            self.current_account,
            self.region,
            name,
            message_id,
            source=params.get("FromEmailAddress", ""),
            recipients=recipients,
            subject=subject,
            headers=[],
            tags={t["Name"]: t["Value"] for t in tags},
        )
        failure = failure_object(
            f"Attribute '{missing[0]}' is not present in the rendering data.",
            template.get("TemplateName", ""),
        )
        publish(
            self.current_account,
            self.region,
            name,
            destinations_of(self.current_account, self.region, name),
            [{"eventType": "Rendering Failure", "mail": mail, "failure": failure}],
        )
    return json.dumps({"MessageId": message_id})


def _send_bulk_email(self: SESV2Response) -> str:
    """SES v2 ``SendBulkEmail``: each entry a templated send of the default template, its data
    and tags merged over the defaults (``ReplacementTemplateData``, ``ReplacementTags``)."""
    params = json.loads(self.body or "{}")
    name = params.get("ConfigurationSetName")
    if name is not None and name not in _config_sets(self.current_account, self.region):
        raise _not_found(name)
    default = params.get("DefaultContent", {}).get("Template", {})
    default_data = json.loads(default.get("TemplateData") or "{}")
    results = []
    for entry in params.get("BulkEmailEntries", []):
        replacement = (entry.get("ReplacementEmailContent", {}).get("ReplacementTemplate", {})).get(
            "ReplacementTemplateData"
        )
        data = {**default_data, **json.loads(replacement or "{}")}
        tags = {t["Name"]: t["Value"] for t in params.get("DefaultEmailTags", [])}
        tags.update({t["Name"]: t["Value"] for t in entry.get("ReplacementTags", [])})
        answer = _send_templated(
            self,
            {
                "FromEmailAddress": params.get("FromEmailAddress", ""),
                "Destination": entry.get("Destination", {}),
            },
            name,
            [{"Name": k, "Value": v} for k, v in tags.items()],
            {"TemplateName": default.get("TemplateName", ""), "TemplateData": json.dumps(data)},
        )
        results.append({"Status": "SUCCESS", "MessageId": json.loads(answer)["MessageId"]})
    return json.dumps({"BulkEmailEntryResults": results})


def _publish_events(
    account: str,
    region: str,
    configuration_set: str,
    message_id: str,
    params: dict[str, Any],
    tags: list[dict[str, str]],
) -> None:
    """The events SES publishes for a message sent with SES API v2 ``SendEmail``."""
    recipients = _recipients(params.get("Destination", {}))
    content = params.get("Content", {})
    simple = content.get("Simple", {})
    subject = simple.get("Subject", {}).get("Data", "")
    headers = [(h["Name"], h["Value"]) for h in simple.get("Headers", [])]
    if "Raw" in content:
        parsed = _raw_message(content["Raw"].get("Data", ""))
        recipients = recipients or parsed["recipients"]
        subject, headers = parsed["subject"], parsed["headers"]
    publish_message(
        account,
        region,
        configuration_set,
        message_id,
        source=params.get("FromEmailAddress", ""),
        recipients=recipients,
        subject=subject,
        headers=headers,
        tags={t["Name"]: t["Value"] for t in tags},
    )


def _raw_message(data: str | bytes) -> dict[str, Any]:
    """Recipients, subject, headers and the SES headers of a raw MIME message (base64 or not)."""
    import base64
    import binascii
    from email import message_from_bytes
    from email.utils import getaddresses

    raw = data.encode() if isinstance(data, str) else data
    try:
        decoded = base64.b64decode(raw, validate=True)
        if b":" in decoded[:200]:
            raw = decoded
    except (binascii.Error, ValueError):
        pass
    message = message_from_bytes(raw)
    recipients = [
        address
        for _, address in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))
    ]
    tag_header = message.get("X-SES-MESSAGE-TAGS", "")
    tags = dict(part.strip().split("=", 1) for part in tag_header.split(",") if "=" in part)
    return {
        "recipients": recipients,
        "subject": message.get("Subject", ""),
        "source": message.get("From", ""),
        "headers": [(k, str(v)) for k, v in message.items()],
        "configuration_set": message.get("X-SES-CONFIGURATION-SET"),
        "tags": tags,
    }


def publish_message(
    account: str,
    region: str,
    configuration_set: str,
    message_id: str,
    *,
    source: str,
    recipients: list[str],
    subject: str,
    headers: list[tuple[str, str]],
    tags: dict[str, str],
) -> None:
    """Build the records SES publishes for a message (per recipient, by the mailbox simulator's
    outcome) and deliver them to the set's destinations."""

    mail = _mail(
        account,
        region,
        configuration_set,
        message_id,
        source=source,
        recipients=recipients,
        subject=subject,
        headers=headers,
        tags=tags,
    )
    sent = datetime.strptime(mail["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    with _LOCK:
        _MAILS[(account, region, message_id)] = (configuration_set, mail)
    records = [r for recipient in recipients for r in records_for_recipient(mail, recipient, sent)]

    count_sent(account, region, configuration_set, [r["eventType"] for r in records])
    publish(
        account,
        region,
        configuration_set,
        destinations_of(account, region, configuration_set),
        records,
    )


def simulate_engagement(
    account: str,
    region: str,
    message_id: str,
    *,
    opens: int = 1,
    clicks: list[dict[str, str]] | None = None,
    link: str = "https://www.example.com/",
) -> None:
    """Open and click a message sent through the local AWS, as a recipient would: ``opens``
    Open events, and a Click event per entry of ``clicks`` (the link's tags,
    ``{"section": "hero"}``), published to the set's destinations like SES's."""

    with _LOCK:
        found = _MAILS.get((account, region, message_id))
    if found is None:
        raise SesError("NotFoundException", f"No message <{message_id}> was sent here.", 404)
    configuration_set, mail = found
    now = datetime.now(UTC)
    agent = "Mozilla/5.0 (local AWS)"
    records = [
        {
            "eventType": "Open",
            "mail": mail,
            "open": open_object(now + timedelta(seconds=n), "203.0.113.7", agent),
        }
        for n in range(opens)
    ]
    records += [
        {
            "eventType": "Click",
            "mail": mail,
            "click": click_object(
                now + timedelta(seconds=60 + n), "203.0.113.7", agent, link, tags
            ),
        }
        for n, tags in enumerate(clicks or [])
    ]
    publish(
        account,
        region,
        configuration_set,
        destinations_of(account, region, configuration_set),
        records,
    )


# -- SES API v1: SendEmail and SendRawEmail publish too ---------------------------------------

_stock_v1_send_email: Any = None
_stock_v1_send_raw_email: Any = None


def _check_sending(account: str, region: str, name: str, paused_code: str) -> None:
    """SES API v1: an unknown set is refused; so is mail through a set whose sending is
    disabled. The errors are moto's v1 kind, which it answers in the v1 (query, XML) protocol."""
    sets = _config_sets(account, region)
    if name not in sets:
        raise V1SesError(
            "ConfigurationSetDoesNotExist", f"Configuration set <{name}> does not exist."
        )
    enabled = sets[name].enabled
    if isinstance(enabled, dict):
        enabled = enabled.get("SendingEnabled", True)
    if enabled is False:
        raise V1SesError(paused_code, f"Sending is paused for configuration set <{name}>.")


def _v1_send_email(self: Any) -> Any:
    name = self._get_param("ConfigurationSetName")
    if name is not None:
        _check_sending(
            self.current_account, self.region, name, "ConfigurationSetSendingPausedException"
        )
    result = _stock_v1_send_email(self)
    if name is not None:
        destination = self._get_param("Destination", {}) or {}
        tags = {t["Name"]: t["Value"] for t in (self._get_param("Tags", []) or [])}
        publish_message(
            self.current_account,
            self.region,
            name,
            self.backend.sent_messages[-1].id,
            source=self._get_param("Source") or "",
            recipients=_recipients(destination),
            subject=self._get_param("Message.Subject.Data") or "",
            headers=[],
            tags=tags,
        )
    return result


def _v1_send_raw_email(self: Any) -> Any:
    raw = self._get_param("RawMessage.Data")
    parsed = _raw_message(raw if isinstance(raw, (str, bytes)) else "")
    # the parameter wins over the header; the tags parameter wins over the tags header
    name = self._get_param("ConfigurationSetName") or parsed["configuration_set"]
    tags = {t["Name"]: t["Value"] for t in (self._get_param("Tags", []) or [])} or parsed["tags"]
    if name is not None:
        _check_sending(
            self.current_account, self.region, name, "ConfigurationSetSendingPausedException"
        )
    result = _stock_v1_send_raw_email(self)
    if name is not None:
        publish_message(
            self.current_account,
            self.region,
            name,
            self.backend.sent_messages[-1].id,
            source=self._get_param("Source") or parsed["source"],
            recipients=list(self._get_param("Destinations", []) or []) or parsed["recipients"],
            subject=parsed["subject"],
            headers=parsed["headers"],
            tags=tags,
        )
    return result


def _delete_configuration_set(self: SESV2Response) -> str:
    result = _stock_delete_configuration_set(self)
    _forget_set(self.current_account, self.region, self._get_param("ConfigurationSetName"))
    return str(result)


# -- CloudFormation ---------------------------------------------------------------------------


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


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


class ConfigurationSetResource(CloudFormationModel):
    """``AWS::SES::ConfigurationSet``: ``Ref`` is the name."""

    def __init__(self, account_id: str, region_name: str, name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.name = name

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SES::ConfigurationSet"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

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


class ConfigurationSetEventDestinationResource(CloudFormationModel):
    """``AWS::SES::ConfigurationSetEventDestination``; a new set or name replaces it."""

    def __init__(self, account_id: str, region_name: str, configuration_set: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.configuration_set = configuration_set
        self.name = name

    @property
    def physical_resource_id(self) -> str:
        return f"{self.configuration_set}|{self.name}"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SES::ConfigurationSetEventDestination"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Id"

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


_installed: list[bool] = []


def install() -> None:
    """Add the operations above to moto's SES API v2 (once)."""
    if _installed:
        return
    SESV2Response.create_configuration_set_event_destination = _create_destination
    SESV2Response.update_configuration_set_event_destination = _update_destination
    SESV2Response.get_configuration_set_event_destinations = _get_destinations
    SESV2Response.delete_configuration_set_event_destination = _delete_destination
    SESV2Response.send_email = _send_email
    SESV2Response.send_bulk_email = _send_bulk_email
    from moto.ses.responses import EmailResponse

    global _stock_v1_send_email, _stock_v1_send_raw_email
    _stock_v1_send_email = EmailResponse.send_email
    _stock_v1_send_raw_email = EmailResponse.send_raw_email
    EmailResponse.send_email = _v1_send_email
    EmailResponse.send_raw_email = _v1_send_raw_email
    # Routes for the server (moto's catch-all "/v2/.*" path does not match in server mode).
    from moto.sesv2 import urls

    base = "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations"
    urls.url_paths[base + "$"] = SESV2Response.dispatch
    urls.url_paths[base + "/(?P<EventDestinationName>[^/]+)$"] = SESV2Response.dispatch
    urls.url_paths["{0}/v2/email/outbound-bulk-emails$"] = SESV2Response.dispatch
    # moto stores SendingOptions whole where it means the flag, and answers a dict for a boolean.
    from moto.ses.models import ConfigurationSet

    stock_to_dict_v2 = ConfigurationSet.to_dict_v2

    def to_dict_v2(self: ConfigurationSet) -> dict[str, Any]:
        shown = stock_to_dict_v2(self)
        enabled = self.enabled
        if isinstance(enabled, dict):
            enabled = enabled.get("SendingEnabled", True)
        shown["SendingOptions"] = {"SendingEnabled": bool(enabled)}
        return shown

    ConfigurationSet.to_dict_v2 = to_dict_v2
    SESV2Response.delete_configuration_set = _delete_configuration_set
    SESV2Response.create_configuration_set = _create_configuration_set
    _installed.append(True)
