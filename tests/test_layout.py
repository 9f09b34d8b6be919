"""Specs that outgrow one stack: a stable assignment of sets to stacks, within CloudFormation's
quotas."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from ses_events import SesEventsValidationError
from ses_events.spec import parse_spec
from ses_events.stacks import build_app
from ses_events.stacks.layout import (
    MAX_RESOURCES_PER_STACK,
    MAX_TEMPLATE_BYTES,
    StackLayout,
    _Part,
    plan_layout,
    resources_of_set,
)
from ses_events.stacks.layout_file import read_layout
from tests.conftest import new_app


def _spec(names: list[str], **layout: Any) -> dict[str, Any]:
    return {
        "stack_name": "Tenants",
        "topics": [{"name": "events"}],
        "layout": {"max_resources_per_stack": 120, **layout},
        "monitoring": {"dashboards": "none", "account_alarms": False},
        "configuration_sets": [
            {
                "name": name,
                "monitoring": {"alarms": ["bounce_rate"]},
                "destinations": [
                    {"name": "metrics", "type": "cloudwatch"},
                    {"name": "archive", "type": "firehose"},
                    {"name": "alerts", "type": "sns", "topic": "events"},
                ],
            }
            for name in names
        ],
    }


def test_resources_of_a_set_count_its_destinations_and_alarms() -> None:
    spec = parse_spec(_spec(["a"]))
    # the set, 3 destinations, 2 bounce-rate alarms, the composite alarm
    assert resources_of_set(spec, spec.configuration_sets[0]) == 7


def test_adding_or_removing_sets_never_moves_the_others() -> None:
    names = [f"tenant-{n:03d}" for n in range(40)]
    first = plan_layout(parse_spec(_spec(names)))
    assert len(first.parts) > 2
    recorded = first.as_record()
    # add sets at the front and in the middle, remove some: recorded sets stay where they were
    changed = ["new-a", *names[:10], "new-b", *names[15:30], *names[31:], "new-c"]
    second = plan_layout(parse_spec(_spec(changed)), recorded)
    for name in changed:
        if name in recorded:
            assert second.part_of(name) == recorded[name], name
    # the new sets fill the room the removed ones left, in the first stacks
    assert second.part_of("new-a") == recorded[names[10]]
    # and the same inputs give the same layout
    assert plan_layout(parse_spec(_spec(changed)), recorded) == second


def _first_fit(spec: Any, recorded: dict[str, int]) -> StackLayout:
    """Plain first fit, every stack asked for every set: the oracle for plan_layout's."""
    budget = spec.layout.max_resources_per_stack
    parts: dict[int, _Part] = {}
    by_name = {cs.name: cs for cs in spec.configuration_sets}
    for name, number in sorted(recorded.items(), key=lambda item: item[1]):
        parts.setdefault(number, _Part(spec, number)).add(
            by_name[name], resources_of_set(spec, by_name[name])
        )
    for cs in spec.configuration_sets:
        if cs.name in recorded:
            continue
        size, number = resources_of_set(spec, cs), 1
        while number in parts and parts[number].load(cs, size) > budget:
            number += 1
        parts.setdefault(number, _Part(spec, number)).add(cs, size)
    top = max(parts)
    return StackLayout(
        tuple(tuple(c.name for c in parts[n].sets) if n in parts else () for n in range(1, top + 1))
    )


