"""The deployable stack: a spec's configuration sets, their destinations and shared resources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Annotations, Duration, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ses_events import render, rules
from ses_events.constructs import (
    AccountReputationAlarms,
    AlarmThresholds,
    AlarmTopic,
    ArchiveCompression,
    ArchiveStorageFormat,
    CloudWatchDimension,
    CloudWatchEventDestination,
    ConfigurationSetAlarms,
    EventBridgeEventDestination,
    EventPublishingConfigurationSet,
    EventPublishingDashboards,
    FirehoseArchiveAlarms,
    FirehoseEventArchive,
    FirehoseEventDestination,
    FleetMonitoring,
    RateThreshold,
    SnsEventDestination,
    SnsEventTopic,
    Tenant,
    TenantAlarms,
    TenantFleetMonitoring,
)
from ses_events.constructs.analytics import (
    EventArchiveTable,
    EventNamedQueries,
    EventQueryWorkgroup,
)
from ses_events.constructs.breaker import (
    BreakerGuard,
    ReputationBreaker,
    SesSendingStatusNotifications,
)
from ses_events.constructs.tenant_monitoring import tenant_section
from ses_events.errors import Problem, SesEventsValidationError
from ses_events.model import DestinationKind
from ses_events.spec import (
    ConfigurationSetSpec,
    EventPublishingSpec,
    FirehoseDestinationSpec,
    SnsDestinationSpec,
    TenantSpec,
    ThresholdsSpec,
    funnel_tags,
    guarded_sets,
    guarded_tenants,
    workgroup_name,
)
from ses_events.stacks.bulk import IncludedTenant, add_plain_sets, is_plain, is_plain_tenant
from ses_events.stacks.layout import TENANTS_PER_DASHBOARD

__all__ = ["SesEventPublishingStack"]


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
    :param configuration_sets: names of the spec's sets this stack holds. Default: all of them.
    :param bulk: build plain sets (no per-set options, alarms or dashboard section) in one
        ``CfnInclude`` rather than a construct each: the same resources and logical ids, many
        fewer jsii round trips (see :mod:`ses_events.stacks.bulk`). Default: ``True``.
    :param tenants: names of the spec's tenants this stack holds. Default: those whose first set
        it holds, and in the first stack those without a set (the layout file records where each
        tenant is: :mod:`ses_events.stacks.layout`).
    :param part: the stack's number when the spec spans several stacks (see
        :mod:`ses_events.stacks.layout`); part 1 also holds the account-level alarms. Default: 1.
    :param kwargs: passed to ``Stack`` (``env``, ``stack_name``, ``synthesizer``, ...).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        spec: EventPublishingSpec,
        configuration_sets: Sequence[str] | None = None,
        tenants: Sequence[str] | None = None,
        part: int = 1,
        bulk: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "description", spec.description or "Amazon SES event publishing (ses-events)"
        )
        super().__init__(scope, id, **kwargs)
        self.spec = spec
        self.part = part
        """The stack's number among the stacks of the spec (1 for the first)."""
        chosen = None if configuration_sets is None else set(configuration_sets)
        self.hosted: list[ConfigurationSetSpec] = [
            cs for cs in spec.configuration_sets if chosen is None or cs.name in chosen
        ]
        """The spec's configuration sets this stack holds, in spec order."""
        for key, value in sorted(spec.tags.items()):
            Tags.of(self).add(key, value)

        used_archives = {
            d.archive
            for cs in self.hosted
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
                storage_format=ArchiveStorageFormat(a.format),
                prefix=a.prefix,
                error_output_prefix=a.error_output_prefix,
                expiration=_days(a.retention.expire_after_days),
                noncurrent_version_expiration=_days(a.retention.noncurrent_versions_days),
                infrequent_access_after=_days(a.retention.infrequent_access_after_days),
                glacier_after=_days(a.retention.glacier_after_days),
                log_encryption_key=kms.Key(
                    self,
                    f"ArchiveLogKey-{a.name}",
                    description=f"Encrypts the Firehose error log of SES event archive {a.name}",
                    enable_key_rotation=True,
                )
                if a.encrypt_logs
                else None,
                server_access_logs_bucket=s3.Bucket.from_bucket_name(
                    self, f"AccessLogs-{a.name}", a.access_logs_bucket
                )
                if a.access_logs_bucket
                else None,
            )
            for a in spec.archives
            if a.name in used_archives
        }
        """Shared Firehose archives, by spec name."""

        used_topics = {
            d.topic
            for cs in self.hosted
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
        """Configuration set constructs, by name (the plain sets built in bulk are not here)."""
        plain = [cs for cs in self.hosted if bulk and is_plain(spec, cs)]
        plain_names = {cs.name for cs in plain}  # (names: comparing pydantic models is slow)
        for cs in self.hosted:
            if cs.name not in plain_names:
                self.configuration_sets[cs.name] = self._configuration_set(cs)
        held = self._held_tenants(None if tenants is None else set(tenants))
        plain_tenants = [t for t in held if bulk and is_plain_tenant(t, plain_names)]
        in_bulk = {t.name for t in plain_tenants}
        self.plain_sets: cfn_include.CfnInclude | None = (
            add_plain_sets(
                self, plain, archives=self.archives, topics=self.topics, tenants=plain_tenants
            )
            if plain or plain_tenants
            else None
        )
        """The plain sets' and tenants' resources, added in one ``CfnInclude`` (see
        :mod:`.bulk`)."""

        self.tenants: dict[str, Tenant | IncludedTenant] = {}
        """The spec's tenants this stack holds, by name, in spec order: a :class:`Tenant`
        construct, or for a tenant written in bulk with its sets an :class:`.IncludedTenant`."""
        for tenant in held:
            self.tenants[tenant.name] = (
                IncludedTenant(self.plain_sets, tenant)
                if tenant.name in in_bulk and self.plain_sets is not None
                else self._tenant(tenant)
            )

        self.analytics: EventQueryWorkgroup | EventNamedQueries | None = None
        """The Athena workgroup and named queries (spec ``analytics``); from the second stack of
        a spec on, only the named queries, in the first stack's workgroup."""
        self.tables: dict[str, EventArchiveTable] = {}
        """The Glue table of each archive, by archive name."""
        if spec.analytics.enabled and self.archives:
            self._analytics(kwargs.get("stack_name") or id)

        self.monitoring: Monitoring | None = (
            Monitoring(self, "ses-events.monitoring", stack=self)
            if spec.monitoring.enabled
            else None
        )
        """Dashboards and alarms (the spec's ``monitoring``), unless turned off."""

    def _held_tenants(self, chosen: set[str] | None) -> list[TenantSpec]:
        """The spec's tenants this stack builds: ``chosen``, else those whose first set it
        holds (tenants without a set: the first stack). Each with all its sets here."""
        hosted = {cs.name for cs in self.hosted}
        problems: list[Problem] = []
        known = {t.name for t in self.spec.tenants}
        problems += [
            Problem("tenants", name, "is not a tenant of the spec")
            for name in sorted((chosen or set()) - known)
        ]
        held: list[TenantSpec] = []
        for index, tenant in enumerate(self.spec.tenants):
            sets = tenant.configuration_sets
            if chosen is not None:
                if tenant.name not in chosen:
                    continue
            elif (sets[0] not in hosted) if sets else self.part != 1:
                continue
            for j, name in enumerate(sets):
                if name not in hosted:
                    problems.append(
                        Problem(
                            f"tenants[{index}].configuration_sets[{j}]",
                            name,
                            f"is in another stack than the tenant {tenant.name!r}: a tenant is"
                            " built in one stack with all its sets (list sets of one stack; the"
                            " layout file says which stack holds which set and tenant)",
                        )
                    )
            held.append(tenant)
        if problems:
            raise SesEventsValidationError(self.node.path, problems)
        return held

    def _tenant(self, tenant: TenantSpec) -> Tenant:
        sets = tenant.configuration_sets
        construct = Tenant(
            self,
            render.tenant_construct_id(tenant.name),
            tenant_name=tenant.name,
            configuration_sets=[self._set_for_tenant(name) for name in sets],
            identities=[i for i in tenant.identities if not i.startswith("arn:")],
            templates=tenant.templates,
            resource_arns=[
                *(i for i in tenant.identities if i.startswith("arn:")),
                *tenant.resource_arns,
            ],
            reputation_policy=tenant.reputation_policy,
            suppression_reasons=tenant.suppression.reasons if tenant.suppression else None,
            suppression_scope=tenant.suppression.scope if tenant.suppression else None,
            tags=tenant.tags,
        )
        for name in sets:
            if name not in self.configuration_sets and self.plain_sets is not None:
                # a set built in bulk: the tenant is associated once the set exists
                construct.resource.add_dependency(
                    self.plain_sets.get_resource(
                        render.logical_id(render.configuration_set_path(name))
                    )
                )
        return construct

    def _set_for_tenant(self, name: str) -> EventPublishingConfigurationSet | str:
        return self.configuration_sets.get(name, name)

    def _analytics(self, stack_name: str) -> None:
        analytics = self.spec.analytics
        database = analytics.database or stack_name.lower().replace("-", "_")
        if analytics.database and self.part > 1:
            database = f"{database}_{self.part}"  # one database per stack: names are per account
        shared = None
        for name, archive in self.archives.items():
            table = EventArchiveTable(
                self,
                f"Table-{name}",
                archive=archive,
                database=shared,
                database_name=database,
                table_name="events"
                if name == "default"
                else "events_" + name.lower().replace("-", "_"),
                years=analytics.years,
            )
            shared = table.database
            self.tables[name] = table
        workgroup = workgroup_name(self.spec)
        if self.part > 1:  # one workgroup per environment: the first stack's
            self.analytics = EventNamedQueries(
                self,
                "Analytics",
                workgroup_name=workgroup,
                tables=list(self.tables.values()),
                funnel_tags=funnel_tags(self.spec),
            )
            return
        self.analytics = EventQueryWorkgroup(
            self,
            "Analytics",
            workgroup_name=workgroup,
            tables=list(self.tables.values()),
            bytes_scanned_cutoff=analytics.bytes_scanned_cutoff_mb * 1_000_000,
            results_expiration=Duration.days(analytics.results_expiration_days),
            funnel_tags=funnel_tags(self.spec),
        )

    def _configuration_set(self, cs: ConfigurationSetSpec) -> EventPublishingConfigurationSet:
        model = cs.to_model()
        construct = EventPublishingConfigurationSet.from_model(self, cs.name, model)
        for d in model.destinations:
            common: dict[str, Any] = {
                "configuration_set": construct,
                "destination_name": d.name,
                "event_types": d.event_types,
                "enabled": d.enabled,
            }
            scope_id = render.destination_construct_id(cs.name, d.name)
            if d.kind is DestinationKind.CLOUDWATCH:
                CloudWatchEventDestination(
                    self,
                    scope_id,
                    dimensions=[
                        CloudWatchDimension(x.name, x.source, x.default_value) for x in d.dimensions
                    ],
                    **common,
                )
            elif d.kind is DestinationKind.FIREHOSE:
                assert d.archive is not None
                FirehoseEventDestination(self, scope_id, archive=self.archives[d.archive], **common)
            elif d.kind is DestinationKind.SNS:
                assert d.topic is not None
                SnsEventDestination(self, scope_id, event_topic=self.topics[d.topic], **common)
            else:
                EventBridgeEventDestination(self, scope_id, **common)
        return construct


def _days(value: int | None) -> Duration | None:
    return Duration.days(value) if value is not None else None


def _thresholds(*layers: ThresholdsSpec | None) -> AlarmThresholds:
    """Defaults, overridden by each layer in turn (top-level, then the set's)."""
    values: dict[str, Any] = {}
    for layer in layers:
        if layer is None:
            continue
        for name in ("bounce_rate", "complaint_rate"):
            rate = getattr(layer, name)
            if rate is not None:
                values[name] = RateThreshold(warning=rate.warning, critical=rate.critical)
        for name in ("rendering_failures", "rejects", "delivery_delays"):
            if getattr(layer, name) is not None:
                values[name] = getattr(layer, name)
    return AlarmThresholds(**values)


class Monitoring(Construct):
    """The spec's ``monitoring``: alarm topic, alarms, dashboards. Built by the stack.

    Attributes expose every created construct: ``alarm_topic``, ``account_alarms``,
    ``archive_alarms`` (by archive name), ``set_alarms`` (by set name) and ``dashboards``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the construct id, named as in aws-cdk-lib
        *,
        stack: SesEventPublishingStack,
    ) -> None:
        super().__init__(scope, id)
        spec = stack.spec
        monitoring = spec.monitoring
        prefix = monitoring.prefix or spec.stack_name
        # Names of what the spec has once per environment carry the part from the second stack on.
        suffix = "" if stack.part == 1 else f"-stack{stack.part}"
        notifications = monitoring.notifications

        self.alarm_topic: sns.ITopic
        """The topic alarms notify (created, or the spec's ``topic_arn``)."""
        self.alarm_topic_key: kms.IKey | None = None
        """The created topic's customer managed key (none for the spec's ``topic_arn``)."""
        if notifications.topic_arn:
            self.alarm_topic = sns.Topic.from_topic_arn(self, "AlarmTopic", notifications.topic_arn)
            for email in notifications.emails:
                self.alarm_topic.add_subscription(subscriptions.EmailSubscription(email))
        else:
            created = AlarmTopic(self, "AlarmTopic", prefix=prefix, emails=notifications.emails)
            self.alarm_topic, self.alarm_topic_key = created.topic, created.key

        self.account_alarms = (
            AccountReputationAlarms(
                self,
                "Account",
                prefix=prefix,
                alarm_topic=self.alarm_topic,
                thresholds=_thresholds(monitoring.thresholds),
            )
            if monitoring.account_alarms and stack.part == 1
            else None
        )
        self.fleet = (
            FleetMonitoring(
                self,
                "Fleet",
                prefix=prefix,
                alarm_topic=self.alarm_topic,
                thresholds=_thresholds(monitoring.thresholds),
                dashboard=monitoring.dashboards != "none",
            )
            if monitoring.fleet and stack.part == 1
            else None
        )
        """Alarms and a dashboard covering every set (the spec's ``monitoring.fleet``)."""
        archive_specs = {a.name: a for a in spec.archives}
        self.archive_alarms: dict[str, FirehoseArchiveAlarms] = {}
        if monitoring.archive_alarms:
            for name, archive in stack.archives.items():
                age = archive_specs[name].max_data_age_seconds
                self.archive_alarms[name] = FirehoseArchiveAlarms(
                    self,
                    f"Archive-{name}",
                    archive=archive,
                    archive_name=name + suffix,
                    prefix=prefix,
                    alarm_topic=self.alarm_topic,
                    max_data_age=Duration.seconds(age) if age is not None else None,
                )

        self.set_alarms: dict[str, ConfigurationSetAlarms] = {}
        insights = 0
        for cs in stack.hosted:
            if cs.monitoring.alarms == []:
                continue  # the spec chose no alarms for this set (common with thousands of sets)
            used = [d.archive for d in cs.destinations if isinstance(d, FirehoseDestinationSpec)]
            related: list[cloudwatch.IAlarm] = [
                alarm
                for name in dict.fromkeys(used)
                if name in self.archive_alarms
                for alarm in self.archive_alarms[name].alarms.values()
            ]
            alarms = ConfigurationSetAlarms(
                self,
                f"Set-{cs.name}",
                configuration_set=stack.configuration_sets[cs.name],
                prefix=prefix,
                alarm_topic=self.alarm_topic,
                alarms=cs.monitoring.alarms,
                thresholds=_thresholds(monitoring.thresholds, cs.monitoring.thresholds),
                related_alarms=related,
                composite=monitoring.composite_alarms,
                notify_via_composite=notifications.via_composite and monitoring.composite_alarms,
            )
            insights += alarms.metrics_insights_alarms
            self.set_alarms[cs.name] = alarms
        if self.fleet is not None:
            insights += len(self.fleet.alarms)
        watched = spec.tenants and monitoring.tenants != "none"
        self.tenant_fleet: TenantFleetMonitoring | None = (
            TenantFleetMonitoring(
                self,
                "Tenants",
                prefix=prefix,
                alarm_topic=self.alarm_topic,
                dashboard=monitoring.dashboards != "none",
            )
            if watched and stack.part == 1
            else None
        )
        """Metrics Insights alarms and a dashboard over every tenant (``monitoring.tenants``)."""
        if self.tenant_fleet is not None:
            insights += len(self.tenant_fleet.alarms)
        self.tenant_alarms: dict[str, TenantAlarms] = {}
        """Each tenant's rate alarms, by tenant name (``monitoring.tenants: per_tenant``)."""
        if monitoring.tenants == "per_tenant":
            for name in stack.tenants:
                self.tenant_alarms[name] = TenantAlarms(
                    self,
                    f"Tenant-{name}",
                    tenant_name=name,
                    prefix=prefix,
                    alarm_topic=self.alarm_topic,
                    thresholds=_thresholds(monitoring.thresholds),
                    minimum_sends=monitoring.tenant_minimum_sends,
                )
        self.breaker: ReputationBreaker | None = None
        """Pauses the guarded tenants and sets of this stack (``breaker``), if any."""
        guards = self._guards(stack)
        if guards:
            self.breaker = ReputationBreaker(
                self,
                "Breaker",
                guards=guards,
                alarm_topic=self.alarm_topic,
                topic_key=self.alarm_topic_key,
            )
        self.ses_status: SesSendingStatusNotifications | None = None
        """SES's own sending-status events to the alarm topic (first stack, with tenants)."""
        if spec.tenants and stack.part == 1:
            self.ses_status = SesSendingStatusNotifications(
                self,
                "SesSendingStatus",
                prefix=prefix,
                topic=self.alarm_topic,
                topic_key=self.alarm_topic_key,
            )
            if notifications.topic_arn:
                Annotations.of(self.ses_status).add_warning(
                    "SES's sending-status events go to the spec's topic_arn, whose policy this app"
                    " cannot change: allow events.amazonaws.com to publish for the rule"
                    f" {self.ses_status.rule_name} (aws:SourceArn), or the events are dropped"
                )
        if insights > rules.MAX_METRICS_INSIGHTS_ALARMS:
            raise SesEventsValidationError(
                f"{self.node.path} (monitoring)",
                [
                    Problem(
                        "monitoring",
                        f"{insights} Metrics Insights alarms",
                        f"exceeds CloudWatch's default quota of {rules.MAX_METRICS_INSIGHTS_ALARMS}"
                        " per account and Region: choose fewer count alarms per set"
                        " (monitoring.alarms), or give sets a CloudWatch destination whose only"
                        " dimension is ses:configuration-set",
                    )
                ],
            )

        shown = [cs for cs in stack.hosted if cs.monitoring.dashboard]

        def alarms_of(names: list[str]) -> dict[str, list[cloudwatch.IAlarm]]:
            found: dict[str, list[cloudwatch.IAlarm]] = {}
            for name in names:
                if name not in self.set_alarms:
                    continue
                alarms = self.set_alarms[name]
                listed: list[cloudwatch.IAlarm] = list(alarms.alarms.values())
                if alarms.composite_alarm is not None:
                    listed.append(alarms.composite_alarm)
                if listed:
                    found[name] = listed
            return found

        def breakdowns_of(names: list[str]) -> dict[str, list[str]]:
            by_name = {cs.name: cs for cs in spec.configuration_sets}
            return {
                name: list(by_name[name].monitoring.breakdowns or [])
                for name in names
                if by_name[name].monitoring.breakdowns is not None
            }

        def archives_of(names: list[str]) -> dict[str, FirehoseEventArchive]:
            by_name = {cs.name: cs for cs in spec.configuration_sets}
            used = {
                d.archive
                for name in names
                for d in by_name[name].destinations
                if isinstance(d, FirehoseDestinationSpec)
            }
            return {n: a for n, a in stack.archives.items() if n in used}

        self.dashboards: list[EventPublishingDashboards] = []
        groups: list[tuple[str, str, list[str]]] = []
        if monitoring.dashboards == "per_environment" and shown:
            groups.append(("Dashboards", prefix + suffix, [cs.name for cs in shown]))
        elif monitoring.dashboards == "per_configuration_set":
            groups += [(f"Dashboard-{cs.name}", f"{prefix}-{cs.name}", [cs.name]) for cs in shown]
        for construct_id, dashboard_name, names in groups:
            self.dashboards.append(
                EventPublishingDashboards(
                    self,
                    construct_id,
                    dashboard_name=dashboard_name,
                    configuration_sets=[stack.configuration_sets[n] for n in names],
                    archives=archives_of(names),
                    alarms=alarms_of(names),
                    breakdowns=breakdowns_of(names),
                    account_section=stack.part == 1,
                )
            )
        self.tenant_dashboards: list[cloudwatch.Dashboard] = []
        """The tenants' sections, ``TENANTS_PER_DASHBOARD`` to a dashboard
        (``<prefix>-tenant-health``, ``-2``, ...)."""
        watched_here = list(self.tenant_alarms.values())
        if monitoring.dashboards != "none":
            for k in range(0, len(watched_here), TENANTS_PER_DASHBOARD):
                number = k // TENANTS_PER_DASHBOARD + 1
                dashboard = cloudwatch.Dashboard(
                    self,
                    f"TenantHealth-{number}",
                    dashboard_name=f"{prefix}-tenant-health{suffix}"
                    + (f"-{number}" if number > 1 else ""),
                    default_interval=Duration.days(1),
                )
                for tenant_alarms in watched_here[k : k + TENANTS_PER_DASHBOARD]:
                    for row in tenant_section(tenant_alarms):
                        dashboard.add_widgets(*row)
                self.tenant_dashboards.append(dashboard)

    def _guards(self, stack: SesEventPublishingStack) -> list[BreakerGuard]:
        """What this stack's breaker pauses: its guarded tenants (on their critical rate
        alarms) and guarded sets (on theirs); the spec checked that each has them."""
        spec = stack.spec
        tenants = set(guarded_tenants(spec))
        sets = set(guarded_sets(spec))
        guards = [
            BreakerGuard.tenant(name, tenant.tenant_arn, self.tenant_alarms[name].critical)
            for name, tenant in stack.tenants.items()
            if name in tenants and name in self.tenant_alarms
        ]
        guards += [
            BreakerGuard.configuration_set(
                self, cs.name, self.set_alarms[cs.name].reputation_critical
            )
            for cs in stack.hosted
            if cs.name in sets
            and cs.name in self.set_alarms
            and self.set_alarms[cs.name].reputation_critical
        ]
        return guards
