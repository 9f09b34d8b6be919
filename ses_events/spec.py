"""The declarative spec: which configuration sets a team wants, and where their events go.

A spec is YAML (see ``ses_events/examples/ses-events.yaml`` for every field in use). It is
validated with pydantic against the same SES rules the constructs use, and every problem is
reported with its place in the file, for example::

    examples/bad.yaml: invalid SES event publishing settings
      - configuration_sets[1].destinations[0].dimensions[2].name = 'bad name': must be ...
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from ses_events import rules
from ses_events.errors import Problem, SesEventsValidationError
from ses_events.model import (
    DestinationKind,
    DestinationModel,
    DimensionModel,
    SetModel,
    SetOptions,
)
from ses_events.spec_yaml import MAX_SPEC_BYTES, PlainScalar, hint_for, location, read_yaml

__all__ = [
    "AnalyticsSpec",
    "ArchiveSpec",
    "CloudWatchDestinationSpec",
    "ConfigurationSetMonitoringSpec",
    "ConfigurationSetSpec",
    "DeliverySpec",
    "DestinationSpec",
    "DimensionSpec",
    "EnvironmentSpec",
    "EventBridgeDestinationSpec",
    "EventPublishingSpec",
    "FirehoseDestinationSpec",
    "LayoutSpec",
    "MonitoringSpec",
    "NotificationsSpec",
    "RateThresholdSpec",
    "RetentionSpec",
    "SnsDestinationSpec",
    "SpecError",
    "SuppressionSpec",
    "ThresholdsSpec",
    "TopicSpec",
    "TrackingSpec",
    "ValidationSpec",
    "VdmSpec",
    "funnel_tags",
    "load_spec",
    "parse_spec",
    "workgroup_name",
]


def _whole_numbers(value: Any) -> Any:
    """``value`` with each float that has no fraction made the integer it is: JSON Schema's
    ``integer`` takes ``5.0``, and so does the loader (a number field takes either)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


# What the spec's JSON Schema says is what the loader takes: no "on" for true, no "5" for 5
# (pydantic's lax mode would coerce both). Strings stay strings; enums are still read from theirs.
Bool = Annotated[bool, Strict()]
"""``true`` or ``false`` only."""
Int = Annotated[int, Strict()]
"""An integer (``5``, or ``5.0`` through :func:`_whole_numbers`); not a string, a boolean or
``5.5``."""
Float = Annotated[float, Strict()]
"""A number (``0.05`` or ``1``); not a string or a boolean."""


class SpecError(SesEventsValidationError):
    """A spec that breaks a rule; each problem's field is its place in the file."""


SPEC_FILE_HEADLINE = "not a readable spec file"
"""The headline of a spec file that cannot be read as a spec at all (missing, not UTF-8, not
YAML, empty, not a mapping), as opposed to a spec whose settings break a rule."""


def _unreadable(path: str, value: object, rule: str) -> SpecError:
    return SpecError(path, [Problem("(file)", value, rule)], headline=SPEC_FILE_HEADLINE)


def _rule(rule: rules.PatternRule) -> Any:
    def check(value: str) -> str:
        violation = rule.violation(value)
        if violation is not None:
            raise ValueError(violation)
        return value

    return check


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EnvironmentSpec(_Spec):
    """Where the stacks deploy. Both fields optional; without them stacks are environment-agnostic."""

    account: Annotated[str, Field(pattern=r"^\d{12}$")] | None = None
    """The 12-digit AWS account id."""
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")] | None = None
    """The AWS region, for example ``eu-west-1``."""


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


class DeliverySpec(_Spec):
    """Delivery options of a configuration set."""

    tls_policy: Literal["REQUIRE", "OPTIONAL"] | None = None
    """Require TLS to the receiving server. Default: SES's default (``OPTIONAL``)."""
    sending_pool: str | None = None
    """Dedicated IP pool name. Default: the shared pool."""

    _pool = field_validator("sending_pool")(
        lambda value: value if value is None else _rule(rules.DEDICATED_IP_POOL_NAME)(value)
    )
    max_delivery_seconds: Int | None = None
    """How long SES retries delivery, 300 to 50400 seconds. Default: 14 hours."""

    @field_validator("max_delivery_seconds")
    @classmethod
    def _range(cls, value: int | None) -> int | None:
        if (
            value is not None
            and not rules.MIN_DELIVERY_SECONDS <= value <= rules.MAX_DELIVERY_SECONDS
        ):
            raise ValueError(
                f"must be {rules.MIN_DELIVERY_SECONDS} to {rules.MAX_DELIVERY_SECONDS} seconds"
                " (5 minutes to 14 hours)"
            )
        return value


