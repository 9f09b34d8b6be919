"""Which stack holds which configuration set, when a spec outgrows one CloudFormation stack.

A CloudFormation stack holds at most 500 resources and a template of at most 1 MB ("AWS
CloudFormation quotas",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
When a spec's sets need more, the app spreads them over stacks ``<stack_name>``,
``<stack_name>-2``, ... Moving a configuration set to another stack deletes and recreates it
(its metrics and event stream break), so the assignment is *stable*:

- it is recorded in a layout file next to the spec (``<spec>.layout.json``; commit it, as you
  commit ``cdk.context.json``), read strictly and written atomically by
  :mod:`ses_events.stacks.layout_file` when it changes, and only once the spec needs more than
  one stack;
- a recorded set never moves; a new set goes to the first stack with room, in spec order, else
  to a new stack; a removed set just leaves its stack;
- a spec that needs several stacks and has no layout file is refused unless a new layout is
  asked for: planning anew could move deployed sets;
- tenants are recorded too (a tenant's name is its physical id: moved to another stack, it is
  deleted there and fails to be created here). A recorded tenant stays in its stack, and new
  sets it lists go there; a new tenant goes to the stack of its first set (the first stack when
  it has none); every set of a tenant must be in the tenant's stack.

Room is counted from the spec, before anything is built: each set's resources (the set, its
destinations, its alarms) and what each stack shares (archives, topics, alarm topic and
dashboards), against ``layout.max_resources_per_stack``. The stacks are checked again after they
are built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ses_events import rules
from ses_events.analytics.queries import QUERIES
from ses_events.errors import Problem, SesEventsValidationError
from ses_events.spec import (
    ConfigurationSetSpec,
    EventPublishingSpec,
    FirehoseDestinationSpec,
    SnsDestinationSpec,
    funnel_tags,
    guarded_sets,
    guarded_tenants,
)

__all__ = [
    "ARCHIVE_RESOURCES",
    "BREAKER_RESOURCES",
    "BREAKER_RULES_PER_GUARD",
    "MAX_RESOURCES_PER_STACK",
    "MAX_TEMPLATE_BYTES",
    "TENANTS_PER_DASHBOARD",
    "TENANT_ALARMS",
    "TENANT_RESOURCES",
    "StackLayout",
    "plan_layout",
    "resources_of_set",
    "resources_of_tenant",
    "tenant_homes",
]


MAX_RESOURCES_PER_STACK = rules.MAX_RESOURCES_PER_STACK
MAX_TEMPLATE_BYTES = rules.MAX_TEMPLATE_BYTES
"""CloudFormation's quotas (:mod:`ses_events.rules`): 500 resources per stack, a template of
1 MB (uploaded to S3)."""

ARCHIVE_RESOURCES = 9
"""A Firehose archive: bucket, bucket policy, log group, log stream, stream, two roles and their
policies."""
_TOPIC_RESOURCES = 2  # topic, topic policy (+1 for an encrypted topic's key)
_ALARM_TOPIC_RESOURCES = 3  # key, topic, topic policy (+1 per email subscription)
_ACCOUNT_ALARMS = rules.alarm_resources(rules.REPUTATION_ALARMS, composite=False)
"""Warning and critical alarms on the account's two reputation rates."""
_FLEET = _ACCOUNT_ALARMS + 1  # the same four alarms over every set, and a dashboard
_SETS_PER_DASHBOARD = 10  # a conservative guess: dashboards split by widgets, metrics and bytes


TENANT_RESOURCES = 1
"""A tenant: one ``AWS::SES::Tenant`` (its associations are properties)."""
TENANT_ALARMS = 4
"""Per-tenant monitoring: warning and critical alarms on the bounce and complaint rates."""
TENANTS_PER_DASHBOARD = 20
"""Tenant sections on one dashboard (4 widgets each; a dashboard holds at most 500)."""
_TENANT_FLEET_ALARMS = 2  # bounces and complaints, Metrics Insights
BREAKER_RESOURCES = 6
"""The breaker of a stack that guards anything: its state machine, log group, two roles and
their policies (:class:`ses_events.constructs.ReputationBreaker`)."""
BREAKER_RULES_PER_GUARD = 1
"""Each guarded tenant or set: one EventBridge rule on its alarms."""
_SES_STATUS_RULE = 1  # SES's sending-status events to the alarm topic (first stack, with tenants)


