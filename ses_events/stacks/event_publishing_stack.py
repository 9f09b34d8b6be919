"""The deployable stack: a spec's configuration sets, their destinations and shared resources."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, Stack, Tags
from aws_cdk import aws_kms as kms
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_events.constructs import (
    ArchiveCompression,
    CloudWatchDimension,
    CloudWatchEventDestination,
    EventBridgeEventDestination,
    EventPublishingConfigurationSet,
    FirehoseEventArchive,
    FirehoseEventDestination,
    SnsEventDestination,
    SnsEventTopic,
)
from ses_events.spec import (
    CloudWatchDestinationSpec,
    ConfigurationSetSpec,
    EventBridgeDestinationSpec,
    EventPublishingSpec,
    FirehoseDestinationSpec,
    SnsDestinationSpec,
)

__all__ = ["SesEventPublishingStack"]

_SUPPRESSION_REASONS = {
    frozenset({"BOUNCE", "COMPLAINT"}): ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    frozenset({"BOUNCE"}): ses.SuppressionReasons.BOUNCES_ONLY,
    frozenset({"COMPLAINT"}): ses.SuppressionReasons.COMPLAINTS_ONLY,
}


class SesEventPublishingStack(Stack):
    """Everything a spec describes, in one stack.

    Shared resources (Firehose archives, SNS topics) are created once and only when a
    destination uses them; each configuration set gets its construct and its destinations.
    Construct ids derive from the names in the spec, so logical ids stay the same as sets are
    added or removed.

    Example::

        from aws_cdk import App
        from ses_events.spec import load_spec
        from ses_events.stacks import SesEventPublishingStack

        app = App()
        SesEventPublishingStack(app, "SesEvents", spec=load_spec("ses-events.yaml"))
        app.synth()

    :param spec: the validated spec.
    :param kwargs: passed to ``Stack`` (``env``, ``stack_name``, ``synthesizer``, ...).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        spec: EventPublishingSpec,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "description", spec.description or "Amazon SES event publishing (ses-events)"
        )
        super().__init__(scope, id, **kwargs)
        self.spec = spec
        for key, value in sorted(spec.tags.items()):
            Tags.of(self).add(key, value)

        used_archives = {
            d.archive
            for cs in spec.configuration_sets
            for d in cs.destinations
            if isinstance(d, FirehoseDestinationSpec)
        }
        self.archives: dict[str, FirehoseEventArchive] = {
            a.name: FirehoseEventArchive(
                self,
                f"Archive-{a.name}",
                buffering_interval=Duration.seconds(a.buffering_interval_seconds),
                buffering_size_mib=a.buffering_size_mib,
                compression=ArchiveCompression(a.compression),
                prefix=a.prefix,
                error_output_prefix=a.error_output_prefix,
            )
            for a in spec.archives
            if a.name in used_archives
        }
        """Shared Firehose archives, by spec name."""

        used_topics = {
            d.topic
            for cs in spec.configuration_sets
            for d in cs.destinations
            if isinstance(d, SnsDestinationSpec)
        }
        self.topics: dict[str, SnsEventTopic] = {}
        """Shared SNS topics, by spec name."""
        for t in spec.topics:
            if t.name not in used_topics:
                continue
            encryption_key = (
                kms.Key(
                    self,
                    f"TopicKey-{t.name}",
                    description=f"Encrypts SES event topic {t.name}",
                    enable_key_rotation=True,
                )
                if t.encrypted
                else None
            )
            self.topics[t.name] = SnsEventTopic(
                self, f"Topic-{t.name}", encryption_key=encryption_key, display_name=t.display_name
            )

        self.configuration_sets: dict[str, EventPublishingConfigurationSet] = {}
        """Configuration set constructs, by name."""
        for cs in spec.configuration_sets:
            self.configuration_sets[cs.name] = self._configuration_set(cs)

    def _configuration_set(self, cs: ConfigurationSetSpec) -> EventPublishingConfigurationSet:
        delivery, suppression, validation = cs.delivery, cs.suppression, None
        if suppression is not None:
            validation = suppression.validation
        construct = EventPublishingConfigurationSet(
            self,
            cs.name,
            configuration_set_name=cs.name,
            tls_policy=ses.ConfigurationSetTlsPolicy(delivery.tls_policy)
            if delivery and delivery.tls_policy
            else None,
            sending_pool_name=delivery.sending_pool if delivery else None,
            max_delivery_duration=Duration.seconds(delivery.max_delivery_seconds)
            if delivery and delivery.max_delivery_seconds is not None
            else None,
            reputation_metrics=cs.reputation_metrics,
            sending_enabled=cs.sending_enabled,
            suppression_reasons=_SUPPRESSION_REASONS[frozenset(suppression.reasons)]
            if suppression and suppression.reasons
            else None,
            disable_suppression_list=bool(suppression and suppression.disable_account_list),
            validation_threshold=ses.AutoValidationThreshold(validation.confidence_threshold)
            if validation and validation.confidence_threshold
            else None,
            disable_validation=(not validation.enabled)
            if validation and validation.enabled is not None
            else None,
            custom_tracking_redirect_domain=cs.tracking.custom_redirect_domain
            if cs.tracking
            else None,
            custom_tracking_https_policy=ses.HttpsPolicy(cs.tracking.https_policy)
            if cs.tracking and cs.tracking.https_policy
            else None,
            engagement_metrics=cs.vdm.engagement_metrics if cs.vdm else None,
            optimized_shared_delivery=cs.vdm.optimized_shared_delivery if cs.vdm else None,
            archive_arn=cs.archive_arn,
            tags=cs.tags,
        )
        for d in cs.destinations:
            common: dict[str, Any] = {
                "configuration_set": construct,
                "destination_name": d.name,
                "event_types": d.event_types,
                "enabled": d.enabled,
            }
            scope_id = f"{cs.name}-{d.name}"
            if isinstance(d, CloudWatchDestinationSpec):
                CloudWatchEventDestination(
                    self,
                    scope_id,
                    dimensions=[
                        CloudWatchDimension(x.name, x.source, x.default_value) for x in d.dimensions
                    ],
                    **common,
                )
            elif isinstance(d, FirehoseDestinationSpec):
                FirehoseEventDestination(self, scope_id, archive=self.archives[d.archive], **common)
            elif isinstance(d, SnsDestinationSpec):
                SnsEventDestination(self, scope_id, event_topic=self.topics[d.topic], **common)
            elif isinstance(d, EventBridgeDestinationSpec):
                EventBridgeEventDestination(self, scope_id, **common)
        return construct