class ValidationSpec(_Spec):
    """Auto Validation of recipients (suppression validation options)."""

    enabled: Bool | None = None
    """Turn Auto Validation on or off for this set. Default: the account-level setting."""
    confidence_threshold: Literal["MEDIUM", "HIGH", "MANAGED"] | None = None
    """Confidence verdict threshold. Setting it enables Auto Validation."""


class SuppressionSpec(_Spec):
    """Suppression list options of a configuration set."""

    reasons: Annotated[list[Literal["BOUNCE", "COMPLAINT"]], Field(min_length=1)] | None = None
    """Reasons that add a recipient to the suppression list. Default: the account's."""
    disable_account_list: Bool = False
    """Ignore the account-level suppression list for this set. Default: ``false``."""
    validation: ValidationSpec | None = None


class TrackingSpec(_Spec):
    """Open and click tracking options."""

    custom_redirect_domain: str
    """Your domain for tracking links."""
    https_policy: Literal["REQUIRE", "REQUIRE_OPEN_ONLY", "OPTIONAL"] | None = None

    _domain = field_validator("custom_redirect_domain")(_rule(rules.DOMAIN_NAME))


class VdmSpec(_Spec):
    """Virtual Deliverability Manager options."""

    engagement_metrics: Bool | None = None
    optimized_shared_delivery: Bool | None = None


AlarmName = Literal[
    "bounce_rate", "complaint_rate", "rendering_failures", "rejects", "delivery_delays"
]
"""The alarms a configuration set can have (``ses_events.rules.SesAlarm``)."""


def _rate(value: float) -> float:
    for _, _, rule in rules.rate_threshold_problems(value, None):
        raise ValueError(rule)
    return value


class RateThresholdSpec(_Spec):
    """Warning and critical levels of a rate alarm, as fractions: ``0.05`` is 5%."""

    warning: Float
    critical: Float

    _levels = field_validator("warning", "critical")(_rate)

    @model_validator(mode="after")
    def _ordered(self) -> RateThresholdSpec:
        for _, value, rule in rules.rate_threshold_problems(self.warning, self.critical):
            raise ValueError(f"warning {value} {rule}")
        return self


class ThresholdsSpec(_Spec):
    """Alarm thresholds; each one left out keeps its default (or the top-level value)."""

    bounce_rate: RateThresholdSpec | None = None
    """Default: warning 0.025, critical 0.05 (the AWS review level)."""
    complaint_rate: RateThresholdSpec | None = None
    """Default: warning 0.0005, critical 0.001 (the AWS review level)."""
    rendering_failures: Annotated[Int, Field(ge=1)] | None = None
    """Rendering failures per 5 minutes. Default: 1."""
    rejects: Annotated[Int, Field(ge=1)] | None = None
    """Rejects per 5 minutes. Default: 1."""
    delivery_delays: Annotated[Int, Field(ge=1)] | None = None
    """Delivery delays per 5 minutes, 3 periods in a row. Default: 50."""


class ConfigurationSetMonitoringSpec(_Spec):
    """Which alarms a configuration set gets, its thresholds and its dashboard breakdowns."""

    alarms: list[AlarmName] | None = None
    """Alarms to create. Default: every alarm the set supports; ``[]`` for none."""
    thresholds: ThresholdsSpec | None = None
    """Overrides of the top-level ``monitoring.thresholds`` for this set."""
    breakdowns: list[str] | None = None
    """Dimensions to break events down by on the dashboard. Default: every dimension but
    ``ses:configuration-set``."""
    dashboard: Bool = True
    """Show the set on the dashboards. Default: ``true``."""


