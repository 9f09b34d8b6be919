"""Message tags for the applications that send through ses-events configuration sets.

SES classifies a message by the configuration set it was sent with and its *message tags*, given
as API parameters or as SES-specific email headers ("Specify your configuration set when you
send email", https://docs.aws.amazon.com/ses/latest/dg/event-publishing-send-email.html):

- SES API v2 ``SendEmail``: ``ConfigurationSetName`` and ``EmailTags=[{"Name", "Value"}]``;
- SES API v1 ``SendEmail`` / ``SendRawEmail``: ``ConfigurationSetName`` and ``Tags``;
- SMTP (and raw MIME): the headers ``X-SES-CONFIGURATION-SET`` and
  ``X-SES-MESSAGE-TAGS: name1=value1, name2=value2``, which SES removes before delivery. When a
  message carries tags both ways, SES uses only the API parameters.

Mail for an SES *tenant* names it: ``TenantName`` in the SES API v2, the ``X-SES-TENANT`` header
for SMTP ("Implement Tenants in your Amazon SES environment, Part 3", AWS Messaging blog,
https://aws.amazon.com/blogs/messaging-and-targeting/implement-tenants-in-your-amazon-ses-environment-part-3-implementation-guide/);
the SES API v1 has no such parameter. SES's event records are not documented to carry the tenant,
so the helpers also add the message tag ``tenant`` (:data:`ses_events.rules.TENANT_TAG`) with
its name: CloudWatch dimensions, the archive and the queries group by it.

Tags are checked by the SES rules in :mod:`ses_events.rules`, the same the constructs use.

Example::

    import boto3
    from ses_events.sending import TaggedSending

    sending = TaggedSending("marketing", {"campaign": "spring-sale"})
    boto3.client("sesv2").send_email(
        FromEmailAddress="news@example.com",
        Destination={"ToAddresses": ["reader@example.com"]},
        Content={"Simple": {"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "Hello"}}}},
        **sending.sesv2_arguments(),
    )
    smtp_message.update(sending.smtp_headers())   # for an email.message.EmailMessage
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ses_events import rules
from ses_events.errors import Problem, Problems, SesEventsValidationError

if TYPE_CHECKING:
    from ses_events.spec import EventPublishingSpec

__all__ = [
    "CONFIGURATION_SET_HEADER",
    "MESSAGE_TAGS_HEADER",
    "TENANT_HEADER",
    "MissingDimensionTagWarning",
    "TaggedSending",
    "dimension_tags",
]

CONFIGURATION_SET_HEADER = "X-SES-CONFIGURATION-SET"
MESSAGE_TAGS_HEADER = "X-SES-MESSAGE-TAGS"
TENANT_HEADER = "X-SES-TENANT"
_RESERVED_PREFIX = "ses:"


class MissingDimensionTagWarning(UserWarning):
    """A message lacks a tag that a CloudWatch dimension of its configuration set reads."""


def dimension_tags(spec: EventPublishingSpec, configuration_set: str) -> dict[str, str]:
    """The message tags the set's CloudWatch dimensions read, with the value SES uses without one.

    Only ``message_tag`` dimensions: headers and link tags are not message tags, and the ``ses:``
    automatic tags are SES's own.
    """
    from ses_events.spec import CloudWatchDestinationSpec

    for cs in spec.configuration_sets:
        if cs.name != configuration_set:
            continue
        return {
            d.name: d.default_value
            for dest in cs.destinations
            if isinstance(dest, CloudWatchDestinationSpec) and dest.enabled
            for d in dest.dimensions
            if d.source is rules.DimensionSource.MESSAGE_TAG
            and not d.name.startswith(_RESERVED_PREFIX)
        }
    known = sorted(cs.name for cs in spec.configuration_sets)
    raise SesEventsValidationError(
        "spec",
        [
            Problem(
                "configuration_set",
                configuration_set,
                f"must be a configuration set of the spec: {known}",
            )
        ],
    )


@dataclass(frozen=True)
class TaggedSending:
    """A configuration set and the message tags to send with it, checked by the SES rules.

    :param configuration_set: the configuration set name.
    :param tags: message tags, name to value. Names and values: 1 to 256 ASCII letters, digits,
        ``_`` or ``-``; names may not start with ``ses:`` (SES's automatic tags).
    :param tenant: the SES tenant the mail is sent for (its name). Adds the message tag
        ``tenant`` with that name; a ``tenant`` tag of another value is refused.
    :raises SesEventsValidationError: for a bad name or tag, naming each and the rule.

    The object is immutable: ``tags`` is a read-only view of a copy made when it was checked,
    so what the methods emit is always what was checked (a header never carries a CR or LF).
    """

    configuration_set: str
    tags: Mapping[str, str] = field(default_factory=dict, hash=False)
    tenant: str | None = None

    def __post_init__(self) -> None:
        # copy first: the caller's mapping may change after the check, this one cannot
        tags = dict(self.tags)
        if isinstance(self.tenant, str) and rules.TENANT_TAG not in tags:
            tags[rules.TENANT_TAG] = self.tenant
        object.__setattr__(self, "tags", MappingProxyType(tags))
        self._check()

    def _check(self) -> None:
        problems = Problems(
            f"sending with configuration set {self.configuration_set!r}", tokens=False
        )
        problems.check("configuration_set", self.configuration_set, rules.CONFIGURATION_SET_NAME)
        if self.tenant is not None and problems.check("tenant", self.tenant, rules.TENANT_NAME):
            given = self.tags.get(rules.TENANT_TAG)
            if given != self.tenant:
                problems.add(
                    f"tags[{rules.TENANT_TAG!r}]",
                    given,
                    f"must be the tenant's name {self.tenant!r}: the {rules.TENANT_TAG!r} tag"
                    " says which tenant a message's events belong to",
                )
        for name, value in self.tags.items():
            if isinstance(name, str) and name.lower().startswith(_RESERVED_PREFIX):
                problems.add(
                    f"tags[{name!r}]",
                    name,
                    "the 'ses:' prefix belongs to SES's automatic tags; SES adds those itself",
                )
                continue
            if problems.check(f"tags[{name!r}] (name)", name, rules.MESSAGE_TAG_NAME):
                problems.check(f"tags[{name!r}]", value, rules.MESSAGE_TAG_VALUE)
        problems.raise_if_any()

    def sesv2_arguments(self) -> dict[str, Any]:
        """``ConfigurationSetName``, ``EmailTags`` (and ``TenantName``) for boto3
        ``sesv2.send_email`` (and ``send_bulk_email``)."""
        arguments: dict[str, Any] = {
            "ConfigurationSetName": self.configuration_set,
            "EmailTags": [{"Name": n, "Value": v} for n, v in self.tags.items()],
        }
        if self.tenant is not None:
            arguments["TenantName"] = self.tenant
        return arguments

    def ses_v1_arguments(self) -> dict[str, Any]:
        """``ConfigurationSetName`` and ``Tags`` for boto3 ``ses.send_email`` / ``send_raw_email``.

        :raises SesEventsValidationError: for mail of a tenant: the SES API v1 cannot name one
            (use :meth:`sesv2_arguments`, or :meth:`smtp_headers` in a raw message).
        """
        if self.tenant is not None:
            problems = Problems(f"sending with configuration set {self.configuration_set!r}")
            problems.add(
                "tenant",
                self.tenant,
                "the SES API v1 has no TenantName: send with the SES API v2 (sesv2_arguments),"
                " or put smtp_headers() in a raw message",
            )
            problems.raise_if_any()
        return {
            "ConfigurationSetName": self.configuration_set,
            "Tags": [{"Name": n, "Value": v} for n, v in self.tags.items()],
        }

    def smtp_headers(self) -> dict[str, str]:
        """The SES headers for SMTP or raw MIME senders (no tags header without tags).

        Checked again here, where the header text is made: a header value is never built from
        anything the SES rules did not accept.
        """
        self._check()
        headers = {CONFIGURATION_SET_HEADER: self.configuration_set}
        if self.tenant is not None:
            headers[TENANT_HEADER] = self.tenant
        if self.tags:
            headers[MESSAGE_TAGS_HEADER] = ", ".join(f"{n}={v}" for n, v in self.tags.items())
        return headers

    def missing_dimension_tags(
        self, spec: EventPublishingSpec, *, strict: bool = False
    ) -> dict[str, str]:
        """Tags the set's CloudWatch dimensions read that these tags lack, with their defaults.

        SES publishes the dimension's default value for such a message, so its events count under
        ``none`` (or whatever the default is) rather than under the sender's campaign. Warns with
        :class:`MissingDimensionTagWarning`, or raises :class:`SesEventsValidationError` when
        ``strict``.
        """
        missing = {
            name: default
            for name, default in dimension_tags(spec, self.configuration_set).items()
            if name not in self.tags
        }
        if missing:
            problems = Problems(f"sending with configuration set {self.configuration_set!r}")
            for name, default in missing.items():
                problems.add(
                    f"tags[{name!r}]",
                    "(missing)",
                    f"a CloudWatch dimension reads this tag; without it SES publishes the default"
                    f" value {default!r}",
                )
            if strict:
                problems.raise_if_any()
            for problem in problems.items:
                warnings.warn(
                    f"{problems.where}: {problem}", MissingDimensionTagWarning, stacklevel=2
                )
        return missing
