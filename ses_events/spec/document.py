"""The whole spec: its settings, the checks that span its parts, and reading it from YAML."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    Field,
    ValidationError,
)

from ses_events import rules
from ses_events.errors import Problem, SesEventsValidationError
from ses_events.spec.analytics import AnalyticsSpec
from ses_events.spec.archive import ArchiveSpec
from ses_events.spec.base import SPEC_FILE_HEADLINE, SpecError, _Spec, _unreadable, _whole_numbers
from ses_events.spec.configuration_sets import _SPEC_FIELDS, ConfigurationSetSpec
from ses_events.spec.destinations import (
    CloudWatchDestinationSpec,
    DimensionSpec,
    FirehoseDestinationSpec,
    SnsDestinationSpec,
    TopicSpec,
    _dimension_problems,
)
from ses_events.spec.layout import LayoutSpec
from ses_events.spec.monitoring import MonitoringSpec
from ses_events.spec.tenants import TenantSpec
from ses_events.spec_yaml import MAX_SPEC_BYTES, PlainScalar, hint_for, location, read_yaml

EXAMPLE_SPEC = Path(str(resources.files("ses_events") / "examples" / "ses-events.yaml"))
"""The example spec shipped with the package (every field in use); the app uses it when context
names none."""


class EnvironmentSpec(_Spec):
    """Where the stacks deploy. Both fields optional; without them stacks are environment-agnostic."""

    account: Annotated[str, Field(pattern=r"^\d{12}$")] | None = None
    """The 12-digit AWS account id."""
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")] | None = None
    """The AWS region, for example ``eu-west-1``."""


class EventPublishingSpec(_Spec):
    """The whole spec: stack settings, shared archives and topics, configuration sets."""

    stack_name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$")] = "SesEvents"
    """CloudFormation stack name. Context ``ses-events:stack-name`` overrides it."""
    description: Annotated[str, Field(max_length=rules.MAX_STACK_DESCRIPTION_CHARACTERS)] | None = (
        None
    )
    environment: EnvironmentSpec = Field(default_factory=EnvironmentSpec)
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of every resource in the stack."""
    archives: list[ArchiveSpec] = Field(default_factory=lambda: [ArchiveSpec(name="default")])
    topics: list[TopicSpec] = Field(default_factory=list)
    configuration_sets: list[ConfigurationSetSpec]
    monitoring: MonitoringSpec = Field(default_factory=MonitoringSpec)
    """Dashboards and alarms. Default: on, with the defaults of each field."""
    layout: LayoutSpec = Field(default_factory=LayoutSpec)
    """Stacks for specs that outgrow one. Default: 450 resources per stack."""
    analytics: AnalyticsSpec = Field(default_factory=AnalyticsSpec)
    """Glue tables, Athena workgroup and named queries over the archives. Default: off."""
    tenants: list[TenantSpec] = Field(default_factory=list)
    """SES tenants: the platform's customers, each with its sets, identities and templates.
    Default: none."""