class NotificationsSpec(_Spec):
    """Where alarms notify."""

    topic_arn: (
        Annotated[
            str, Field(pattern=r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$")
        ]
        | None
    ) = None
    """An existing SNS topic. Default: a topic is created (encrypted, TLS-only)."""
    emails: list[str] = Field(default_factory=list)
    """Email addresses to subscribe to the topic (each must confirm)."""
    via_composite: Bool = False
    """Notify critical problems through each set's composite alarm only. Default: ``false``."""

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for email in value:
            broken = rules.EMAIL_ADDRESS.violation(email)
            if broken is not None:
                raise ValueError(f"{email!r} {broken}")
        return value


class MonitoringSpec(_Spec):
    """Dashboards and alarms for the spec's configuration sets."""

    enabled: Bool = True
    """Create dashboards and alarms. Default: ``true``."""
    prefix: str | None = None
    """First part of alarm and dashboard names. Default: the spec's ``stack_name``."""
    dashboards: Literal["per_environment", "per_configuration_set", "none"] = "per_environment"
    """One dashboard for all sets (split when too big), one per set, or none."""
    account_alarms: Bool = True
    """Alarms on the account's reputation (bounce and complaint rate). Default: ``true``."""
    archive_alarms: Bool = True
    """Alarms on each used Firehose archive (freshness, S3 delivery). Default: ``true``."""
    composite_alarms: Bool = True
    """A composite health alarm per configuration set. Default: ``true``."""
    fleet: Bool = False
    """Fleet alarms and a fleet dashboard covering every set with Metrics Insights queries
    (4 alarms and 1 dashboard whatever the number of sets). Default: ``false``."""
    thresholds: ThresholdsSpec = Field(default_factory=ThresholdsSpec)
    notifications: NotificationsSpec = Field(default_factory=NotificationsSpec)

    _prefix = field_validator("prefix")(
        lambda value: value if value is None else _rule(rules.ALARM_NAME_PREFIX)(value)
    )


class ConfigurationSetSpec(_Spec):
    """One configuration set and its event destinations."""

    name: str
    """The name senders pass to SES."""
    delivery: DeliverySpec | None = None
    reputation_metrics: Bool = True
    """Publish reputation metrics for this set. Default: ``true``."""
    sending_enabled: Bool = True
    suppression: SuppressionSpec | None = None
    tracking: TrackingSpec | None = None
    vdm: VdmSpec | None = None
    archive_arn: str | None = None
    """MailManager archive ARN that keeps a copy of every message."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Resource tags of the configuration set."""
    destinations: list[DestinationSpec] = Field(default_factory=list)
    """Up to 10 event destinations."""
    monitoring: ConfigurationSetMonitoringSpec = Field(
        default_factory=ConfigurationSetMonitoringSpec
    )

    _name = field_validator("name")(_rule(rules.CONFIGURATION_SET_NAME))
    _archive = field_validator("archive_arn")(
        lambda value: value if value is None else _rule(rules.MAILMANAGER_ARCHIVE_ARN)(value)
    )

    def to_model(self) -> SetModel:
        """The set as plain data (:mod:`ses_events.model`): what the layout, the checks and the
        bulk path read."""
        return SetModel(
            name=self.name,
            destinations=tuple(_destination_model(d) for d in self.destinations),
            reputation_metrics=self.reputation_metrics,
            sending_enabled=self.sending_enabled,
            alarms=None
            if self.monitoring.alarms is None
            else tuple(rules.SesAlarm(a) for a in self.monitoring.alarms),
            dashboard=self.monitoring.dashboard,
            options=self._options(),
        )

    def _options(self) -> SetOptions:
        delivery, suppression, tracking, vdm = (
            self.delivery,
            self.suppression,
            self.tracking,
            self.vdm,
        )
        validation = suppression.validation if suppression else None
        reasons = None
        if suppression and suppression.reasons:
            reasons = tuple(r for r in ("BOUNCE", "COMPLAINT") if r in suppression.reasons)
        return SetOptions(
            tls_policy=delivery.tls_policy if delivery else None,
            sending_pool_name=delivery.sending_pool if delivery else None,
            max_delivery_seconds=delivery.max_delivery_seconds if delivery else None,
            suppression_reasons=reasons,
            disable_suppression_list=bool(suppression and suppression.disable_account_list),
            validation_enabled=validation.enabled if validation else None,
            validation_threshold=validation.confidence_threshold if validation else None,
            custom_redirect_domain=tracking.custom_redirect_domain if tracking else None,
            https_policy=tracking.https_policy if tracking else None,
            engagement_metrics=vdm.engagement_metrics if vdm else None,
            optimized_shared_delivery=vdm.optimized_shared_delivery if vdm else None,
            archive_arn=self.archive_arn,
            tags=tuple(sorted(self.tags.items())),
        )


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


class RetentionSpec(_Spec):
    """How long the archive keeps event data (recipient addresses are personal data)."""

    expire_after_days: Annotated[Int, Field(ge=1)] | None = None
    """Delete event objects this many days after they were written. Default: keep them."""
    noncurrent_versions_days: Annotated[Int, Field(ge=1)] = rules.DEFAULT_NONCURRENT_VERSION_DAYS
    """Delete an old version (after an overwrite or delete) after this many days. Default: 30."""
    infrequent_access_after_days: (
        Annotated[int, Field(ge=rules.MIN_DAYS_BEFORE_INFREQUENT_ACCESS)] | None
    ) = None
    """Move objects to S3 Standard-IA after this many days (30 or more). Default: never."""
    glacier_after_days: Annotated[Int, Field(ge=1)] | None = None
    """Move objects to S3 Glacier Instant Retrieval after this many days. Default: never."""

    @model_validator(mode="after")
    def _order(self) -> RetentionSpec:
        names = {"expiration": "expire_after_days", "glacier_after": "glacier_after_days"}
        names["infrequent_access_after"] = "infrequent_access_after_days"
        for field, value, rule in rules.retention_problems(
            self.expire_after_days, self.infrequent_access_after_days, self.glacier_after_days
        ):
            raise ValueError(f"{names[field]} = {value}: {rule}")
        return self


class ArchiveSpec(_Spec):
    """A shared Firehose → S3 archive that Firehose destinations refer to by ``name``."""

    name: Annotated[str, Field(pattern=r"^[a-zA-Z0-9-]{1,32}$")]
    buffering_interval_seconds: Annotated[
        Int, Field(ge=rules.FIREHOSE_BUFFER_SECONDS[0], le=rules.FIREHOSE_BUFFER_SECONDS[1])
    ] = 300
    buffering_size_mib: Annotated[
        Int, Field(ge=rules.FIREHOSE_BUFFER_MIB[0], le=rules.FIREHOSE_BUFFER_MIB[1])
    ] = 64
    compression: Literal["GZIP", "Snappy", "HADOOP_SNAPPY", "ZIP", "UNCOMPRESSED"] = "GZIP"
    prefix: str = "ses-events/"
    error_output_prefix: str = "ses-events-errors/"
    max_data_age_seconds: (
        Annotated[
            Int, Field(ge=rules.FIREHOSE_BUFFER_SECONDS[0], le=rules.MAX_FIREHOSE_DATA_AGE_SECONDS)
        ]
        | None
    ) = None
    """Alarm when records wait longer to reach S3. Default: 3 buffering intervals, >= 900."""
    retention: RetentionSpec = Field(default_factory=RetentionSpec)
    """How long event data is kept. Default: objects kept, old versions 30 days."""
    access_logs_bucket: (
        Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] | None
    ) = None
    """Name of an existing bucket for the archive bucket's S3 server access logs. Default: none."""
    format: Literal["json", "parquet"] = "json"
    """How records are stored: GZIP JSON lines, or Parquet through Firehose record format
    conversion (needs ``analytics.enabled``: the Glue table is the schema). Default: ``json``."""
    encrypt_logs: Bool = False
    """Encrypt the delivery error log group with a customer managed KMS key created for it
    (rotated; about 1 USD a month). Default: CloudWatch Logs' own encryption."""


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


