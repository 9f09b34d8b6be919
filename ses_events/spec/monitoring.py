"""Monitoring in the spec: alarms, their thresholds and notifications, dashboards."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from ses_events import rules
from ses_events.spec.base import Bool, Float, Int, _rule, _Spec

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
    breaker: Bool | None = None
    """Pause this set's sending when its critical bounce or complaint rate alarm fires. Default:
    ``monitoring.breaker`` in a spec without tenants, else ``false``."""


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
    tenants: Literal["per_tenant", "fleet", "none"] = "per_tenant"
    """How the spec's tenants are watched: ``per_tenant`` (a warning and a critical alarm on each
    tenant's bounce and complaint rate, a dashboard section per tenant, and the fleet view),
    ``fleet`` (only the fleet view: Metrics Insights widgets and alarms that rank the worst
    tenants, whatever their number), or ``none``. Either of the first two adds the
    ``tenant-metrics`` CloudWatch destination to each set a tenant sends with. Default:
    ``per_tenant``."""
    tenant_minimum_sends: Annotated[Int, Field(ge=1)] = rules.TENANT_MINIMUM_SENDS
    """Sends in an hour below which a tenant's rate reads 0 (too little mail to judge).
    Default: 100."""
    breaker: Bool = False
    """The breaker (opt-in): pause a tenant as soon as its critical bounce or complaint rate
    alarm fires, before SES reviews or pauses the whole account; in a spec without tenants,
    pause the configuration set instead. Each tenant's ``breaker`` (each set's
    ``monitoring.breaker``) overrides it. Default: ``false``."""
    thresholds: ThresholdsSpec = Field(default_factory=ThresholdsSpec)
    notifications: NotificationsSpec = Field(default_factory=NotificationsSpec)

    _prefix = field_validator("prefix")(
        lambda value: value if value is None else _rule(rules.ALARM_NAME_PREFIX)(value)
    )