@pytest.mark.parametrize("seed", range(12))
def test_the_layout_is_first_fit_whatever_the_sizes(seed: int) -> None:
    """Sets of many sizes (0 to 4 destinations, with or without alarms and dashboards, two
    archives and two topics), some recorded (with a gap where a stack emptied): the same
    placement as plain first fit."""
    rng = random.Random(seed)
    kinds = [
        {"name": "m", "type": "cloudwatch"},
        {"name": "a", "type": "firehose"},
        {"name": "c", "type": "firehose", "archive": "cold"},
        {"name": "s", "type": "sns", "topic": "events"},
        {"name": "t", "type": "sns", "topic": "other"},
    ]
    document = {
        "topics": [{"name": "events"}, {"name": "other", "encrypted": True}],
        "archives": [{"name": "default"}, {"name": "cold"}],
        "layout": {"max_resources_per_stack": rng.choice([60, 97, 150])},
        "monitoring": {"dashboards": "per_configuration_set", "account_alarms": False},
        "configuration_sets": [
            {
                "name": f"s{n}",
                "monitoring": {
                    "alarms": rng.choice([[], ["bounce_rate"]]),
                    "dashboard": rng.random() < 0.5,
                },
                "destinations": rng.sample(kinds, rng.randint(0, 4)),
            }
            for n in range(rng.randint(20, 120))
        ],
    }
    spec = parse_spec(document)
    # recorded: an earlier plan of some of the sets, with every set of its stack 2 gone since
    earlier = parse_spec(
        {**document, "configuration_sets": rng.sample(document["configuration_sets"], 15)}
    )
    recorded = {
        name: number for name, number in plan_layout(earlier).as_record().items() if number != 2
    }
    expected = _first_fit(spec, recorded)
    planned = plan_layout(spec, recorded)
    assert planned == expected


def test_a_stack_over_budget_with_recorded_sets_is_an_error() -> None:
    names = [f"tenant-{n:03d}" for n in range(30)]
    recorded = dict.fromkeys(names, 1)
    with pytest.raises(SesEventsValidationError, match=r"stack 1: \d+ resources'?: exceeds"):
        plan_layout(parse_spec(_spec(names)), recorded)


def test_the_app_spreads_sets_over_stacks_within_the_quotas(tmp_path: Path) -> None:
    names = [f"tenant-{n:03d}" for n in range(80)]
    spec_path = tmp_path / "tenants.yaml"
    spec_path.write_text(yaml.safe_dump(_spec(names, max_resources_per_stack=450)))
    app = new_app(
        outdir=str(tmp_path / "out"),
        **{"ses-events:spec": str(spec_path), "ses-events:new-layout": "true"},
    )
    stacks = build_app(app)
    assembly = app.synth()
    assert [s.stack_name for s in stacks] == ["Tenants", "Tenants-2"]
    seen: list[str] = []
    for stack in stacks:
        artifact = assembly.get_stack_by_name(stack.stack_name)
        template = artifact.template
        assert len(template["Resources"]) <= MAX_RESOURCES_PER_STACK
        size = len(Path(artifact.template_full_path).read_bytes())
        assert size <= MAX_TEMPLATE_BYTES
        sets = [
            r["Properties"]["Name"]
            for r in template["Resources"].values()
            if r["Type"] == "AWS::SES::ConfigurationSet"
        ]
        seen += sets
        # shared resources once per stack, not once per set
        kinds = [r["Type"] for r in template["Resources"].values()]
        assert kinds.count("AWS::KinesisFirehose::DeliveryStream") == 1
        assert kinds.count("AWS::SNS::Topic") == 2  # the event topic and the alarm topic
    assert sorted(seen) == names
    record = read_layout(tmp_path / "tenants.layout.json")
    assert record == {
        name: stacks[0].part if name in stacks[0].configuration_sets else 2 for name in names
    }
    assert json.loads((tmp_path / "tenants.layout.json").read_text())["comment"].startswith(
        "Which stack holds"
    )
    # alarm and archive names stay unique across stacks
    alarm_names = [
        r["Properties"]["AlarmName"]
        for stack in stacks
        for r in assembly.get_stack_by_name(stack.stack_name).template["Resources"].values()
        if r["Type"].startswith("AWS::CloudWatch::") and "AlarmName" in r["Properties"]
    ]
    assert len(alarm_names) == len(set(alarm_names))
    assert "Tenants-archive-default-stack2-data-freshness-critical" in alarm_names


def test_a_single_stack_spec_writes_no_layout_file(tmp_path: Path) -> None:
    spec_path = tmp_path / "small.yaml"
    spec_path.write_text(yaml.safe_dump(_spec(["a", "b"])))
    (stack,) = build_app(new_app(**{"ses-events:spec": str(spec_path)}))
    assert stack.stack_name == "Tenants"
    assert not (tmp_path / "small.layout.json").exists()