def _cross_checks(spec: EventPublishingSpec) -> list[Problem]:
    """Rules that span entries: unique names, quotas and references."""
    found: list[Problem] = []
    archives = {a.name for a in spec.archives}
    topics = {t.name for t in spec.topics}
    if len(spec.configuration_sets) > rules.MAX_CONFIGURATION_SETS_PER_REGION:
        found.append(
            Problem(
                "configuration_sets",
                f"{len(spec.configuration_sets)} configuration sets",
                f"SES allows at most {rules.MAX_CONFIGURATION_SETS_PER_REGION} configuration sets"
                " per account and Region",
            )
        )
    found += [Problem(f, v, r) for f, v, r in rules.tag_problems(spec.tags)]
    for k, archive in enumerate(spec.archives):
        if archive.format == "parquet" and not spec.analytics.enabled:
            found.append(
                Problem(
                    f"archives[{k}].format",
                    archive.format,
                    "needs analytics.enabled: true (the archive's Glue table is the schema"
                    " Firehose converts records with)",
                )
            )
        if (
            archive.format == "parquet"
            and archive.compression not in rules.PARQUET_BLOCK_COMPRESSION
        ):
            found.append(
                Problem(
                    f"archives[{k}].compression",
                    archive.compression,
                    rules.PARQUET_COMPRESSION_RULE,
                )
            )
    for kind, names in (
        ("archives", [a.name for a in spec.archives]),
        ("topics", [t.name for t in spec.topics]),
    ):
        for name in rules.duplicates(names):
            found.append(Problem(kind, name, f"{kind[:-1]} names must be unique"))
    for name in rules.duplicates(cs.name for cs in spec.configuration_sets):
        index = [cs.name for cs in spec.configuration_sets].index(name)
        found.append(
            Problem(
                f"configuration_sets[{index}].name",
                name,
                "configuration set names must be unique in a spec (per account and region)",
            )
        )
    for i, cs in enumerate(spec.configuration_sets):
        where = f"configuration_sets[{i}]"
        # the stack's tags land on the set too: together at most 50 keys
        inherited = len(set(spec.tags) - set(cs.tags))
        found += [
            Problem(f"{where}.{f}", v, r)
            for f, v, r in rules.tag_problems(cs.tags, reserved=inherited)
        ]
        seen: list[str] = []
        for j, dest in enumerate(cs.destinations):
            broken = rules.new_destination_problem(seen, dest.name)
            if broken is None:
                seen.append(dest.name)
            else:
                found.append(Problem(f"{where}.destinations[{j}].name", dest.name, broken))
        for option, rule in rules.set_option_problems(
            cs.to_model().options, lambda option: _SPEC_FIELDS[option][0]
        ):
            field, value = _SPEC_FIELDS[option]
            found.append(Problem(f"{where}.{field}", value(cs), rule))
        for j, dest in enumerate(cs.destinations):
            here = f"{where}.destinations[{j}]"
            if isinstance(dest, FirehoseDestinationSpec) and dest.archive not in archives:
                found.append(
                    Problem(
                        f"{here}.archive",
                        dest.archive,
                        f"must name an entry of archives {sorted(archives)}",
                    )
                )
            if isinstance(dest, SnsDestinationSpec) and dest.topic not in topics:
                found.append(
                    Problem(
                        f"{here}.topic",
                        dest.topic,
                        f"must name an entry of topics {sorted(topics)}",
                    )
                )
            if isinstance(dest, CloudWatchDestinationSpec):
                found += _dimension_problems(here, dest.dimensions)
        if spec.monitoring.enabled:
            found += _monitoring_problems(spec, where, cs)
    found += _tenant_problems(spec)
    found += _breaker_problems(spec)
    return found


def guarded_tenants(spec: EventPublishingSpec) -> list[str]:
    """The tenants the breaker pauses: each tenant's ``breaker``, else ``monitoring.breaker``."""
    default = spec.monitoring.breaker
    return [t.name for t in spec.tenants if (default if t.breaker is None else t.breaker)]


def guarded_sets(spec: EventPublishingSpec) -> list[str]:
    """The configuration sets the breaker pauses: each set's ``monitoring.breaker``, else
    ``monitoring.breaker`` in a spec without tenants."""
    default = spec.monitoring.breaker and not spec.tenants
    return [
        cs.name
        for cs in spec.configuration_sets
        if (default if cs.monitoring.breaker is None else cs.monitoring.breaker)
    ]


def breaker_alarms(cs: ConfigurationSetSpec) -> list[rules.SesAlarm]:
    """The set's alarms the breaker watches (their critical level): its bounce and complaint
    rate alarms, where it has them."""
    support = cs.to_model().alarm_support()
    chosen = (
        [rules.SesAlarm(a) for a in cs.monitoring.alarms]
        if cs.monitoring.alarms is not None
        else [kind for kind, reason in support.items() if not reason]
    )
    return [k for k in rules.REPUTATION_ALARMS if k in chosen and not support[k]]


