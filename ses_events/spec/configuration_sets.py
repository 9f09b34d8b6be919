"""Configuration sets in the spec: delivery, suppression, tracking, VDM, tags, destinations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import (
    Field,
    field_validator,
)

from ses_events import rules
from ses_events.model import (
    SetModel,
    SetOptions,
)
from ses_events.spec.base import Bool, Int, _rule, _Spec
from ses_events.spec.destinations import DestinationSpec, _destination_model
from ses_events.spec.monitoring import ConfigurationSetMonitoringSpec


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
