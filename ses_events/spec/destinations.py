"""Event destinations in the spec: CloudWatch (with dimensions), Firehose, SNS, EventBridge; the
shared SNS topics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from ses_events import rules
from ses_events.errors import Problem
from ses_events.model import (
    DestinationKind,
    DestinationModel,
    DimensionModel,
)
from ses_events.spec.base import Bool, _rule, _Spec

_SOURCES = {
    "message_tag": rules.DimensionSource.MESSAGE_TAG,
    "email_header": rules.DimensionSource.EMAIL_HEADER,
    "link_tag": rules.DimensionSource.LINK_TAG,
}


class DimensionSpec(_Spec):
    """A CloudWatch dimension: ``name``, ``source`` and ``default_value``.

    For the SES automatic tags (``ses:from-domain``, ...) ``default_value`` may be left out.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra=lambda schema: _dimension_schema(schema)
    )

    name: str
    """Dimension name; for ``email_header`` the header, for ``link_tag`` the link tag."""
    source: rules.DimensionSource = rules.DimensionSource.MESSAGE_TAG
    """Where SES reads the value: ``message_tag`` (default), ``email_header`` or ``link_tag``."""
    default_value: str
    """Published when a message lacks the value. Required except for automatic tags."""

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            source = data.get("source")
            if isinstance(source, str) and source in _SOURCES:
                data["source"] = _SOURCES[source]
            if "default_value" not in data and data.get("name") in rules.SES_AUTOMATIC_TAGS:
                data["default_value"] = rules.AUTOMATIC_TAG_DEFAULT_VALUE
        return data


def _dimension_schema(schema: dict[str, Any]) -> None:
    """The JSON Schema says what a spec may *write*: the snake_case shorthands of ``source`` as
    well as SES's names, and ``default_value`` optional (required, for tags other than the
    automatic ones, by the validation that synth runs)."""
    properties = schema["properties"]
    properties["source"] = {
        "enum": [*_SOURCES, *(source.value for source in rules.DimensionSource)],
        "default": "message_tag",
        "description": properties["source"].get("description", ""),
    }
    schema["required"] = [name for name in schema.get("required", []) if name != "default_value"]


def _event_type_list(value: Any) -> Any:
    if isinstance(value, list):
        for item in value:
            if rules.parse_event_type(item) is None:
                raise ValueError(f"{item!r} {rules.EVENT_TYPE_RULE}")
        if not value:
            raise ValueError("must list at least one event type")
    return value


class _DestinationSpec(_Spec):
    name: str
    """Event destination name in SES, unique within the configuration set."""
    event_types: list[str] | None = None
    """Event types to publish (``send``, ``bounce``, ...). Default: all ten."""
    enabled: Bool = True
    """Whether SES publishes to the destination. Default: ``true``."""

    _name = field_validator("name")(_rule(rules.EVENT_DESTINATION_NAME))
    _types = field_validator("event_types", mode="before")(_event_type_list)


class CloudWatchDestinationSpec(_DestinationSpec):
    """``type: cloudwatch``: event counts as CloudWatch metrics split by ``dimensions``."""

    type: Literal["cloudwatch"]
    dimensions: list[DimensionSpec] = Field(
        default_factory=lambda: [
            DimensionSpec(
                name="ses:configuration-set", default_value=rules.AUTOMATIC_TAG_DEFAULT_VALUE
            )
        ]
    )
    """Up to 10 dimensions. Default: ``ses:configuration-set``."""

    @property
    def published_event_types(self) -> tuple[rules.EventType, ...]:
        """The event types published (all ten when none are listed)."""
        types = (rules.parse_event_type(t) for t in self.event_types or list(rules.EventType))
        return tuple(t for t in types if t is not None)

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)


class FirehoseDestinationSpec(_DestinationSpec):
    """``type: firehose``: events archived to S3 through a shared archive of ``archives``."""

    type: Literal["firehose"]
    archive: str = "default"
    """Name of an entry of the top-level ``archives``. Default: ``default``."""


class SnsDestinationSpec(_DestinationSpec):
    """``type: sns``: events published to a topic of the top-level ``topics``."""

    type: Literal["sns"]
    topic: str
    """Name of an entry of the top-level ``topics``."""


class EventBridgeDestinationSpec(_DestinationSpec):
    """``type: eventbridge``: events put on the account's default event bus."""

    type: Literal["eventbridge"]
    event_bus: str = rules.DEFAULT_EVENT_BUS_NAME
    """Must be ``default``: SES publishes to no other bus."""

    @field_validator("event_bus")
    @classmethod
    def _default_bus(cls, value: str) -> str:
        if value != rules.DEFAULT_EVENT_BUS_NAME:
            raise ValueError("SES publishes only to the default event bus: use 'default'")
        return value


DestinationSpec = Annotated[
    CloudWatchDestinationSpec
    | FirehoseDestinationSpec
    | SnsDestinationSpec
    | EventBridgeDestinationSpec,
    Field(discriminator="type"),
]


def _destination_model(d: DestinationSpec) -> DestinationModel:
    kind = DestinationKind.EVENTBRIDGE
    dimensions: tuple[DimensionModel, ...] = ()
    archive: str | None = None
    topic: str | None = None
    if isinstance(d, CloudWatchDestinationSpec):
        kind = DestinationKind.CLOUDWATCH
        dimensions = tuple(DimensionModel(x.name, x.source, x.default_value) for x in d.dimensions)
    elif isinstance(d, FirehoseDestinationSpec):
        kind, archive = DestinationKind.FIREHOSE, d.archive
    elif isinstance(d, SnsDestinationSpec):
        kind, topic = DestinationKind.SNS, d.topic
    return DestinationModel(
        name=d.name,
        kind=kind,
        event_types=rules.event_type_selection(d.event_types)[0],
        enabled=d.enabled,
        dimensions=dimensions,
        archive=archive,
        topic=topic,
    )


class TopicSpec(_Spec):
    """A shared SNS topic that SNS destinations refer to by ``name``."""

    name: Annotated[str, Field(pattern=r"^[a-zA-Z0-9-]{1,32}$")]
    display_name: (
        Annotated[str, Field(max_length=rules.MAX_TOPIC_DISPLAY_NAME_CHARACTERS)] | None
    ) = None
    encrypted: Bool = True
    """Encrypt with a customer managed KMS key created for the topic (rotated; about 1 USD a
    month, and every subscriber that is an AWS service needs the key). ``false`` leaves the
    events readable to anyone who may read the topic's messages at rest. Default: ``true``."""


def _dimension_problems(where: str, dimensions: list[DimensionSpec]) -> list[Problem]:
    return [
        Problem(f"{where}.{field}", value, rule)
        for field, value, rule in rules.dimension_problems(dimensions)
    ]