def _estimate(spec: Any, number: int, names: list[str]) -> Any:
    """Stack ``number``'s estimate as planning makes it: its sets with their tenants, and in the
    first stack the tenants without a set."""
    from ses_events.spec import guarded_sets, guarded_tenants
    from ses_events.stacks.layout import _Part, tenant_homes

    homes = tenant_homes(spec)
    guarded = set(guarded_tenants(spec))
    guards: dict[str | None, int] = {}  # the guarded tenants of each home, and guarded sets
    for tenant in spec.tenants:
        home = tenant.configuration_sets[0] if tenant.configuration_sets else None
        guards[home] = guards.get(home, 0) + int(tenant.name in guarded)
    for name in guarded_sets(spec):
        guards[name] = guards.get(name, 0) + 1
    by_name = {cs.name: cs for cs in spec.configuration_sets}
    part = _Part(spec, number)
    part.tenants = homes.get(None, 0) if number == 1 else 0
    part.guards = guards.get(None, 0) if number == 1 else 0
    for name in names:
        cs = by_name[name]
        part.add(cs, resources_of_set(spec, cs), homes.get(name, 0), guards.get(name, 0))
    return part


@pytest.mark.parametrize("archive_format", ["json", "parquet"])
def test_the_layout_counts_exactly_the_resources_a_stack_gets(
    tmp_path: Path, archive_format: str
) -> None:
    """The estimate that places sets is the template's resource count: archive alarms (four,
    five for a Parquet archive), analytics, dashboards and the sets' own resources."""

    example = Path(__file__).parents[1] / "ses_events" / "examples" / "ses-events.yaml"
    data = yaml.safe_load(example.read_text())
    data["archives"][0]["format"] = archive_format
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(data))
    spec = parse_spec(data)
    assert spec.tenants  # the example's tenants count too
    part = _estimate(spec, 1, [cs.name for cs in spec.configuration_sets])
    app = new_app(outdir=str(tmp_path / "out"), **{"ses-events:spec": str(spec_path)})
    (stack,) = build_app(app)
    template = app.synth().get_stack_by_name(stack.stack_name).template
    assert part.load() == len(template["Resources"])
    alarms = [
        r["Properties"]["AlarmName"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::CloudWatch::Alarm" and "-archive-" in r["Properties"]["AlarmName"]
    ]
    assert len(alarms) == (5 if archive_format == "parquet" else 4)


# -- found by mutation testing (scripts/mutation.sh layout) --------------------------------------


def _fitting_budget(spec_data: dict[str, Any]) -> int:
    """The smallest budget at which the spec plans, found by planning (not by the message)."""
    for budget in range(20, 501):
        try:
            plan_layout(parse_spec({**spec_data, "layout": {"max_resources_per_stack": budget}}))
        except SesEventsValidationError:
            continue
        return budget
    raise AssertionError("fits no budget")


@pytest.mark.parametrize("analytics", [False, True])
def test_a_set_too_big_for_any_stack_says_what_it_needs(analytics: bool) -> None:
    one = {**_spec(["big"]), "analytics": {"enabled": analytics}}
    needs = _fitting_budget(one)
    two = {**_spec(["big", "bigger"]), "analytics": {"enabled": analytics}}
    two["layout"] = {"max_resources_per_stack": needs - 1}
    with pytest.raises(SesEventsValidationError) as caught:
        plan_layout(parse_spec(two))
    assert caught.value.where == "layout"
    # every set that cannot fit is named, not only the first
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        (
            f"configuration_sets[{index}]",
            name,
            f"needs {needs} resources with what it shares, more than"
            f" layout.max_resources_per_stack ({needs - 1})",
        )
        for index, name in enumerate(["big", "bigger"])
    ]


def test_recorded_sets_over_the_budget_are_refused_with_the_way_out() -> None:
    names = [f"s{i}" for i in range(12)]
    spec = parse_spec(_spec(names, max_resources_per_stack=40))
    assert len(plan_layout(spec).parts) > 1  # they do not fit one stack
    with pytest.raises(SesEventsValidationError) as caught:
        plan_layout(spec, dict.fromkeys(names, 1))
    ((field, value, rule),) = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert caught.value.where == "layout"
    assert field == "layout" and value.startswith("stack 1: ") and value.endswith(" resources")
    assert int(value.split()[2]) > 40
    assert rule == (
        "exceeds layout.max_resources_per_stack (40); sets recorded in the layout file never"
        " move on their own: raise the budget (at most 500), give the sets fewer alarms or"
        " destinations, or move some sets to another stack in two deployments (README,"
        " 'Moving a set to another stack')"
    )


