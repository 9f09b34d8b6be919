"""Sending through the local SES: SES API v2 ``SendEmail`` / ``SendBulkEmail`` and v1
``SendEmail`` / ``SendRawEmail`` refuse an unknown or paused set and bad message tags as SES
does, record each message, and publish its events to the set's destinations.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.ses.exceptions import SesError as V1SesError
from moto.ses.models import ses_backends
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
from ses_events.local_aws.ses.store import (
    _LOCK,
    _MAILS,
    _SENT,
    SesError,
    _config_sets,
    _not_found,
    destinations_of,
)

_stock_send_email = SESV2Response.send_email


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
