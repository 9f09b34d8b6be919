"""The YAML spec: the example is valid, and every bad input is reported at its place in the file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ses_events.spec import SpecError, load_spec, parse_spec
from ses_events.stacks import EXAMPLE_SPEC

EXAMPLE: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text())


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    return data


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, source="spec.yaml")
    assert str(caught.value).startswith("spec.yaml: invalid SES event publishing settings")
    return [(p.field, p.rule) for p in caught.value.problems]


def test_the_example_spec_is_valid_and_uses_every_destination_kind() -> None:
    spec = load_spec(EXAMPLE_SPEC)
    assert [cs.name for cs in spec.configuration_sets] == ["marketing", "transactional"]
    kinds = {d.type for cs in spec.configuration_sets for d in cs.destinations}
    assert kinds == {"cloudwatch", "firehose", "sns", "eventbridge"}


def test_dimension_errors_point_at_the_place_in_the_file() -> None:
    def change(d: dict[str, Any]) -> None:
        d["configuration_sets"][1]["destinations"][0]["dimensions"].append(
            {"name": "bad name", "default_value": "x"}
        )

    ((field, rule),) = _problems(_with(change))
    assert field == "configuration_sets[1].destinations[0].dimensions[2].name"
    assert "1 to 256 ASCII letters, digits, '_', '-' or ':'" in rule


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (lambda d: d["configuration_sets"][0].update(name="bad name"), "configuration_sets[0].name", "1 to 64 ASCII letters"),
        (lambda d: d["configuration_sets"][0]["destinations"][0].update(name="x" * 65), "configuration_sets[0].destinations[0].name", "1 to 64 ASCII letters"),
        (lambda d: d["configuration_sets"][0]["destinations"][0].update(event_types=[]), "configuration_sets[0].destinations[0].event_types", "at least one event type"),
        (lambda d: d["configuration_sets"][0]["destinations"][0].update(event_types=["bounced"]), "configuration_sets[0].destinations[0].event_types", "must be one of send"),
        (lambda d: d["configuration_sets"][0]["delivery"].update(max_delivery_seconds=60), "configuration_sets[0].delivery.max_delivery_seconds", "300 to 50400 seconds"),
        (lambda d: d["configuration_sets"][0]["destinations"][3].update(event_bus="orders"), "configuration_sets[0].destinations[3].event_bus", "only to the default event bus"),
        (lambda d: d["configuration_sets"][0]["destinations"][0]["dimensions"].append({"name": "To", "source": "email_header", "default_value": "x"}), "configuration_sets[0].destinations[0].dimensions[4].name", "SES does not accept this email header"),
        (lambda d: d["configuration_sets"][0]["destinations"][0]["dimensions"].append({"name": "campaign2", "default_value": "a b"}), "configuration_sets[0].destinations[0].dimensions[4].default_value", "'@' or '.'"),
        (lambda d: d["configuration_sets"][0]["destinations"][0]["dimensions"].append({"name": "campaign2"}), "configuration_sets[0].destinations[0].dimensions[4].default_value", "Field required"),
        (lambda d: d["configuration_sets"][0]["destinations"][0]["dimensions"].extend({"name": f"d{i}", "default_value": "x"} for i in range(7)), "configuration_sets[0].destinations[0].dimensions", "at most 10 dimensions"),
        (lambda d: d["configuration_sets"][0]["destinations"][1].update(archive="nope"), "configuration_sets[0].destinations[1].archive", "must name an entry of archives"),
        (lambda d: d["configuration_sets"][0]["destinations"][2].update(topic="nope"), "configuration_sets[0].destinations[2].topic", "must name an entry of topics"),
        (lambda d: d["configuration_sets"][0]["destinations"].append({"name": "metrics", "type": "eventbridge"}), "configuration_sets[0].destinations[4].name", "already the name of another event destination"),
        (lambda d: d["configuration_sets"][0]["destinations"].extend({"name": f"e{i}", "type": "eventbridge"} for i in range(7)), "configuration_sets[0].destinations[10].name", "at most 10 event destinations"),
        (lambda d: d["configuration_sets"][1].update(name="marketing"), "configuration_sets[0].name", "must be unique in a spec"),
        (lambda d: d["configuration_sets"][0]["destinations"][0].update(type="kinesis"), "configuration_sets[0].destinations[0]", "does not match any of the expected tags"),
        (lambda d: d["configuration_sets"][0].update(colour="blue"), "configuration_sets[0].colour", "Extra inputs are not permitted"),
        (lambda d: d["environment"].update(account="12345") if "environment" in d else d.update(environment={"account": "12345"}), "environment.account", "should match pattern"),
    ],
)  # fmt: skip
def test_each_rule_names_its_place(change: Any, field: str, rule: str) -> None:
    problems = _problems(_with(change))
    assert any(f == field and rule in r for f, r in problems), problems


def test_several_problems_are_reported_together() -> None:
    def change(d: dict[str, Any]) -> None:
        d["configuration_sets"][0]["name"] = "bad name"
        d["configuration_sets"][1]["delivery"]["tls_policy"] = "SOMETIMES"

    fields = [f for f, _ in _problems(_with(change))]
    assert fields == ["configuration_sets[0].name", "configuration_sets[1].delivery.tls_policy"]


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot be read"):
        load_spec(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("configuration_sets: [\n")
    with pytest.raises(SpecError, match="is not valid YAML"):
        load_spec(bad)
    bad.write_text("- just a list\n")
    with pytest.raises(SpecError, match="must be a mapping"):
        load_spec(bad)


def test_automatic_tags_need_no_default_and_sources_take_snake_case() -> None:
    spec = parse_spec(
        {
            "configuration_sets": [
                {
                    "name": "a",
                    "destinations": [
                        {"name": "m", "type": "cloudwatch", "dimensions": [{"name": "ses:source-ip"}, {"name": "X-Kind", "source": "email_header", "default_value": "v"}]}
                    ],
                }
            ]
        }
    )  # fmt: skip
    dest = spec.configuration_sets[0].destinations[0]
    assert dest.type == "cloudwatch"
    assert [(d.name, d.source.value, d.default_value) for d in dest.dimensions] == [
        ("ses:source-ip", "messageTag", "unknown"),
        ("X-Kind", "emailHeader", "v"),
    ]


@pytest.mark.parametrize(
    ("budget", "accepted"), [(20, True), (19, False), (500, True), (501, False)]
)
def test_the_stack_budget_is_within_cloudformations_quota(budget: int, accepted: bool) -> None:
    document = {
        "layout": {"max_resources_per_stack": budget},
        "configuration_sets": [{"name": "a"}],
    }
    if accepted:
        assert parse_spec(document).layout.max_resources_per_stack == budget
    else:
        with pytest.raises(SpecError, match=r"layout\.max_resources_per_stack"):
            parse_spec(document)
