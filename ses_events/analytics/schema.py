"""The SES event record, defined once.

Every record SES publishes through a configuration set (to Firehose, and so to the archive) is a
JSON object: ``eventType``, the ``mail`` object, and one object per event type. The fields below
are those of the SES Developer Guide, "Contents of event data that Amazon SES publishes to
Firehose" (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-contents.html)
and its examples
(https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-examples.html).

From this one definition come the Glue (Hive) column types of the archive's table, the DuckDB
column types used to read a local archive, and the fields the event generator writes.
Timestamps stay ISO 8601 text, as SES writes them; the queries parse them
(``from_iso8601_timestamp``), which keeps the table readable by both engines without SerDe
options.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_TYPE_NAMES",
    "PARTITION_KEYS",
    "Array",
    "Column",
    "Map",
    "Scalar",
    "Struct",
    "duckdb_columns",
    "field_paths",
    "glue_columns",
]


@dataclass(frozen=True)
class Scalar:
    """A JSON scalar: ``string``, ``bigint`` or ``boolean`` (Hive spelling)."""

    name: str

    def hive(self) -> str:
        return self.name

    def duckdb(self) -> str:
        return {"string": "VARCHAR", "bigint": "BIGINT", "boolean": "BOOLEAN"}[self.name]


@dataclass(frozen=True)
class Array:
    element: Type

    def hive(self) -> str:
        return f"array<{self.element.hive()}>"

    def duckdb(self) -> str:
        return f"{self.element.duckdb()}[]"


@dataclass(frozen=True)
class Map:
    """A JSON object with free keys (tags: name → list of values)."""

    value: Type

    def hive(self) -> str:
        return f"map<string,{self.value.hive()}>"

    def duckdb(self) -> str:
        return f"MAP(VARCHAR, {self.value.duckdb()})"


@dataclass(frozen=True)
class Column:
    """A named field of a record or object, with what SES documents for it."""

    name: str
    type: Type
    doc: str = ""


@dataclass(frozen=True)
class Struct:
    fields: tuple[Column, ...]

    def hive(self) -> str:
        # Hive and Athena column names are case-insensitive and read JSON keys the same way
        return "struct<" + ",".join(f"{f.name.lower()}:{f.type.hive()}" for f in self.fields) + ">"

    def duckdb(self) -> str:
        return "STRUCT(" + ", ".join(f'"{f.name}" {f.type.duckdb()}' for f in self.fields) + ")"


Type = Scalar | Array | Map | Struct

STRING = Scalar("string")
BIGINT = Scalar("bigint")
BOOLEAN = Scalar("boolean")
STRINGS = Array(STRING)


def _struct(*fields: tuple[str, Type] | tuple[str, Type, str]) -> Struct:
    return Struct(tuple(Column(*f) for f in fields))


_RECIPIENT = _struct(
    ("emailAddress", STRING, "the recipient"),
    ("action", STRING, "bounces: 'failed'"),
    ("status", STRING, "the SMTP status code, such as 5.1.1"),
    ("diagnosticCode", STRING, "the receiving server's reply"),
)
_TOPIC_PREFERENCES = _struct(
    ("unsubscribeAll", BOOLEAN),
    (
        "topicSubscriptionStatus",
        Array(_struct(("topicName", STRING), ("subscriptionStatus", STRING))),
    ),
)

MAIL = _struct(
    ("timestamp", STRING, "when the message was sent (ISO 8601)"),
    ("messageId", STRING, "the message ID SES assigned"),
    ("source", STRING, "the envelope MAIL FROM address"),
    ("sourceArn", STRING, "the identity used to send"),
    ("sourceIp", STRING, "the IP address the request came from"),
    ("callerIdentity", STRING, "the IAM identity that sent the message"),
    ("sendingAccountId", STRING, "the AWS account that sent the message"),
    ("destination", STRINGS, "the recipients"),
    ("headersTruncated", BOOLEAN, "whether headers were cut"),
    ("headers", Array(_struct(("name", STRING), ("value", STRING))), "the original headers"),
    (
        "commonHeaders",
        _struct(
            ("from", STRINGS),
            ("to", STRINGS),
            ("cc", STRINGS),
            ("bcc", STRINGS),
            ("sender", STRINGS),
            ("replyTo", STRINGS),
            ("returnPath", STRING),
            ("messageId", STRING),
            ("date", STRING),
            ("subject", STRING),
        ),
        "the commonly used headers, parsed",
    ),
    ("tags", Map(STRINGS), "message tags, the automatic ses: ones included: name → values"),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "eventType",
        STRING,
        "Bounce, Complaint, Delivery, Send, Reject, Open, Click,"
        " Rendering Failure, DeliveryDelay or Subscription",
    ),
    Column("mail", MAIL, "the message that produced the event"),
    Column(
        "bounce",
        _struct(
            ("bounceType", STRING, "Undetermined, Permanent or Transient"),
            (
                "bounceSubType",
                STRING,
                "General, NoEmail, Suppressed, OnAccountSuppressionList, ...",
            ),
            ("bouncedRecipients", Array(_RECIPIENT)),
            ("timestamp", STRING),
            ("feedbackId", STRING),
            ("reportingMTA", STRING),
            ("remoteMtaIp", STRING),
        ),
    ),
    Column(
        "complaint",
        _struct(
            ("complainedRecipients", Array(_struct(("emailAddress", STRING)))),
            ("timestamp", STRING),
            ("feedbackId", STRING),
            ("complaintSubType", STRING, "null, or OnAccountSuppressionList"),
            ("userAgent", STRING),
            ("complaintFeedbackType", STRING, "abuse, auth-failure, fraud, not-spam, other, virus"),
            ("arrivalDate", STRING),
        ),
    ),
    Column(
        "delivery",
        _struct(
            ("timestamp", STRING),
            ("processingTimeMillis", BIGINT),
            ("recipients", STRINGS),
            ("smtpResponse", STRING),
            ("reportingMTA", STRING),
            ("remoteMtaIp", STRING),
        ),
    ),
    Column("send", _struct(), "an empty object"),
    Column("reject", _struct(("reason", STRING, "why SES rejected the message: Bad content"))),
    Column(
        "open",
        _struct(("ipAddress", STRING), ("timestamp", STRING), ("userAgent", STRING)),
    ),
    Column(
        "click",
        _struct(
            ("ipAddress", STRING),
            ("timestamp", STRING),
            ("userAgent", STRING),
            ("link", STRING),
            ("linkTags", Map(STRINGS), "tags of the clicked link: name → values"),
        ),
    ),
    Column(
        "failure",
        _struct(("errorMessage", STRING), ("templateName", STRING)),
        "Rendering Failure",
    ),
    Column(
        "deliveryDelay",
        _struct(
            ("timestamp", STRING),
            ("delayType", STRING, "InternalFailure, General, MailboxFull, SpamDetected, ..."),
            ("expirationTime", STRING),
            ("delayedRecipients", Array(_RECIPIENT)),
            ("reportingMTA", STRING),
        ),
    ),
    Column(
        "subscription",
        _struct(
            ("contactList", STRING),
            ("timestamp", STRING),
            ("source", STRING),
            ("newTopicPreferences", _TOPIC_PREFERENCES),
            ("oldTopicPreferences", _TOPIC_PREFERENCES),
        ),
    ),
)
"""The columns of an event record, in the order of the SES documentation."""

PARTITION_KEYS: tuple[str, ...] = ("configuration_set", "year", "month", "day", "hour")
"""The archive's key prefix, ``configuration_set=<name>/year=/month=/day=/hour=/``, as
partition keys (the archive's Firehose dynamic partitioning writes them)."""

EVENT_TYPE_NAMES: dict[str, str] = {
    "send": "Send",
    "reject": "Reject",
    "bounce": "Bounce",
    "complaint": "Complaint",
    "delivery": "Delivery",
    "open": "Open",
    "click": "Click",
    "renderingFailure": "Rendering Failure",
    "deliveryDelay": "DeliveryDelay",
    "subscription": "Subscription",
}
"""``eventType`` as SES writes it in a record, by the event type's CloudFormation spelling
(``rules.EventType`` values). Note the space in ``Rendering Failure``."""


def glue_columns() -> list[tuple[str, str]]:
    """``(name, Hive type)`` of every column, for a Glue table."""
    return [(c.name.lower(), c.type.hive()) for c in EVENT_COLUMNS if _non_empty(c.type)]


def duckdb_columns() -> dict[str, str]:
    """``{name: DuckDB type}`` of every column, for DuckDB's ``read_json(columns=...)``."""
    return {c.name: c.type.duckdb() for c in EVENT_COLUMNS if _non_empty(c.type)}


def _non_empty(type_: Type) -> bool:
    """An empty struct (``send: {}``) is no column: Hive and DuckDB have no empty struct."""
    return not (isinstance(type_, Struct) and not type_.fields)


def field_paths() -> set[str]:
    """Every field's path (``mail.commonHeaders.subject``, ``bounce.bouncedRecipients[].status``)
    with ``*`` for map keys (``mail.tags.*[]``)."""
    return set(_paths("", Struct(EVENT_COLUMNS)))


def _paths(prefix: str, type_: Type) -> Iterator[str]:
    if isinstance(type_, Struct):
        if prefix:
            yield prefix
        for field in type_.fields:
            yield from _paths(f"{prefix}.{field.name}" if prefix else field.name, field.type)
    elif isinstance(type_, Array):
        yield prefix
        yield from _paths(prefix + "[]", type_.element)
    elif isinstance(type_, Map):
        yield prefix
        yield from _paths(prefix + ".*", type_.value)
    else:
        yield prefix
