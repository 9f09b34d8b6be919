"""SES tenants: names, reputation policies, suppression, and the resources a tenant groups.

A tenant (SES API v2 ``CreateTenant``; CloudFormation ``AWS::SES::Tenant``) groups identities,
configuration sets and templates, has its own reputation and sending status, and SES can pause it
on its own under a reputation policy. Sources:

- the resource: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ses-tenant.html
  (``TenantName``, ``ResourceAssociations``, ``Tags`` at most 50, ``ReputationEntity``,
  ``SuppressionAttributes``);
- what a tenant groups: SES API v2 ``CreateTenantResourceAssociation`` ("Resources can be email
  identities, configuration sets, or email templates"; "A single resource can be associated with
  multiple tenants"), https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateTenantResourceAssociation.html.
"""

from __future__ import annotations

from collections.abc import Sequence

from ses_events.rules.base import PatternRule, Undecided, _never

# "The name can contain up to 64 alphanumeric characters, including letters, numbers, hyphens (-)
# and underscores (_) only" (SES API v2 CreateTenant, TenantName; the CloudFormation property says
# the same), at least one character.
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateTenant.html
TENANT_NAME = PatternRule(r"[a-zA-Z0-9_-]{1,64}", "1 to 64 ASCII letters, digits, '_' or '-'")

REPUTATION_POLICIES = ("none", "standard", "strict")
"""SES-managed reputation policies ("You can select from none, standard, and strict policies", SES
API v2 UpdateReputationEntityPolicy). CloudFormation takes the policy's ARN, pattern
``^arn:[a-z0-9-]+:ses:[a-z0-9-]+:aws:reputation-policy/(none|standard|strict)$``
(``AWS::SES::Tenant ReputationPolicy.ReputationEntityPolicy``,
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ses-tenant-reputationpolicy.html)."""

REPUTATION_POLICY_ARN = "arn:${AWS::Partition}:ses:${AWS::Region}:aws:reputation-policy/{policy}"
"""The ARN of a reputation policy, for ``Fn::Sub`` (``{policy}`` filled in first): SES owns the
policies (account ``aws``), one per partition and Region."""

TENANT_SUPPRESSION_REASONS = ("BOUNCE", "COMPLAINT")
TENANT_SUPPRESSION_SCOPES = ("ACCOUNT", "TENANT")
"""A tenant's suppression list: the reasons that add an address (``BOUNCE`` for hard bounces,
``COMPLAINT``) and whose list it is, the tenant's own (``TENANT``) or the account's (``ACCOUNT``,
SES's default). SES API v2 TenantSuppressionAttributes,
https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_TenantSuppressionAttributes.html;
CloudFormation requires both fields when the attributes are given."""

TENANT_TAG = "tenant"
"""The message tag the sender helpers add with the tenant's name. SES's event records are not
documented to carry the tenant a message was sent for, so the tag does: dimensions, the archive
and the queries group by it like any other message tag."""

IDENTITY_NAME = PatternRule(
    r"[^@\s/]+@[^@\s/]+\.[^@\s/]+|(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
    "an email address or a domain name (an SES identity), or its ARN",
)
"""An SES identity is an email address or a domain ("Creating and verifying identities in Amazon
SES", https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html)."""

TEMPLATE_NAME = PatternRule(
    r"[^\s/]{1,}", "a template name (at least one character, no spaces or '/'), or its ARN"
)
"""SES API v2 CreateEmailTemplate: a template name has at least one character
(https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateEmailTemplate.html); it is the
last part of the template's ARN, so it has no '/'."""

SES_ARN = PatternRule(
    r"arn:[a-z0-9-]+:ses:[a-z0-9-]+:[0-9]{12}:[a-z-]+/.+",
    "the ARN of an SES resource (arn:<partition>:ses:<region>:<account>:<type>/<name>)",
)


