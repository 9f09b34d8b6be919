"""Configuration sets: names, options, delivery, message tags and the names a set refers to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ses_events.rules.base import PatternRule

# Configuration set names: SES API v2 CreateConfigurationSet and the CloudFormation schema of
# AWS::SES::ConfigurationSet (property Name, pattern ^[a-zA-Z0-9_-]{1,64}$) agree.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ses-configurationset.html
CONFIGURATION_SET_NAME = PatternRule(
    r"[a-zA-Z0-9_-]{1,64}", "1 to 64 ASCII letters, digits, '_' or '-'"
)


class SetOptionValues(Protocol):
    """A configuration set's options as :func:`set_option_problems` sees them (plain data:
    ``ses_events.model.SetOptions``)."""

    @property
    def suppression_reasons(self) -> tuple[str, ...] | None: ...

    @property
    def disable_suppression_list(self) -> bool: ...

    @property
    def validation_enabled(self) -> bool | None: ...

    @property
    def validation_threshold(self) -> str | None: ...

    @property
    def custom_redirect_domain(self) -> str | None: ...

    @property
    def https_policy(self) -> str | None: ...


CONFIDENCE_VERDICT_THRESHOLDS = ("MEDIUM", "HIGH", "MANAGED")
"""Auto Validation's thresholds (AWS::SES::ConfigurationSet ``ConfidenceVerdictThreshold``)."""


TRACKING_HTTPS_POLICIES = ("REQUIRE", "REQUIRE_OPEN_ONLY", "OPTIONAL")
"""Tracking links' HTTPS policies (AWS::SES::ConfigurationSet ``TrackingOptions.HttpsPolicy``,
https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_TrackingOptions.html)."""


def set_option_problems(
    options: SetOptionValues, names: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Options of a set that contradict each other, as ``(option, rule)``; ``names`` gives the
    caller's spelling of an option in the rule's sentence (a construct's parameter, a spec's
    field).

    The same three that aws-cdk-lib's ``aws_ses.ConfigurationSet`` refuses: suppression reasons
    while the account's suppression list is turned off (SES would get both an empty and a
    non-empty ``SuppressedReasons``), a confidence threshold while Auto Validation is turned off,
    and a tracking HTTPS policy without a custom redirect domain (``TrackingOptions`` is the
    custom domain's; https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_TrackingOptions.html).
    """
    found: list[tuple[str, str]] = []
    if options.disable_suppression_list and options.suppression_reasons is not None:
        found.append(
            (
                "suppression_reasons",
                f"cannot be set while {names('disable_suppression_list')} turns the account's"
                " suppression list off",
            )
        )
    if options.validation_enabled is False and options.validation_threshold is not None:
        found.append(
            (
                "validation_threshold",
                f"cannot be set while {names('validation_enabled')} turns Auto Validation off",
            )
        )
    if options.https_policy is not None and options.custom_redirect_domain is None:
        found.append(("https_policy", f"needs {names('custom_redirect_domain')}"))
    return found


# DeliveryOptions.MaxDeliverySeconds: 300 to 50400 seconds (5 minutes to 14 hours).
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_DeliveryOptions.html
MIN_DELIVERY_SECONDS = 300


MAX_DELIVERY_SECONDS = 50_400


# Message tags that senders set: ASCII letters, digits, '_' and '-', at most 256 characters; the
# "ses:" prefix is reserved for the automatic tags SES adds itself.
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html
MESSAGE_TAG_NAME = PatternRule(
    r"[a-zA-Z0-9_-]{1,256}", "1 to 256 ASCII letters, digits, '_' or '-'"
)


MESSAGE_TAG_VALUE = MESSAGE_TAG_NAME


# Tags SES adds to every message sent through a configuration set.
# https://docs.aws.amazon.com/ses/latest/dg/event-publishing-how-works.html
SES_AUTOMATIC_TAGS = (
    "ses:configuration-set",
    "ses:caller-identity",
    "ses:from-domain",
    "ses:source-ip",
    "ses:outgoing-ip",
)


# SES always sets the automatic tags, so their dimension default is only ever a formality.
AUTOMATIC_TAG_DEFAULT_VALUE = "unknown"


MAX_CONFIGURATION_SETS_PER_REGION = 10_000
"""SES allows 10,000 configuration sets per account and Region, not adjustable (SES Developer
Guide, "Service quotas in Amazon SES", quotas related to event publishing,
https://docs.aws.amazon.com/ses/latest/dg/quotas.html)."""


# Dedicated IP pool names: lowercase ASCII letters, digits, '_' and '-', at most 64 characters
# (CloudFormation schema of AWS::SES::DedicatedIpPool, PoolName ^[a-z0-9_-]{0,64}$; aws-cdk-lib's
# DedicatedIpPool checks the same). A configuration set names an existing pool, so the name is
# not empty.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ses-dedicatedippool.html
DEDICATED_IP_POOL_NAME = PatternRule(
    r"[a-z0-9_-]{1,64}", "1 to 64 lowercase ASCII letters, digits, '_' or '-'"
)


# The custom redirect domain of open and click tracking is a domain name: labels of 1 to 63
# letters, digits and hyphens (not at either end), separated by dots, 253 characters at most,
# with at least two labels (RFC 1035 section 2.3.4, RFC 1123 section 2.1). SES asks for a
# subdomain you own, such as track.example.com.
# https://docs.aws.amazon.com/ses/latest/dg/configure-custom-open-click-domains.html
DOMAIN_NAME = PatternRule(
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
    "a domain name such as track.example.com (labels of 1 to 63 letters, digits or '-', not"
    " starting or ending with '-', 253 characters at most)",
)


# The MailManager archive a configuration set keeps its mail in (SES API v2, ArchivingOptions,
# ArchiveArn: 20 to 1011 characters, pattern below).
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ArchivingOptions.html
MAILMANAGER_ARCHIVE_ARN = PatternRule(
    r"arn:(aws|aws-[a-z-]+):ses:[a-z]{2,4}-[a-z-]+-[0-9]:[0-9]{1,20}:mailmanager-archive/a-[a-z0-9]{24,62}",
    "the ARN of a MailManager archive",
)
