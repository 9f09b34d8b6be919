"""Realistic SES event records, deterministic with a seed, written as the archive writes them.

Each message goes through what SES documents for it: a *Send*, then one outcome — *Delivery*
(sometimes after a *DeliveryDelay*), a *Bounce* (permanent or transient, with SES's sub-types),
a *Reject* — or, for a templated send with missing data, only a *Rendering Failure*. Delivered
messages may be opened, clicked (with link tags), complained about or unsubscribed from. Every
record carries the five automatic tags and the campaign tag, and follows
:mod:`ses_events.analytics.schema` (event type names, field names, ISO 8601 timestamps).

:func:`write_archive` lays the records out as the archive's Firehose stream does: GZIP JSON lines,
one record a line, under ``<prefix>configuration_set=<set>/year=YYYY/month=MM/day=DD/hour=HH/``.

Example::

    from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive

    records = list(generate_events(CorpusSpec(messages=10_000, seed=7)))
    write_archive(records, "archive/")
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ses_events import rules

__all__ = ["CorpusSpec", "event_time", "generate_events", "partition_of", "write_archive"]

ACCOUNT = "123456789012"
DOMAINS = ("example.com", "example.org", "mail.example.net", "example.co.uk", "example.de")
# SES bounce types and sub-types ("Contents of event data ...", bounce types), with weights
PERMANENT = (("General", 60), ("NoEmail", 20), ("Suppressed", 10), ("OnAccountSuppressionList", 10))
TRANSIENT = (("General", 40), ("MailboxFull", 30), ("MessageTooLarge", 10), ("ContentRejected", 20))
FEEDBACK_TYPES = (("abuse", 70), ("not-spam", 10), ("other", 20))
DELAY_TYPES = (
    ("InternalFailure", 10),
    ("General", 30),
    ("MailboxFull", 30),
    ("SpamDetected", 10),
    ("RecipientServerError", 10),
    ("TransientCommunicationFailure", 10),
)
TEMPLATES = ("welcome", "receipt", "newsletter")
FIRST_NAMES = ("ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo")
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
    " Gecko) Mobile/15E148",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
)


@dataclass(frozen=True)
class CorpusSpec:
    """What to generate. Rates are per message (per delivered message for engagement)."""

    messages: int = 1_000
    configuration_sets: Sequence[str] = ("marketing", "transactional")
    campaigns: Sequence[str] = ("spring-sale", "newsletter", "welcome")
    start: datetime = datetime(2026, 11, 1, tzinfo=UTC)
    hours: int = 72
    seed: int = 7
    rendering_failure_rate: float = 0.01
    reject_rate: float = 0.005
    bounce_rate: float = 0.04
    permanent_share: float = 0.8
    delay_rate: float = 0.03
    complaint_rate: float = 0.004
    open_rate: float = 0.35
    click_rate: float = 0.3
    """Of opened messages."""
    unsubscribe_rate: float = 0.005
    tenants: Sequence[str] = ()
    """SES tenants the mail is sent for, in turn (message ``n`` for ``tenants[n % len]``), each
    message tagged ``tenant`` as the sender helpers tag it. Default: none (no tenant tag)."""

    def __post_init__(self) -> None:
        from dataclasses import fields

        from ses_events import rules
        from ses_events.errors import Problem, SesEventsValidationError

        problems = [
            Problem(name, getattr(self, name), "must be a whole number, 1 or more")
            for name in ("messages", "hours")
            if type(getattr(self, name)) is not int or getattr(self, name) < 1
        ]
        if not self.configuration_sets:
            problems.append(Problem("configuration_sets", (), "must name one set or more"))
        for name in self.configuration_sets:
            violation = rules.CONFIGURATION_SET_NAME.violation(name)
            if violation is not None:
                problems.append(Problem("configuration_sets", name, violation))
        for name in self.tenants:
            violation = rules.TENANT_NAME.violation(name)
            if violation is not None:
                problems.append(Problem("tenants", name, violation))
        problems += [
            Problem(each.name, getattr(self, each.name), "must be a share from 0 to 1")
            for each in fields(self)
            if each.name.endswith(("_rate", "_share")) and not 0 <= getattr(self, each.name) <= 1
        ]
        if problems:
            raise SesEventsValidationError("event corpus", problems)


def mail_object(
    *,
    configuration_set: str,
    message_id: str,
    source: str,
    recipients: Sequence[str],
    subject: str,
    sent: datetime,
    tags: dict[str, list[str]],
    extra_headers: Sequence[tuple[str, str]] = (),
    account: str = ACCOUNT,
    region: str = "us-east-1",
) -> dict[str, Any]:
    """The ``mail`` object of every record of one message (SES's fields and shape)."""
    domain = source.rsplit("@", 1)[-1].rstrip(">")
    headers = [("From", source), ("To", ", ".join(recipients)), ("Subject", subject)]
    return {
        "timestamp": _iso(sent),
        "source": source,
        "sourceArn": f"arn:aws:ses:{region}:{account}:identity/{domain}",
        "sendingAccountId": account,
        "messageId": message_id,
        "destination": list(recipients),
        "headersTruncated": False,
        "headers": [{"name": n, "value": v} for n, v in (*headers, *extra_headers)],
        "commonHeaders": {
            "from": [source],
            "to": list(recipients),
            "messageId": message_id,
            "subject": subject,
        },
        "tags": tags,
    }


def bounce_object(
    recipient: str, at: datetime, feedback_id: str, *, permanent: bool, sub_type: str
) -> dict[str, Any]:
    """A ``bounce`` object for one recipient."""
    return {
        "bounceType": "Permanent" if permanent else "Transient",
        "bounceSubType": sub_type,
        "bouncedRecipients": [
            {
                "emailAddress": recipient,
                "action": "failed",
                "status": "5.1.1" if permanent else "4.2.2",
                "diagnosticCode": "smtp; 550 5.1.1 user unknown"
                if permanent
                else "smtp; 452 4.2.2 mailbox full",
            }
        ],
        "timestamp": _iso(at),
        "feedbackId": feedback_id,
        "reportingMTA": "dsn; a1-2.smtp-out.amazonses.com",
    }


def delivery_object(recipient: str, at: datetime, sent: datetime) -> dict[str, Any]:
    """A ``delivery`` object for one recipient."""
    return {
        "timestamp": _iso(at),
        "processingTimeMillis": int((at - sent).total_seconds() * 1000),
        "recipients": [recipient],
        "smtpResponse": "250 2.6.0 Message received",
        "reportingMTA": "a1-2.smtp-out.amazonses.com",
    }


def complaint_object(
    recipient: str, at: datetime, feedback_id: str, feedback_type: str
) -> dict[str, Any]:
    """A ``complaint`` object for one recipient."""
    return {
        "complainedRecipients": [{"emailAddress": recipient}],
        "timestamp": _iso(at),
        "feedbackId": feedback_id,
        "userAgent": "ExampleFeedbackLoop/1.0",
        "complaintFeedbackType": feedback_type,
        "arrivalDate": _iso(at),
    }


def open_object(at: datetime, ip_address: str, user_agent: str) -> dict[str, Any]:
    """An ``open`` object."""
    return {"ipAddress": ip_address, "timestamp": _iso(at), "userAgent": user_agent}


def click_object(
    at: datetime, ip_address: str, user_agent: str, link: str, link_tags: dict[str, str]
) -> dict[str, Any]:
    """A ``click`` object; ``linkTags`` as SES writes them (name → list of values)."""
    return {
        "ipAddress": ip_address,
        "timestamp": _iso(at),
        "userAgent": user_agent,
        "link": link,
        "linkTags": {name: [value] for name, value in link_tags.items()},
    }


def failure_object(error_message: str, template_name: str) -> dict[str, Any]:
    """A ``failure`` object (Rendering Failure)."""
    return {"errorMessage": error_message, "templateName": template_name}


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def generate_events(spec: CorpusSpec) -> Iterator[dict[str, Any]]:
    """The records of ``spec.messages`` messages, message by message, each in time order."""
    rng = random.Random(spec.seed)
    for number in range(spec.messages):
        yield from _message(rng, spec, number)


def _message(rng: random.Random, spec: CorpusSpec, number: int) -> Iterator[dict[str, Any]]:
    configuration_set = spec.configuration_sets[number % len(spec.configuration_sets)]
    campaign = rng.choice(spec.campaigns)
    domain = rng.choice(DOMAINS)
    recipient = f"{rng.choice(FIRST_NAMES)}.{rng.getrandbits(24):06x}@{domain}"
    sent = spec.start + timedelta(
        seconds=rng.randrange(spec.hours * 3600), milliseconds=rng.randrange(1000)
    )
    # the shape of SES's message IDs: 16 hex digits, a UUID, a suffix
    message_id = (
        f"{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-"
        f"{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}-000000"
    )
    boundary = f"----=_Part_{rng.getrandbits(24)}_{rng.getrandbits(32)}.{rng.getrandbits(40)}"
    mail = mail_object(
        configuration_set=configuration_set,
        message_id=message_id,
        source=f"news@{configuration_set}.example.com",
        recipients=[recipient],
        subject=f"{campaign} #{number}",
        sent=sent,
        tags={
            "ses:configuration-set": [configuration_set],
            "ses:caller-identity": ["mailer"],
            "ses:from-domain": [f"{configuration_set}.example.com"],
            "ses:source-ip": ["192.0.2.10"],
            "ses:outgoing-ip": [f"198.51.100.{number % 8 + 1}"],
            "campaign": [campaign],
            **(
                {rules.TENANT_TAG: [spec.tenants[number % len(spec.tenants)]]}
                if spec.tenants
                else {}
            ),
        },
        extra_headers=(
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ),
    )
    clock = sent

    def later(low: int, high: int) -> datetime:
        nonlocal clock
        clock = clock + timedelta(seconds=rng.randint(low, high), milliseconds=rng.randint(1, 999))
        return clock

    def record(
        event_type: str, key: str | None = None, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        found: dict[str, Any] = {"eventType": event_type, "mail": mail}
        if key is not None:
            found[key] = body if body is not None else {}
        return found

    if rng.random() < spec.rendering_failure_rate:
        yield record(
            "Rendering Failure",
            "failure",
            failure_object(
                "Attribute 'name' is not present in the rendering data.", rng.choice(TEMPLATES)
            ),
        )
        return
    yield record("Send", "send")
    if rng.random() < spec.reject_rate:
        yield record("Reject", "reject", {"reason": "Bad content"})
        return
    if rng.random() < spec.bounce_rate:
        permanent = rng.random() < spec.permanent_share
        at = later(1, 120)
        yield record(
            "Bounce",
            "bounce",
            bounce_object(
                recipient,
                at,
                f"{message_id}-bounce",
                permanent=permanent,
                sub_type=_pick(rng, PERMANENT if permanent else TRANSIENT),
            ),
        )
        return
    if rng.random() < spec.delay_rate:
        at = later(60, 900)
        yield record(
            "DeliveryDelay",
            "deliveryDelay",
            {
                "timestamp": _iso(at),
                "delayType": _pick(rng, DELAY_TYPES),
                "expirationTime": _iso(sent + timedelta(hours=14)),
                "delayedRecipients": [
                    {
                        "emailAddress": recipient,
                        "status": "4.4.1",
                        "diagnosticCode": "smtp; 421 4.4.1",
                    }
                ],
                "reportingMTA": "a1-2.smtp-out.amazonses.com",
            },
        )
    at = later(1, 30)
    yield record("Delivery", "delivery", delivery_object(recipient, at, sent))
    if rng.random() < spec.open_rate:
        yield record(
            "Open",
            "open",
            open_object(later(60, 7200), "203.0.113.5", "Mozilla/5.0"),
        )
        if rng.random() < spec.click_rate:
            # (drawn in this order, as the records have always been)
            ip_address = f"203.0.113.{rng.randrange(1, 255)}"
            at = later(5, 600)
            agent = rng.choice(USER_AGENTS)
            place = rng.choice(("hero", "footer", "cta"))
            yield record(
                "Click",
                "click",
                click_object(
                    at, ip_address, agent, f"https://www.example.com/{campaign}", {"link": place}
                ),
            )
    if rng.random() < spec.complaint_rate:
        at = later(300, 86_400)
        yield record(
            "Complaint",
            "complaint",
            complaint_object(recipient, at, f"{message_id}-complaint", _pick(rng, FEEDBACK_TYPES)),
        )
    if rng.random() < spec.unsubscribe_rate:
        yield record(
            "Subscription",
            "subscription",
            {
                "contactList": "customers",
                "timestamp": _iso(later(60, 3600)),
                "source": "UnsubscribeHeader",
                "newTopicPreferences": {"unsubscribeAll": True, "topicSubscriptionStatus": []},
                "oldTopicPreferences": {"unsubscribeAll": False, "topicSubscriptionStatus": []},
            },
        )


_EVENT_OBJECTS = (
    "bounce",
    "complaint",
    "delivery",
    "open",
    "click",
    "deliveryDelay",
    "subscription",
)


def event_time(record: dict[str, Any]) -> str:
    """When the event happened: its object's ``timestamp``, else the mail's (Send, Reject and
    Rendering Failure carry none of their own). ISO 8601, so text order is time order."""
    for key in _EVENT_OBJECTS:
        if key in record and "timestamp" in record[key]:
            return str(record[key]["timestamp"])
    return str(record["mail"]["timestamp"])


def partition_of(record: dict[str, Any], prefix: str = "ses-events/") -> str:
    """The archive's key prefix for ``record``: by configuration set and the hour it arrived
    (Firehose partitions by arrival; here the event's own time)."""
    moment = datetime.strptime(event_time(record), "%Y-%m-%dT%H:%M:%S.%fZ")
    configuration_set = record["mail"]["tags"]["ses:configuration-set"][0]
    return (
        f"{prefix}configuration_set={configuration_set}/year={moment:%Y}/month={moment:%m}"
        f"/day={moment:%d}/hour={moment:%H}/"
    )


def write_archive(
    records: Iterable[dict[str, Any]], out: str | Path, *, prefix: str = "ses-events/"
) -> list[Path]:
    """Write ``records`` under ``out`` as the archive does; returns the files written."""
    root = Path(out)
    by_partition: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_partition[partition_of(record, prefix)].append(record)
    written: list[Path] = []
    for partition, items in sorted(by_partition.items()):
        folder = root / partition
        folder.mkdir(parents=True, exist_ok=True)
        stamp = partition.rsplit("year=", 1)[1].replace("/", "").replace("month=", "-")
        path = folder / f"ses-events-1-{stamp.replace('day=', '-').replace('hour=', '-')}-00-00.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out_file:
            for item in sorted(items, key=event_time):
                out_file.write(json.dumps(item, separators=(",", ":")) + "\n")
        written.append(path)
    return written


SIMULATOR_OUTCOMES: dict[str, str] = {
    "success@simulator.amazonses.com": "delivery",
    "bounce@simulator.amazonses.com": "bounce",
    "complaint@simulator.amazonses.com": "complaint",
    "ooto@simulator.amazonses.com": "ooto",
    "suppressionlist@simulator.amazonses.com": "suppressed",
}
"""The SES mailbox simulator's addresses and what SES does with mail to them ("Using the mailbox
simulator", SES Developer Guide,
https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator).
Labels (``success+label@...``) keep the outcome. Any other address is delivered."""


def simulator_outcome(recipient: str) -> str:
    """``delivery``, ``bounce``, ``complaint``, ``ooto`` or ``suppressed`` for ``recipient``."""
    local, _, domain = recipient.strip().lower().rpartition("@")
    return SIMULATOR_OUTCOMES.get(f"{local.split('+', 1)[0]}@{domain}", "delivery")


def records_for_recipient(
    mail: dict[str, Any], recipient: str, sent: datetime
) -> list[dict[str, Any]]:
    """The records SES publishes for one recipient of a sent message, by the mailbox simulator's
    outcome: success or out-of-office → Send, Delivery; bounce → Send, Bounce (Permanent,
    General); complaint → Send, Delivery, Complaint (abuse); the suppression list → Send, Bounce
    (Permanent, Suppressed: the simulator answers "as if the address were on the SES
    suppression list"; third-party probes disagree on the sub-type, see the issue notes)."""
    outcome = simulator_outcome(recipient)
    message_id = mail["messageId"]
    records: list[dict[str, Any]] = [{"eventType": "Send", "mail": mail, "send": {}}]
    if outcome in ("bounce", "suppressed"):
        at = sent + timedelta(seconds=1)
        sub_type = "General" if outcome == "bounce" else "Suppressed"
        body = bounce_object(
            recipient, at, f"{message_id}-bounce", permanent=True, sub_type=sub_type
        )
        records.append({"eventType": "Bounce", "mail": mail, "bounce": body})
        return records
    at = sent + timedelta(seconds=1)
    records.append(
        {"eventType": "Delivery", "mail": mail, "delivery": delivery_object(recipient, at, sent)}
    )
    if outcome == "complaint":
        complaint = complaint_object(
            recipient, at + timedelta(seconds=1), f"{message_id}-complaint", "abuse"
        )
        records.append({"eventType": "Complaint", "mail": mail, "complaint": complaint})
    return records
