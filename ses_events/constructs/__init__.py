"""Reusable CDK constructs for Amazon SES event publishing.

Example::

    from aws_cdk import App, Stack
    from ses_events.constructs import (
        CloudWatchDimension,
        CloudWatchEventDestination,
        EventPublishingConfigurationSet,
        FirehoseEventDestination,
    )

    app = App()
    stack = Stack(app, "Mail")
    marketing = EventPublishingConfigurationSet(stack, "Marketing", configuration_set_name="marketing")
    CloudWatchEventDestination(
        stack, "MarketingMetrics",
        configuration_set=marketing,
        dimensions=[CloudWatchDimension.message_tag("campaign", default_value="none")],
    )
    FirehoseEventDestination(stack, "MarketingArchive", configuration_set=marketing)
"""

from ses_events.constructs.alarms import (
    AccountReputationAlarms,
    AlarmActions,
    AlarmLevel,
    AlarmNamingStrategy,
    AlarmThresholds,
    AlarmTopic,
    ConfigurationSetAlarms,
    FirehoseArchiveAlarms,
    PrefixedAlarmNaming,
    RateThreshold,
    SesAlarm,
)
from ses_events.constructs.analytics import EventArchiveTable, EventQueryWorkgroup
from ses_events.constructs.breaker import (
    BreakerGuard,
    GuardedKind,
    ReputationBreaker,
    SesSendingStatusNotifications,
)
from ses_events.constructs.cloudwatch import CloudWatchDimension, CloudWatchEventDestination
from ses_events.constructs.configuration_set import (
    ConfigurationSetLike,
    EventPublishingConfigurationSet,
)
from ses_events.constructs.dashboard import (
    DashboardSection,
    EventPublishingDashboards,
    account_reputation_section,
    archive_section,
    configuration_set_section,
)
from ses_events.constructs.event_destination import EventDestinationBase, EventTypeLike
from ses_events.constructs.eventbridge import EventBridgeEventDestination
from ses_events.constructs.firehose import (
    ArchiveCompression,
    ArchiveStorageFormat,
    FirehoseEventArchive,
    FirehoseEventDestination,
)
from ses_events.constructs.fleet import FleetMonitoring
from ses_events.constructs.identities import IdentityDefaultConfigurationSet
from ses_events.constructs.identity_ref import IdentityLike
from ses_events.constructs.metrics import ConfigurationSetMetrics
from ses_events.constructs.sns import SnsEventDestination, SnsEventTopic
from ses_events.constructs.tenant import ReputationPolicy, Tenant, TenantSuppressionScope
from ses_events.constructs.tenant_monitoring import (
    TenantAlarms,
    TenantFleetMonitoring,
    tenant_metric,
    tenant_rate,
)
from ses_events.rules import DimensionSource, EventType

__all__ = [
    "AccountReputationAlarms",
    "AlarmActions",
    "AlarmLevel",
    "AlarmNamingStrategy",
    "AlarmThresholds",
    "AlarmTopic",
    "ArchiveCompression",
    "ArchiveStorageFormat",
    "BreakerGuard",
    "CloudWatchDimension",
    "CloudWatchEventDestination",
    "ConfigurationSetAlarms",
    "ConfigurationSetLike",
    "ConfigurationSetMetrics",
    "DashboardSection",
    "DimensionSource",
    "EventArchiveTable",
    "EventBridgeEventDestination",
    "EventDestinationBase",
    "EventPublishingConfigurationSet",
    "EventPublishingDashboards",
    "EventQueryWorkgroup",
    "EventType",
    "EventTypeLike",
    "FirehoseArchiveAlarms",
    "FirehoseEventArchive",
    "FirehoseEventDestination",
    "FleetMonitoring",
    "GuardedKind",
    "IdentityDefaultConfigurationSet",
    "IdentityLike",
    "PrefixedAlarmNaming",
    "RateThreshold",
    "ReputationBreaker",
    "ReputationPolicy",
    "SesAlarm",
    "SesSendingStatusNotifications",
    "SnsEventDestination",
    "SnsEventTopic",
    "Tenant",
    "TenantAlarms",
    "TenantFleetMonitoring",
    "TenantSuppressionScope",
    "account_reputation_section",
    "archive_section",
    "configuration_set_section",
    "tenant_metric",
    "tenant_rate",
]