def _breaker_problems(spec: EventPublishingSpec) -> list[Problem]:
    """A guarded tenant needs its own alarms; a guarded set needs a rate alarm to watch."""
    found: list[Problem] = []
    tenants = set(guarded_tenants(spec))
    sets = set(guarded_sets(spec))

    if (tenants or sets) and not spec.monitoring.enabled:
        found.append(
            Problem(
                "monitoring.enabled",
                False,
                "the breaker needs the alarms it watches: enable monitoring, or turn the"
                " breaker off",
            )
        )
        return found
    for i, tenant in enumerate(spec.tenants):
        if tenant.name in tenants and spec.monitoring.tenants != "per_tenant":
            field = "monitoring.breaker" if tenant.breaker is None else f"tenants[{i}].breaker"
            found.append(
                Problem(
                    field,
                    True,
                    f"pausing tenant {tenant.name!r} needs its own critical alarms:"
                    f" monitoring.tenants must be per_tenant, not {spec.monitoring.tenants}",
                )
            )
    for i, cs in enumerate(spec.configuration_sets):
        if cs.name in sets and not breaker_alarms(cs):
            field = (
                "monitoring.breaker"
                if cs.monitoring.breaker is None
                else f"configuration_sets[{i}].monitoring.breaker"
            )
            found.append(
                Problem(
                    field,
                    True,
                    f"pausing configuration set {cs.name!r} needs its bounce_rate or"
                    " complaint_rate alarm (the breaker watches their critical level): give the"
                    " set reputation metrics and one of those alarms",
                )
            )
    return found


def _tenant_problems(spec: EventPublishingSpec) -> list[Problem]:
    """A tenant names sets of this spec, and resources SES can associate, each once; tenant
    names are unique."""
    found: list[Problem] = []
    names = [t.name for t in spec.tenants]
    for name in rules.duplicates(names):
        found.append(
            Problem(f"tenants[{names.index(name)}].name", name, "tenant names must be unique")
        )
    sets = [cs.name for cs in spec.configuration_sets]
    known = set(sets)
    for i, tenant in enumerate(spec.tenants):
        where = f"tenants[{i}]"
        for j, name in enumerate(tenant.configuration_sets):
            if name not in known:
                found.append(
                    Problem(
                        f"{where}.configuration_sets[{j}]",
                        name,
                        "must name a configuration set of this spec"
                        + (
                            f" ({', '.join(sets[:5])}{', ...' if len(sets) > 5 else ''})"
                            if sets
                            else ""
                        ),
                    )
                )
        for name in rules.duplicates(tenant.configuration_sets):
            found.append(
                Problem(
                    f"{where}.configuration_sets", name, "is listed twice in configuration_sets"
                )
            )
        for field, values, rule in (
            ("identities", tenant.identities, rules.IDENTITY_NAME),
            ("templates", tenant.templates, rules.TEMPLATE_NAME),
            ("resource_arns", tenant.resource_arns, rules.SES_ARN),
        ):
            found += [
                Problem(f"{where}.{f}", v, r)
                for f, v, r in rules.resource_problems(field, values, rule)
            ]
        inherited = len(set(spec.tags) - set(tenant.tags))
        found += [
            Problem(f"{where}.{f}", v, r)
            for f, v, r in rules.tag_problems(tenant.tags, reserved=inherited)
        ]
    return found


def workgroup_name(spec: EventPublishingSpec) -> str:
    """The spec's Athena workgroup: ``analytics.workgroup``, else ``<stack_name>-events``."""
    return spec.analytics.workgroup or f"{spec.stack_name}-events"


def funnel_tags(spec: EventPublishingSpec) -> list[str]:
    """The message tags the named funnel queries group by: ``analytics.funnel_tag`` first, then
    every message tag a CloudWatch destination of the spec uses as a dimension (not the ``ses:``
    automatic tags), once each, in spec order."""
    tags = [spec.analytics.funnel_tag]
    for cs in spec.configuration_sets:
        for dest in cs.destinations:
            if isinstance(dest, CloudWatchDestinationSpec):
                tags += [
                    d.name
                    for d in dest.dimensions
                    if d.source is rules.DimensionSource.MESSAGE_TAG
                    and not d.name.startswith("ses:")
                ]
    return list(dict.fromkeys(tags))


def metric_dimensions(cs: ConfigurationSetSpec) -> dict[rules.EventType, list[str]]:
    """For each event type in the set's metrics, the dimensions it is published with
    (:meth:`ses_events.model.SetModel.metric_sources`, the rule the constructs use too)."""
    sources = cs.to_model().metric_sources()
    return {event_type: list(d.dimension_names) for event_type, d in sources.items()}