def resources_of_tenant(spec: EventPublishingSpec) -> int:
    """Resources one tenant adds to its stack: the tenant, and its alarms when watched one by
    one (``monitoring.tenants: per_tenant``)."""
    return TENANT_RESOURCES + (TENANT_ALARMS if _per_tenant(spec) else 0)


def _per_tenant(spec: EventPublishingSpec) -> bool:
    return spec.monitoring.enabled and spec.monitoring.tenants == "per_tenant"


def tenant_dashboards(spec: EventPublishingSpec, tenants: int) -> int:
    """Dashboards of the tenant sections of a stack holding ``tenants`` tenants."""
    if not _per_tenant(spec) or spec.monitoring.dashboards == "none" or not tenants:
        return 0
    return -(-tenants // TENANTS_PER_DASHBOARD)


def tenant_homes(spec: EventPublishingSpec) -> dict[str | None, int]:
    """How many tenants live with each configuration set: a tenant is built in the stack of its
    first set (all its sets must share that stack); ``None`` counts the tenants without a set,
    which the first stack holds."""
    homes: dict[str | None, int] = {}
    for tenant in spec.tenants:
        home = tenant.configuration_sets[0] if tenant.configuration_sets else None
        homes[home] = homes.get(home, 0) + 1
    return homes


def resources_of_set(spec: EventPublishingSpec, cs: ConfigurationSetSpec) -> int:
    """Resources one configuration set adds to its stack: itself, destinations, alarms
    (:meth:`ses_events.model.SetModel.resource_count`)."""
    return cs.to_model().resource_count(
        monitoring=spec.monitoring.enabled, composite=spec.monitoring.composite_alarms
    )


class _Part:
    """A stack being filled: what its sets need, kept as running totals."""

    def __init__(self, spec: EventPublishingSpec, number: int) -> None:
        self.spec = spec
        self.number = number
        self.sets: list[ConfigurationSetSpec] = []
        self.own = 0
        self.archives: set[str] = set()
        self.topics: set[str] = set()
        self.shown = 0
        self.tenants = 0
        """Tenants of the stack (placed with it, or travelling with its sets)."""
        self.guards = 0
        """Tenants and sets of the stack its breaker guards."""

    def load(
        self,
        cs: ConfigurationSetSpec | None = None,
        size: int = 0,
        tenants: int = 0,
        guards: int = 0,
    ) -> int:
        """Resources of the stack, with ``cs`` (of ``size`` resources of its own, bringing
        ``tenants`` new tenants and ``guards`` new guarded tenants or sets) added if given."""
        archives, topics, shown = self.archives, self.topics, self.shown
        if cs is not None:
            archives = archives | _archives(cs)
            topics = topics | _topics(cs)
            shown += int(cs.monitoring.dashboard)
        shared = _shared(self.spec, archives, topics, shown, self.number)
        count = self.tenants + tenants
        guarded = self.guards + guards
        return (
            self.own
            + size
            + shared
            + count * resources_of_tenant(self.spec)
            + tenant_dashboards(self.spec, count)
            + guarded * BREAKER_RULES_PER_GUARD
            + (BREAKER_RESOURCES if guarded else 0)
        )

    def add(self, cs: ConfigurationSetSpec, size: int, tenants: int = 0, guards: int = 0) -> None:
        self.sets.append(cs)
        self.own += size
        self.tenants += tenants
        self.guards += guards
        self.archives |= _archives(cs)
        self.topics |= _topics(cs)
        self.shown += int(cs.monitoring.dashboard)


def _archives(cs: ConfigurationSetSpec) -> set[str]:
    return {d.archive for d in cs.destinations if isinstance(d, FirehoseDestinationSpec)}


def _topics(cs: ConfigurationSetSpec) -> set[str]:
    return {d.topic for d in cs.destinations if isinstance(d, SnsDestinationSpec)}


def _shared(
    spec: EventPublishingSpec, archives: set[str], topics: set[str], shown: int, part: int
) -> int:
    """Resources a stack shares among its sets: archives, topics, alarm topic, dashboards."""
    encrypted = {t.name for t in spec.topics if t.encrypted}
    count = len(archives) * ARCHIVE_RESOURCES + len(topics) * _TOPIC_RESOURCES
    count += len(topics & encrypted)
    count += len(archives & {a.name for a in spec.archives if a.encrypt_logs})  # log keys
    if spec.analytics.enabled and archives:
        # a database; per archive a table and the named queries; in the first stack the
        # workgroup, its results bucket and policy
        count += 1 + (3 if part == 1 else 0)
        count += len(archives) * (len(QUERIES) + len(funnel_tags(spec)))  # table + queries
    monitoring = spec.monitoring
    if monitoring.enabled:
        if not monitoring.notifications.topic_arn:
            count += _ALARM_TOPIC_RESOURCES
        count += len(monitoring.notifications.emails)
        if monitoring.archive_alarms:
            count += sum(
                len(rules.archive_alarms(parquet=a.format == "parquet"))
                for a in spec.archives
                if a.name in archives
            )
        if monitoring.account_alarms and part == 1:
            count += _ACCOUNT_ALARMS
        if monitoring.fleet and part == 1:
            count += _FLEET
        if spec.tenants and monitoring.tenants != "none" and part == 1:
            count += _TENANT_FLEET_ALARMS + int(monitoring.dashboards != "none")
        if spec.tenants and part == 1:
            count += _SES_STATUS_RULE
        if monitoring.dashboards == "per_environment":
            count += -(-shown // _SETS_PER_DASHBOARD)  # 0 when none is shown
        elif monitoring.dashboards == "per_configuration_set":
            count += shown
    return count


@dataclass(frozen=True)
class StackLayout:
    """The parts (stacks) of a spec: ``parts[n]`` lists the set names of stack number ``n + 1``;
    ``tenants`` pairs each tenant of the spec with its stack number, in spec order."""

    parts: tuple[tuple[str, ...], ...]
    tenants: tuple[tuple[str, int], ...] = ()

    def part_of(self, name: str) -> int:
        for number, names in enumerate(self.parts, start=1):
            if name in names:
                return number
        raise KeyError(name)

    def tenants_of(self, number: int) -> tuple[str, ...]:
        """The tenants stack ``number`` holds, in spec order."""
        return tuple(name for name, part in self.tenants if part == number)

    def as_record(self) -> dict[str, int]:
        return {name: number for number, names in enumerate(self.parts, 1) for name in names}

    def tenant_record(self) -> dict[str, int]:
        return dict(self.tenants)


def plan_layout(
    spec: EventPublishingSpec,
    recorded: Mapping[str, int] | None = None,
    recorded_tenants: Mapping[str, int] | None = None,
) -> StackLayout:
    """Place the spec's sets and tenants in stacks: recorded ones stay, new ones go first-fit
    (a new set a recorded tenant lists goes to that tenant's stack)."""
    budget = spec.layout.max_resources_per_stack
    by_name = {cs.name: cs for cs in spec.configuration_sets}
    kept_sets = {n: s for n, s in (recorded or {}).items() if n in by_name}
    kept = {
        t.name: recorded_tenants[t.name]
        for t in spec.tenants
        if recorded_tenants and t.name in recorded_tenants
    }
    # Tenant resources: in a known stack (recorded; the first stack for a tenant without a set;
    # a new tenant whose first set is recorded), or travelling with a new first set.
    fixed: dict[int, int] = {}
    travelling: dict[str, int] = {}
    # the same, counting only the tenants the breaker guards
    fixed_guards: dict[int, int] = {}
    travelling_guards: dict[str, int] = {}
    guarded = set(guarded_tenants(spec)) if spec.monitoring.enabled else set()
    pins: dict[str, int] = {}
    for tenant in spec.tenants:
        sets = tenant.configuration_sets
        if tenant.name in kept:
            home: int | None = kept[tenant.name]
            for name in sets:
                if name not in kept_sets:
                    pins.setdefault(name, kept[tenant.name])
        elif not sets:
            home = 1
        else:
            home = kept_sets.get(sets[0])
        guard = int(tenant.name in guarded)
        if home is None:
            travelling[sets[0]] = travelling.get(sets[0], 0) + 1
            travelling_guards[sets[0]] = travelling_guards.get(sets[0], 0) + guard
        else:
            fixed[home] = fixed.get(home, 0) + 1
            fixed_guards[home] = fixed_guards.get(home, 0) + guard
    sizes = {cs.name: resources_of_set(spec, cs) for cs in spec.configuration_sets}
    guarded_here = set(guarded_sets(spec)) if spec.monitoring.enabled else set()

    def guards_with(name: str) -> int:
        """Guards a set brings: itself, and the guarded tenants travelling with it."""
        return int(name in guarded_here) + travelling_guards.get(name, 0)

    parts: dict[int, _Part] = {}

    def part(number: int) -> _Part:
        if number not in parts:
            parts[number] = _Part(spec, number)
            parts[number].tenants = fixed.get(number, 0)
            parts[number].guards = fixed_guards.get(number, 0)
        return parts[number]

    for name, number in sorted(kept_sets.items(), key=lambda item: item[1]):
        part(number).add(by_name[name], sizes[name], travelling.get(name, 0), guards_with(name))
    for number in fixed:
        part(number)  # a stack holding tenants is kept, even with no set there
    problems: list[Problem] = []
    # First fit, without asking the stacks that are full: a set adds at least its own resources
    # (no fewer than the smallest set's) and what it shares only grows, so a stack without room
    # for the smallest set takes no set again.
    smallest = min(sizes.values(), default=1)  # (tenants only add to a set's load)
    first_open = 1
    for index, cs in enumerate(spec.configuration_sets):
        if cs.name in kept_sets:
            continue
        size, brings, guards = sizes[cs.name], travelling.get(cs.name, 0), guards_with(cs.name)
        if cs.name in pins:
            number = pins[cs.name]
            if part(number).load(cs, size, brings, guards) > budget:
                problems.append(
                    Problem(
                        f"configuration_sets[{index}]",
                        cs.name,
                        f"belongs to a tenant recorded in stack {number}, which has no room for"
                        f" it ({part(number).load(cs, size, brings, guards)} resources, more than"
                        f" layout.max_resources_per_stack, {budget}): raise the budget, or give"
                        " the tenant a set of another stack only after moving the tenant (README,"
                        " 'Moving a set to another stack')",
                    )
                )
                continue
            part(number).add(cs, size, brings, guards)
            continue
        if _Part(spec, 1).load(cs, size, brings, guards) > budget:
            problems.append(
                Problem(
                    f"configuration_sets[{index}]",
                    cs.name,
                    f"needs {_Part(spec, 1).load(cs, size, brings, guards)} resources with what it"
                    f" shares, more than layout.max_resources_per_stack ({budget})",
                )
            )
            continue
        while first_open in parts and parts[first_open].load() + smallest > budget:
            first_open += 1
        number = first_open
        while number in parts and parts[number].load(cs, size, brings, guards) > budget:
            number += 1
        part(number).add(cs, size, brings, guards)
    placed = {cs.name: number for number, p in parts.items() for cs in p.sets}
    tenants: list[tuple[str, int]] = []
    for index, tenant in enumerate(spec.tenants):
        sets = tenant.configuration_sets
        home = kept.get(tenant.name) or (placed.get(sets[0]) if sets else 1)
        if home is None:
            continue  # its first set did not fit: reported above
        tenants.append((tenant.name, home))
        for j, name in enumerate(sets):
            if name in placed and placed[name] != home:
                problems.append(
                    Problem(
                        f"tenants[{index}].configuration_sets[{j}]",
                        name,
                        f"is in stack {placed[name]}, the tenant {tenant.name!r} in stack {home}:"
                        " a tenant is built in one stack with all its sets (the layout file"
                        " records both). List sets of the tenant's stack, or move the set first"
                        " (README, 'Moving a set to another stack')",
                    )
                )
    for number, filled in sorted(parts.items()):
        total = filled.load()
        if total > budget:
            problems.append(
                Problem(
                    "layout",
                    f"stack {number}: {total} resources",
                    f"exceeds layout.max_resources_per_stack ({budget}); sets recorded in the"
                    " layout file never move on their own: raise the budget (at most"
                    f" {MAX_RESOURCES_PER_STACK}), give the sets fewer alarms or destinations, or"
                    " move some sets to another stack in two deployments (README, 'Moving a set"
                    " to another stack')",
                )
            )
    if problems:
        raise SesEventsValidationError("layout", problems)
    # Stack numbers are kept as recorded, gaps included: a stack that lost all its sets is gone.
    top = max(parts, default=1)
    return StackLayout(
        tuple(
            tuple(cs.name for cs in parts[n].sets) if n in parts else () for n in range(1, top + 1)
        ),
        tuple(tenants),
    )