def test_a_spec_without_sets_is_one_empty_stack() -> None:
    spec = parse_spec({**_spec([]), "configuration_sets": []})
    assert plan_layout(spec).parts == ((),)


@pytest.mark.parametrize("dashboards", ["per_environment", "per_configuration_set"])
def test_the_layout_counts_exactly_what_each_of_several_stacks_gets(
    tmp_path: Path, dashboards: str
) -> None:
    """Stack 1 holds what is shared once (account and fleet alarms, the Athena workgroup); the
    others their own share (archives, topics, tables, dashboards): the estimate is each
    template's resource count, in the second and third stacks too."""
    example = Path(__file__).parents[1] / "ses_events" / "examples" / "ses-events.yaml"
    data = yaml.safe_load(example.read_text())
    originals = data["configuration_sets"]
    data["configuration_sets"] = [
        {**originals[n % len(originals)], "name": f"set-{n:02d}"} for n in range(14)
    ]
    data["tenants"] = [
        *({"name": f"tenant-{n}", "configuration_sets": [f"set-{n:02d}"]} for n in range(0, 14, 3)),
        {"name": "no-set"},
    ]
    data["monitoring"] = {**data["monitoring"], "dashboards": dashboards, "fleet": True}
    data["archives"][0]["encrypt_logs"] = True
    data["layout"] = {"max_resources_per_stack": 120}
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(data))
    spec = parse_spec(data)
    layout = plan_layout(spec)
    assert len(layout.parts) >= 3
    app = new_app(
        outdir=str(tmp_path / "out"),
        **{"ses-events:spec": str(spec_path), "ses-events:new-layout": "true"},
    )
    stacks = build_app(app)
    assembly = app.synth()
    counted = []
    for number, (stack, names) in enumerate(zip(stacks, layout.parts, strict=True), start=1):
        part = _estimate(spec, number, list(names))
        template = assembly.get_stack_by_name(stack.stack_name).template
        counted.append((part.load(), len(template["Resources"])))
    assert [estimate for estimate, _ in counted] == [actual for _, actual in counted]


def test_what_a_stack_shares_counts_every_set_not_only_the_last() -> None:
    """A set without an archive or a topic, added after one with both, shares nothing new: the
    stack's load grows by its own resources only."""
    from ses_events.stacks.layout import _Part

    data = _spec(["with-both", "metrics-only"])
    data["configuration_sets"][1]["destinations"] = [{"name": "metrics", "type": "cloudwatch"}]
    spec = parse_spec(data)
    both, metrics = spec.configuration_sets
    part = _Part(spec, 1)
    part.add(both, resources_of_set(spec, both))
    alone = part.load()
    part.add(metrics, resources_of_set(spec, metrics))
    assert part.load() == alone + resources_of_set(spec, metrics)


def test_a_dashboard_per_environment_is_counted_only_for_sets_it_shows(tmp_path: Path) -> None:
    from ses_events.stacks.layout import _Part

    data = _spec(["hidden-a", "hidden-b"])
    data["monitoring"] = {"dashboards": "per_environment", "account_alarms": False}
    for cs in data["configuration_sets"]:
        cs["monitoring"] = {**cs["monitoring"], "dashboard": False}
    spec_path = tmp_path / "hidden.yaml"
    spec_path.write_text(yaml.safe_dump(data))
    spec = parse_spec(data)
    part = _Part(spec, 1)
    for cs in spec.configuration_sets:
        part.add(cs, resources_of_set(spec, cs))
    app = new_app(outdir=str(tmp_path / "out"), **{"ses-events:spec": str(spec_path)})
    (stack,) = build_app(app)
    template = app.synth().get_stack_by_name(stack.stack_name).template
    assert not [
        r for r in template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Dashboard"
    ]
    assert part.load() == len(template["Resources"])