class LayoutSpec(_Spec):
    """How configuration sets are spread over stacks (see :mod:`ses_events.stacks.layout`)."""

    max_resources_per_stack: Annotated[Int, Field(ge=20, le=rules.MAX_RESOURCES_PER_STACK)] = 450
    """Resources a stack may hold: CloudFormation allows 500; the default leaves room."""
    file: str | None = None
    """The layout file, relative to the spec. Default: ``<spec name>.layout.json``."""


class AnalyticsSpec(_Spec):
    """The query layer over the archives: a Glue table per archive, an Athena workgroup and the
    named queries (:mod:`ses_events.constructs.analytics`)."""

    enabled: Bool = False
    """Create the Glue table, workgroup and named queries. Default: ``false``."""
    database: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,200}$")] | None = None
    """Glue database name. Default: the stack name in lowercase, ``-`` as ``_``."""
    workgroup: Annotated[str, Field(pattern=r"^[a-zA-Z0-9._-]{1,120}$")] | None = None
    """Athena workgroup name. Default: ``<stack name>-events``."""
    bytes_scanned_cutoff_mb: Annotated[
        Int, Field(ge=rules.MIN_ATHENA_BYTES_SCANNED_CUTOFF // 1_000_000)
    ] = 10_240
    """The most one query may scan, in MB (10 or more). Default: 10,240 (10 GB)."""
    results_expiration_days: Annotated[Int, Field(ge=1)] = 30
    """How long query results are kept. Default: 30 days."""
    funnel_tag: str = "campaign"
    """The message tag the funnel query groups by. Default: ``campaign``."""
    years: tuple[Int, Int] = (2025, 2035)
    """The years partition projection covers, first and last. Default: 2025 to 2035."""

    _tag = field_validator("funnel_tag")(_rule(rules.DIMENSION_NAME))

    @field_validator("years")
    @classmethod
    def _years(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not rules.MIN_PROJECTED_YEAR <= value[0] <= value[1] <= rules.MAX_PROJECTED_YEAR:
            raise ValueError(
                f"must be two years, first not after last, within {rules.MIN_PROJECTED_YEAR} to"
                f" {rules.MAX_PROJECTED_YEAR}"
            )
        return value


class EventPublishingSpec(_Spec):
    """The whole spec: stack settings, shared archives and topics, configuration sets."""

    stack_name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$")] = "SesEvents"
    """CloudFormation stack name. Context ``ses-events:stack-name`` overrides it."""
    description: Annotated[str, Field(max_length=rules.MAX_STACK_DESCRIPTION_CHARACTERS)] | None = (
        None
    )
    environment: EnvironmentSpec = Field(default_factory=EnvironmentSpec)
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of every resource in the stack."""
    archives: list[ArchiveSpec] = Field(default_factory=lambda: [ArchiveSpec(name="default")])
    topics: list[TopicSpec] = Field(default_factory=list)
    configuration_sets: list[ConfigurationSetSpec]
    monitoring: MonitoringSpec = Field(default_factory=MonitoringSpec)
    """Dashboards and alarms. Default: on, with the defaults of each field."""
    layout: LayoutSpec = Field(default_factory=LayoutSpec)
    """Stacks for specs that outgrow one. Default: 450 resources per stack."""
    analytics: AnalyticsSpec = Field(default_factory=AnalyticsSpec)
    """Glue tables, Athena workgroup and named queries over the archives. Default: off."""


def _cross_checks(spec: EventPublishingSpec) -> list[Problem]:
    """Rules that span entries: unique names, quotas and references."""
    found: list[Problem] = []
    archives = {a.name for a in spec.archives}
    topics = {t.name for t in spec.topics}
    if len(spec.configuration_sets) > rules.MAX_CONFIGURATION_SETS_PER_REGION:
        found.append(
            Problem(
                "configuration_sets",
                f"{len(spec.configuration_sets)} configuration sets",
                f"SES allows at most {rules.MAX_CONFIGURATION_SETS_PER_REGION} configuration sets"
                " per account and Region",
            )
        )
    found += [Problem(f, v, r) for f, v, r in rules.tag_problems(spec.tags)]
    for k, archive in enumerate(spec.archives):
        if archive.format == "parquet" and not spec.analytics.enabled:
            found.append(
                Problem(
                    f"archives[{k}].format",
                    archive.format,
                    "needs analytics.enabled: true (the archive's Glue table is the schema"
                    " Firehose converts records with)",
                )
            )
        if (
            archive.format == "parquet"
            and archive.compression not in rules.PARQUET_BLOCK_COMPRESSION
        ):
            found.append(
                Problem(
                    f"archives[{k}].compression",
                    archive.compression,
                    rules.PARQUET_COMPRESSION_RULE,
                )
            )
    for kind, names in (
        ("archives", [a.name for a in spec.archives]),
        ("topics", [t.name for t in spec.topics]),
    ):
        for name in rules.duplicates(names):
            found.append(Problem(kind, name, f"{kind[:-1]} names must be unique"))
    for name in rules.duplicates(cs.name for cs in spec.configuration_sets):
        index = [cs.name for cs in spec.configuration_sets].index(name)
        found.append(
            Problem(
                f"configuration_sets[{index}].name",
                name,
                "configuration set names must be unique in a spec (per account and region)",
            )
        )
    for i, cs in enumerate(spec.configuration_sets):
        where = f"configuration_sets[{i}]"
        # the stack's tags land on the set too: together at most 50 keys
        inherited = len(set(spec.tags) - set(cs.tags))
        found += [
            Problem(f"{where}.{f}", v, r)
            for f, v, r in rules.tag_problems(cs.tags, reserved=inherited)
        ]
        seen: list[str] = []
        for j, dest in enumerate(cs.destinations):
            broken = rules.new_destination_problem(seen, dest.name)
            if broken is None:
                seen.append(dest.name)
            else:
                found.append(Problem(f"{where}.destinations[{j}].name", dest.name, broken))
        for option, rule in rules.set_option_problems(
            cs.to_model().options, lambda option: _SPEC_FIELDS[option][0]
        ):
            field, value = _SPEC_FIELDS[option]
            found.append(Problem(f"{where}.{field}", value(cs), rule))
        for j, dest in enumerate(cs.destinations):
            here = f"{where}.destinations[{j}]"
            if isinstance(dest, FirehoseDestinationSpec) and dest.archive not in archives:
                found.append(
                    Problem(
                        f"{here}.archive",
                        dest.archive,
                        f"must name an entry of archives {sorted(archives)}",
                    )
                )
            if isinstance(dest, SnsDestinationSpec) and dest.topic not in topics:
                found.append(
                    Problem(
                        f"{here}.topic",
                        dest.topic,
                        f"must name an entry of topics {sorted(topics)}",
                    )
                )
            if isinstance(dest, CloudWatchDestinationSpec):
                found += _dimension_problems(here, dest.dimensions)
        if spec.monitoring.enabled:
            found += _monitoring_problems(spec, where, cs)
    return found


_SPEC_FIELDS: dict[str, tuple[str, Callable[[ConfigurationSetSpec], object]]] = {
    "suppression_reasons": (
        "suppression.reasons",
        lambda cs: cs.suppression.reasons if cs.suppression else None,
    ),
    "disable_suppression_list": ("suppression.disable_account_list", lambda cs: None),
    "validation_threshold": (
        "suppression.validation.confidence_threshold",
        lambda cs: (
            cs.suppression.validation.confidence_threshold
            if cs.suppression and cs.suppression.validation
            else None
        ),
    ),
    "validation_enabled": ("suppression.validation.enabled", lambda cs: None),
    "https_policy": (
        "tracking.https_policy",
        lambda cs: cs.tracking.https_policy if cs.tracking else None,
    ),
    "custom_redirect_domain": ("tracking.custom_redirect_domain", lambda cs: None),
}
"""The spec's field for each option of :class:`ses_events.model.SetOptions` that
:func:`ses_events.rules.set_option_problems` names, and how to read the value it reports."""


def workgroup_name(spec: EventPublishingSpec) -> str:
    """The spec's Athena workgroup: ``analytics.workgroup``, else ``<stack_name>-events``."""
    return spec.analytics.workgroup or f"{spec.stack_name}-events"


def funnel_tags(spec: EventPublishingSpec) -> list[str]:
    """The message tags the named funnel queries group by: ``analytics.funnel_tag`` first, then
    every message tag a CloudWatch destination of the spec uses as a dimension (not the ``ses:``
    automatic tags), once each, in spec order."""
    tags = [spec.analytics.funnel_tag]
    for cs in spec.configuration_sets:
        for dest in cs.destinations:
            if isinstance(dest, CloudWatchDestinationSpec):
                tags += [
                    d.name
                    for d in dest.dimensions
                    if d.source is rules.DimensionSource.MESSAGE_TAG
                    and not d.name.startswith("ses:")
                ]
    return list(dict.fromkeys(tags))


def metric_dimensions(cs: ConfigurationSetSpec) -> dict[rules.EventType, list[str]]:
    """For each event type in the set's metrics, the dimensions it is published with
    (:meth:`ses_events.model.SetModel.metric_sources`, the rule the constructs use too)."""
    sources = cs.to_model().metric_sources()
    return {event_type: list(d.dimension_names) for event_type, d in sources.items()}


def _monitoring_problems(
    spec: EventPublishingSpec, where: str, cs: ConfigurationSetSpec
) -> list[Problem]:
    found: list[Problem] = []
    published = metric_dimensions(cs)
    breakdowns = cs.monitoring.breakdowns or []
    known = sorted(
        {n for names in published.values() for n in names} - {rules.CONFIGURATION_SET_DIMENSION}
    )
    for k, dimension in enumerate(breakdowns):
        if dimension not in known:
            found.append(
                Problem(
                    f"{where}.monitoring.breakdowns[{k}]",
                    dimension,
                    "must be a dimension of the set's CloudWatch destination (other than"
                    f" {rules.CONFIGURATION_SET_DIMENSION}): {known}",
                )
            )
    support = cs.to_model().alarm_support()
    for k, alarm in enumerate(cs.monitoring.alarms or []):
        reason = support[rules.SesAlarm(alarm)]
        if reason:
            found.append(Problem(f"{where}.monitoring.alarms[{k}]", alarm, reason))
    if (
        spec.monitoring.account_alarms
        and cs.name == "account"
        and (
            cs.monitoring.alarms is None
            or set(rules.REPUTATION_ALARMS) & {rules.SesAlarm(a) for a in cs.monitoring.alarms}
        )
    ):
        found.append(
            Problem(
                f"{where}.name",
                cs.name,
                "its alarm names would clash with the account alarms (<prefix>-account-...):"
                " rename the set, or set monitoring.account_alarms: false",
            )
        )
    return found


def _dimension_problems(where: str, dimensions: list[DimensionSpec]) -> list[Problem]:
    return [
        Problem(f"{where}.{field}", value, rule)
        for field, value, rule in rules.dimension_problems(dimensions)
    ]


_DESTINATION_TYPES = ("cloudwatch", "firehose", "sns", "eventbridge")


def _location(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a place in the file, without the union member pydantic
    tried after a list index (``destinations[0].cloudwatch.name`` is ``destinations[0].name``)."""
    parts: list[int | str] = []
    previous: int | str | None = None
    for part in loc:
        if not (isinstance(previous, int) and part in _DESTINATION_TYPES):
            parts.append(part)
        previous = part
    return location(tuple(parts))


def parse_spec(
    data: Any, *, source: str = "spec", plain: dict[str, PlainScalar] | None = None
) -> EventPublishingSpec:
    """Validate ``data`` (a parsed YAML document) and return the spec, or raise :class:`SpecError`.

    ``plain`` (from :func:`ses_events.spec_yaml.read_yaml`) says where YAML read an unquoted
    value as a number, boolean, null or date, so that a field that wants text can say to quote it.
    """
    if not isinstance(data, dict):
        if data is None:
            raise _unreadable(
                source,
                source,
                "is empty: a spec is a YAML mapping, at least 'configuration_sets:' with one set",
            )
        kind = {list: "a list", str: "text", bool: "a boolean", int: "a number", float: "a number"}
        kind_of = kind.get(type(data), f"a {type(data).__name__}")
        raise SpecError(
            source,
            [
                Problem(
                    "(top level)",
                    data,
                    f"is {kind_of}: a spec must be a mapping, at least 'configuration_sets:'"
                    " with one set",
                )
            ],
            headline=SPEC_FILE_HEADLINE,
        )
    try:
        spec = EventPublishingSpec.model_validate(_whole_numbers(data))
    except ValidationError as error:
        problems = []
        for e in error.errors():
            place = _location(tuple(e["loc"]))
            rule = e["msg"].removeprefix("Value error, ")
            problems.append(
                Problem(place, e.get("input"), rule + hint_for(plain or {}, place, e.get("input")))
            )
        raise SpecError(source, problems) from None
    cross = _cross_checks(spec)
    if cross:
        raise SpecError(source, cross)
    return spec


def load_spec(path: str | Path) -> EventPublishingSpec:
    """Read and validate the YAML spec at ``path``."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise _unreadable(
                str(path),
                f"{path.stat().st_size} bytes",
                f"is larger than a spec may be ({MAX_SPEC_BYTES} bytes)",
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _unreadable(str(path), str(path), f"is not UTF-8 text: {error.reason}") from None
    except OSError as error:
        raise _unreadable(str(path), str(path), f"cannot be read: {error.strerror}") from None
    try:
        data, plain = read_yaml(text, str(path))
    except SesEventsValidationError as error:
        raise SpecError(error.where, error.problems, headline=error.headline) from None
    return parse_spec(data, source=str(path), plain=plain)
