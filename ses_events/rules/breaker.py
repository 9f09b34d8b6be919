"""The breaker: pausing a tenant (or a configuration set) when its critical alarm fires.

Sources, each checked against the SES API v2 and the EventBridge references:

- ``UpdateReputationEntityCustomerManagedStatus`` (SES API v2): ``ReputationEntityType``
  ("Currently, only RESOURCE type entities are supported"), ``ReputationEntityReference`` ("For
  resource-type entities, this is the Amazon Resource Name (ARN) of the resource") and
  ``SendingStatus`` ``ENABLED | REINSTATED | DISABLED``. "The customer-managed status works in
  conjunction with the AWS Amazon SES-managed status ... If AWS Amazon SES has disabled the
  entity, it will not be allowed to send regardless of the customer-managed status setting."
  https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_UpdateReputationEntityCustomerManagedStatus.html
- ``GetReputationEntity`` returns ``CustomerManagedStatus``, ``AwsSesManagedStatus`` (each a
  status record) and the aggregate ``SendingStatusAggregate``,
  https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ReputationEntity.html
- a configuration set is paused with ``PutConfigurationSetSendingOptions``
  (``SendingEnabled: false``), https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutConfigurationSetSendingOptions.html
  (the reputation-entity call is documented for "resources"; that a configuration set is one is
  not stated, so nothing here depends on it);
- SES sends "Sending Status Enabled" and "Sending Status Disabled" to the default event bus
  (source ``aws.ses``), "Amazon Simple Email Service events", EventBridge events reference,
  https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html; their detail fields are
  not relied on (the whole event is forwarded);
- CloudWatch sends "CloudWatch Alarm State Change" (source ``aws.cloudwatch``, the alarm's ARN in
  ``resources``, ``detail.alarmName``, ``detail.state.value`` and ``detail.state.reason``),
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
- an event pattern holds at most 2,048 characters (EventBridge quotas, "Event pattern size",
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html): so each guarded
  tenant or set has its own rule, naming its own alarms.
"""

from __future__ import annotations

REPUTATION_ENTITY_TYPE = "RESOURCE"
"""The only reputation entity type SES has."""

SENDING_STATUSES = ("ENABLED", "REINSTATED", "DISABLED")
"""The customer-managed sending statuses ``UpdateReputationEntityCustomerManagedStatus`` takes."""

PAUSED = "DISABLED"
"""What the breaker and ``ses-events tenant pause`` set."""

REINSTATED = "REINSTATED"
"""What ``ses-events tenant reinstate`` sets: "Allow sending even if there are active reputation
findings" (the operator has looked; SES's own status still applies)."""

PAUSE_TENANT_ACTION = "ses:UpdateReputationEntityCustomerManagedStatus"
PAUSE_SET_ACTION = "ses:PutConfigurationSetSendingOptions"
"""The IAM actions of the two pauses (the SES v2 API's actions are in the ``ses`` namespace)."""

ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"
ALARM_EVENT_SOURCE = "aws.cloudwatch"
SES_EVENT_SOURCE = "aws.ses"
SES_SENDING_STATUS_EVENTS = ("Sending Status Enabled", "Sending Status Disabled")

MAX_EVENT_PATTERN_CHARACTERS = 2048
"""EventBridge's default quota on one event pattern (adjustable)."""

EVENT_RULE_NAME_MAX = 64
"""An EventBridge rule's name: 1 to 64 of ``[._A-Za-z0-9-]`` (``RuleName`` in the EventBridge API
model, botocore ``events/2014-02-03/service-2.json``)."""

SES_STATUS_RULE_SUFFIX = "-ses-sending-status"


def ses_status_rule_name(prefix: str) -> str:
    """``<prefix>-ses-sending-status``; a prefix too long for 64 characters is cut and given 8
    hex digits of its SHA-256, so the name stays the prefix's own and stable."""
    name = prefix + SES_STATUS_RULE_SUFFIX
    if len(name) <= EVENT_RULE_NAME_MAX:
        return name
    import hashlib

    digest = hashlib.sha256(prefix.encode()).hexdigest()[:8]
    keep = EVENT_RULE_NAME_MAX - len(SES_STATUS_RULE_SUFFIX) - len(digest) - 1
    return f"{prefix[:keep]}-{digest}{SES_STATUS_RULE_SUFFIX}"