def _monitoring_problems(
    spec: EventPublishingSpec, where: str, cs: ConfigurationSetSpec
) -> list[Problem]:
    found: list[Problem] = []
    published = metric_dimensions(cs)
    breakdowns = cs.monitoring.breakdowns or []
    known = sorted(
        {n for names in published.values() for n in names} - {rules.CONFIGURATION_SET_DIMENSION}
    )
    for k, dimension in enumerate(breakdowns):
        if dimension not in known:
            found.append(
                Problem(
                    f"{where}.monitoring.breakdowns[{k}]",
                    dimension,
                    "must be a dimension of the set's CloudWatch destination (other than"
                    f" {rules.CONFIGURATION_SET_DIMENSION}): {known}",
                )
            )
    support = cs.to_model().alarm_support()
    for k, alarm in enumerate(cs.monitoring.alarms or []):
        reason = support[rules.SesAlarm(alarm)]
        if reason:
            found.append(Problem(f"{where}.monitoring.alarms[{k}]", alarm, reason))
    if (
        spec.monitoring.account_alarms
        and cs.name == "account"
        and (
            cs.monitoring.alarms is None
            or set(rules.REPUTATION_ALARMS) & {rules.SesAlarm(a) for a in cs.monitoring.alarms}
        )
    ):
        found.append(
            Problem(
                f"{where}.name",
                cs.name,
                "its alarm names would clash with the account alarms (<prefix>-account-...):"
                " rename the set, or set monitoring.account_alarms: false",
            )
        )
    return found


_DESTINATION_TYPES = ("cloudwatch", "firehose", "sns", "eventbridge")