def resource_problems(
    field: str,
    values: Sequence[object],
    rule: PatternRule,
    *,
    undecided: Undecided = _never,
) -> list[tuple[str, object, str]]:
    """Problems of a tenant's list of resources given by name or ARN, as ``(field, value, rule)``:
    each must be a name ``rule`` accepts or an SES ARN; each at most once. A value that is
    ``undecided`` (a CDK token) is left to CloudFormation."""
    found: list[tuple[str, object, str]] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        where = f"{field}[{index}]"
        if undecided(value):
            continue
        if isinstance(value, str) and value.startswith("arn:"):
            violation = SES_ARN.violation(value)
        else:
            violation = rule.violation(value)
        if violation is not None:
            found.append((where, value, violation))
        elif isinstance(value, str):
            if value in seen:
                found.append((where, value, f"is listed twice in {field}"))
            seen.add(value)
    return found


def suppression_problems(
    reasons: Sequence[object] | None, scope: object
) -> list[tuple[str, object, str]]:
    """Problems of a tenant's suppression attributes (fields ``suppression.reasons`` and
    ``suppression.scope``)."""
    found: list[tuple[str, object, str]] = []
    for index, reason in enumerate(reasons or ()):
        if reason not in TENANT_SUPPRESSION_REASONS:
            found.append(
                (
                    f"suppression.reasons[{index}]",
                    reason,
                    f"must be one of {', '.join(TENANT_SUPPRESSION_REASONS)}",
                )
            )
    if scope not in TENANT_SUPPRESSION_SCOPES:
        found.append(
            (
                "suppression.scope",
                scope,
                f"must be one of {', '.join(TENANT_SUPPRESSION_SCOPES)}",
            )
        )
    return found


# -- watching tenants ----------------------------------------------------------------------------

TENANT_METRICS_DESTINATION = "tenant-metrics"
"""The CloudWatch event destination that per-tenant monitoring adds to each set a tenant sends
with (unless the set has one like it): its only dimension is :data:`TENANT_TAG`. SES publishes
each event with all the dimensions of its destination, and CloudWatch tells metrics apart by
their exact dimensions ("Set up a CloudWatch event destination", SES Developer Guide,
https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-cloudwatch.html),
so ``Bounce`` with the one dimension ``tenant=acme`` counts acme's bounces over every set that
sends for it: a plain metric, which a standard alarm and metric math can read (a Metrics
Insights query could not be divided by another in one alarm: an alarm watches one expression,
and CloudWatch does not document math over two Metrics Insights queries)."""
TENANT_METRIC_EVENT_TYPES = ("SEND", "DELIVERY", "BOUNCE", "COMPLAINT")
"""What the tenant metrics destination publishes: what the rates and the dashboard read."""
TENANT_REQUIRED_EVENT_TYPES = frozenset({"SEND", "BOUNCE", "COMPLAINT"})
"""What a destination must publish to serve as the tenant metrics destination."""
TENANT_DIMENSION_DEFAULT = "no-tenant"
"""The value of the tenant dimension for mail without the tag. CloudFormation allows only
``^[a-zA-Z0-9_-]{1,256}$`` here (``DefaultDimensionValue``), which every tenant name matches, so
a spec that watches tenants refuses a tenant of this name."""
TENANT_RATE_PERIOD_SECONDS = 3600
"""Tenant rates are computed per hour: bounces and complaints arrive minutes to days after the
send, and an hour holds enough mail for a rate to mean something."""
TENANT_MINIMUM_SENDS = 100
"""Default: below this many sends in the hour a tenant's rate reads 0 (a tenant that sends two
messages, one of which bounces, is not at 50%: SES also judges rates over a representative
volume, "Reputation metrics", https://docs.aws.amazon.com/ses/latest/dg/reputation-dashboard-dg.html)."""
MAX_METRICS_INSIGHTS_SERIES = 500
"""A Metrics Insights alarm evaluates at most 500 time series (PARTIAL_DATA beyond) and names at
most 100 contributors in ALARM ("Limits", CloudWatch alarms,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html)."""
