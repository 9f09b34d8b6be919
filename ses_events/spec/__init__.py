"""The declarative spec: which configuration sets a team wants, and where their events go.

A spec is YAML (see ``ses_events/examples/ses-events.yaml`` for every field in use). It is
validated with pydantic against the same SES rules the constructs use, and every problem is
reported with its place in the file, for example::

    examples/bad.yaml: invalid SES event publishing settings
      - configuration_sets[1].destinations[0].dimensions[2].name = 'bad name': must be ...

One module per subject: :mod:`~ses_events.spec.configuration_sets`,
:mod:`~ses_events.spec.destinations` (and the shared topics), :mod:`~ses_events.spec.archive`,
:mod:`~ses_events.spec.monitoring`, :mod:`~ses_events.spec.layout`,
:mod:`~ses_events.spec.analytics`, :mod:`~ses_events.spec.tenants`, and
:mod:`~ses_events.spec.document` (the whole spec, the
checks that span it, and reading it); :mod:`~ses_events.spec.base` holds what they share.
Everything is importable from ``ses_events.spec`` itself.
"""

from __future__ import annotations

from ses_events.spec.analytics import (
    AnalyticsSpec,
)
from ses_events.spec.archive import (
    ArchiveSpec,
    RetentionSpec,
)
from ses_events.spec.base import (
    SPEC_FILE_HEADLINE,
    Bool,
    Float,
    Int,
    SpecError,
)
from ses_events.spec.configuration_sets import (
    ConfigurationSetSpec,
    DeliverySpec,
    SuppressionSpec,
    TrackingSpec,
    ValidationSpec,
    VdmSpec,
)
from ses_events.spec.destinations import (
    CloudWatchDestinationSpec,
    DestinationSpec,
    DimensionSpec,
    EventBridgeDestinationSpec,
    FirehoseDestinationSpec,
    SnsDestinationSpec,
    TopicSpec,
)
from ses_events.spec.document import (
    EXAMPLE_SPEC,
    EnvironmentSpec,
    EventPublishingSpec,
    breaker_alarms,
    funnel_tags,
    guarded_sets,
    guarded_tenants,
    load_spec,
    metric_dimensions,
    parse_spec,
    workgroup_name,
)
from ses_events.spec.layout import (
    LayoutSpec,
)
from ses_events.spec.monitoring import (
    AlarmName,
    ConfigurationSetMonitoringSpec,
    MonitoringSpec,
    NotificationsSpec,
    RateThresholdSpec,
    ThresholdsSpec,
)
from ses_events.spec.tenants import (
    TenantSpec,
    TenantSuppressionSpec,
)

__all__ = [
    "EXAMPLE_SPEC",
    "SPEC_FILE_HEADLINE",
    "AlarmName",
    "AnalyticsSpec",
    "ArchiveSpec",
    "Bool",
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
    "Float",
    "Int",
    "LayoutSpec",
    "MonitoringSpec",
    "NotificationsSpec",
    "RateThresholdSpec",
    "RetentionSpec",
    "SnsDestinationSpec",
    "SpecError",
    "SuppressionSpec",
    "TenantSpec",
    "TenantSuppressionSpec",
    "ThresholdsSpec",
    "TopicSpec",
    "TrackingSpec",
    "ValidationSpec",
    "VdmSpec",
    "breaker_alarms",
    "funnel_tags",
    "guarded_sets",
    "guarded_tenants",
    "load_spec",
    "metric_dimensions",
    "parse_spec",
    "workgroup_name",
]