def _location(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a place in the file, without the union member pydantic
    tried after a list index (``destinations[0].cloudwatch.name`` is ``destinations[0].name``)."""
    parts: list[int | str] = []
    previous: int | str | None = None
    for part in loc:
        if not (isinstance(previous, int) and part in _DESTINATION_TYPES):
            parts.append(part)
        previous = part
    return location(tuple(parts))


def parse_spec(
    data: Any, *, source: str = "spec", plain: dict[str, PlainScalar] | None = None
) -> EventPublishingSpec:
    """Validate ``data`` (a parsed YAML document) and return the spec, or raise :class:`SpecError`.

    ``plain`` (from :func:`ses_events.spec_yaml.read_yaml`) says where YAML read an unquoted
    value as a number, boolean, null or date, so that a field that wants text can say to quote it.
    """
    if not isinstance(data, dict):
        if data is None:
            raise _unreadable(
                source,
                source,
                "is empty: a spec is a YAML mapping, at least 'configuration_sets:' with one set",
            )
        kind = {list: "a list", str: "text", bool: "a boolean", int: "a number", float: "a number"}
        kind_of = kind.get(type(data), f"a {type(data).__name__}")
        raise SpecError(
            source,
            [
                Problem(
                    "(top level)",
                    data,
                    f"is {kind_of}: a spec must be a mapping, at least 'configuration_sets:'"
                    " with one set",
                )
            ],
            headline=SPEC_FILE_HEADLINE,
        )
    try:
        spec = EventPublishingSpec.model_validate(_whole_numbers(data))
    except ValidationError as error:
        problems = []
        for e in error.errors():
            place = _location(tuple(e["loc"]))
            rule = e["msg"].removeprefix("Value error, ")
            problems.append(
                Problem(place, e.get("input"), rule + hint_for(plain or {}, place, e.get("input")))
            )
        raise SpecError(source, problems) from None
    spec, added = _with_tenant_metrics(spec)
    cross = added + _cross_checks(spec)
    if cross:
        raise SpecError(source, cross)
    return spec


def tenant_metrics_destination() -> CloudWatchDestinationSpec:
    """The CloudWatch destination per-tenant monitoring adds to a tenant's set
    (:data:`ses_events.rules.TENANT_METRICS_DESTINATION`)."""
    return CloudWatchDestinationSpec(
        name=rules.TENANT_METRICS_DESTINATION,
        type="cloudwatch",
        event_types=[t.lower() for t in rules.TENANT_METRIC_EVENT_TYPES],
        dimensions=[
            DimensionSpec(
                name=rules.TENANT_TAG,
                source=rules.DimensionSource.MESSAGE_TAG,
                default_value=rules.TENANT_DIMENSION_DEFAULT,
            )
        ],
    )


def publishes_tenant_metrics(dest: object) -> bool:
    """Whether ``dest`` gives the per-tenant metrics: an enabled CloudWatch destination whose only
    dimension is the tenant tag, publishing sends, bounces and complaints."""
    return (
        isinstance(dest, CloudWatchDestinationSpec)
        and dest.enabled
        and dest.dimension_names == (rules.TENANT_TAG,)
        and dest.dimensions[0].source is rules.DimensionSource.MESSAGE_TAG
        and {t.name for t in dest.published_event_types} >= rules.TENANT_REQUIRED_EVENT_TYPES
    )


def _with_tenant_metrics(spec: EventPublishingSpec) -> tuple[EventPublishingSpec, list[Problem]]:
    """The spec with the tenant metrics destination added to each set a tenant sends with, when
    tenants are watched (``monitoring.tenants``) and the set has no destination like it."""
    monitoring = spec.monitoring
    if not spec.tenants or not monitoring.enabled or monitoring.tenants == "none":
        return spec, []
    used = {name for t in spec.tenants for name in t.configuration_sets}
    problems: list[Problem] = [
        Problem(
            f"tenants[{i}].name",
            t.name,
            f"is the value the tenant dimension takes for mail without a {rules.TENANT_TAG!r} tag:"
            " its alarms would count every untagged message. Rename the tenant, or set"
            " monitoring.tenants: none",
        )
        for i, t in enumerate(spec.tenants)
        if t.name == rules.TENANT_DIMENSION_DEFAULT
    ]
    sets = list(spec.configuration_sets)
    for i, cs in enumerate(sets):
        if cs.name not in used or any(publishes_tenant_metrics(d) for d in cs.destinations):
            continue
        names = [d.name for d in cs.destinations]
        why = (
            f" (monitoring.tenants is {monitoring.tenants!r}: each set a tenant sends with gets the"
            f" {rules.TENANT_METRICS_DESTINATION!r} CloudWatch destination, whose only dimension"
            f" is the {rules.TENANT_TAG!r} message tag)"
        )
        if rules.TENANT_METRICS_DESTINATION in names:
            j = names.index(rules.TENANT_METRICS_DESTINATION)
            problems.append(
                Problem(
                    f"configuration_sets[{i}].destinations[{j}].name",
                    rules.TENANT_METRICS_DESTINATION,
                    "is the name of the destination per-tenant monitoring adds, and this one does"
                    f" not publish sends, bounces and complaints with the {rules.TENANT_TAG!r}"
                    " dimension alone: rename it, or make it such a destination" + why,
                )
            )
            continue
        if len(names) >= rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET:
            problems.append(
                Problem(
                    f"configuration_sets[{i}].destinations",
                    f"{len(names)} destinations",
                    f"leaves no room for the tenant metrics destination: SES allows at most"
                    f" {rules.MAX_DESTINATIONS_PER_CONFIGURATION_SET} per set; remove one, or set"
                    " monitoring.tenants: none" + why,
                )
            )
            continue
        sets[i] = cs.model_copy(
            update={"destinations": [*cs.destinations, tenant_metrics_destination()]}
        )
    return spec.model_copy(update={"configuration_sets": sets}), problems


def load_spec(path: str | Path) -> EventPublishingSpec:
    """Read and validate the YAML spec at ``path``."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise _unreadable(
                str(path),
                f"{path.stat().st_size} bytes",
                f"is larger than a spec may be ({MAX_SPEC_BYTES} bytes)",
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _unreadable(str(path), str(path), f"is not UTF-8 text: {error.reason}") from None
    except OSError as error:
        raise _unreadable(str(path), str(path), f"cannot be read: {error.strerror}") from None
    try:
        data, plain = read_yaml(text, str(path))
    except SesEventsValidationError as error:
        raise SpecError(error.where, error.problems, headline=error.headline) from None
    return parse_spec(data, source=str(path), plain=plain)
