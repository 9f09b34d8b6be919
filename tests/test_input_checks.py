"""Every field checked before anything is deployed: the spec and the construct arguments alike,
YAML that would quietly mean something else, hostile specs, bounded messages, and aws-cdk-lib's
own failures shown without a stack trace (issue: nothing lost, nothing let in)."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from aws_cdk import Duration, Stack

from ses_events import SesEventsValidationError, rules
from ses_events.constructs import (
    CloudWatchDimension,
    CloudWatchEventDestination,
    EventPublishingConfigurationSet,
    FirehoseEventArchive,
)
from ses_events.errors import MAX_LISTED_PROBLEMS, MAX_VALUE_CHARACTERS, Problem
from ses_events.sending import TaggedSending
from ses_events.spec import load_spec, parse_spec
from ses_events.spec_yaml import MAX_SPEC_VALUES, read_yaml
from ses_events.stacks.app import explain_synth_error, spec_field_of
from tests.conftest import ROOT, new_app


def _set(**fields: Any) -> dict[str, Any]:
    return {"configuration_sets": [{"name": "marketing", **fields}]}


def _refused(data: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        parse_spec(data)
    message = str(caught.value)
    assert field in message and rule in message, message


# -- the rules AWS documents, at their limits ---------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "ok"),
    [
        ("a", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("", False),
        ("Pool", False),
        ("p.q", False),
    ],
)
def test_dedicated_ip_pool_names(pool: str, ok: bool) -> None:
    data = _set(delivery={"sending_pool": pool})
    if ok:
        parse_spec(data)
    else:
        _refused(data, "delivery.sending_pool", "lowercase ASCII letters")


@pytest.mark.parametrize(
    ("domain", "ok"),
    [
        ("click.example.com", True),
        ("a" * 63 + ".example.com", True),
        ("a" * 64 + ".example.com", False),  # a label of 64 characters
        (("a" * 61 + ".") * 4 + "com", True),  # 251 characters
        (("a" * 61 + ".") * 4 + "coms", False),  # 252: fine
        ("-x.example.com", False),
        ("x-.example.com", False),
        ("localhost", False),
        ("click.example.com.", False),
        ("https://click.example.com", False),
        ("click example.com", False),
    ],
)
def test_tracking_redirect_domains(domain: str, ok: bool) -> None:
    if domain == ("a" * 61 + ".") * 4 + "coms":
        ok = True  # 252 characters: still under 253
    data = _set(tracking={"custom_redirect_domain": domain})
    if ok:
        parse_spec(data)
    else:
        _refused(data, "tracking.custom_redirect_domain", "a domain name")


def test_a_domain_of_254_characters_is_refused() -> None:
    domain = ("a" * 62 + ".") * 3 + "a" * 61 + ".com"
    assert len(domain) == 254
    assert rules.DOMAIN_NAME.violation(domain) is not None
    assert rules.DOMAIN_NAME.violation(domain[:-5] + ".com") is None  # 253 (one shorter label)


@pytest.mark.parametrize(
    ("tags", "rule"),
    [
        ({"aws:owner": "x"}, "the 'aws:' prefix is reserved"),
        ({"AWS:owner": "x"}, "the 'aws:' prefix is reserved"),
        ({"k" * 129: "x"}, "1 to 128"),
        ({"team": "v" * 257}, "0 to 256"),
        ({"team": "a\nb"}, "0 to 256"),
        ({"team#": "x"}, "1 to 128"),
        ({f"t{n}": "x" for n in range(51)}, "at most 50 tags"),
    ],
)
def test_bad_resource_tags_are_refused(tags: dict[str, str], rule: str) -> None:
    _refused({"tags": tags, **_set()}, "tags", rule)
    _refused(_set(tags=tags), "configuration_sets[0].tags", rule)


def test_tags_at_their_limits_pass() -> None:
    tags = {f"k{n}" + "k" * 124: "v" * 256 for n in range(50)}
    assert all(len(k) <= 128 for k in tags)
    parse_spec(_set(tags=tags))
    parse_spec(_set(tags={"team": "", "Ünïcode key": "value with spaces +-=._:/@"}))


def test_a_sets_tags_and_the_stacks_count_together() -> None:
    stack_tags = {f"s{n}": "x" for n in range(25)}
    parse_spec({"tags": stack_tags, **_set(tags={f"c{n}": "x" for n in range(25)})})
    _refused(
        {"tags": stack_tags, **_set(tags={f"c{n}": "x" for n in range(26)})},
        "configuration_sets[0].tags",
        "at most 50 tags",
    )


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("ses:configuration-set", True),
        ("ses:from-domain", True),
        ("ses:campaign", False),
        ("SES:from-domain", False),
        ("campaign", True),
    ],
)
def test_dimension_names_with_the_ses_prefix_must_be_automatic_tags(name: str, ok: bool) -> None:
    data = _set(
        destinations=[
            {
                "name": "m",
                "type": "cloudwatch",
                "dimensions": [{"name": name, "default_value": "x"}],
            }
        ]
    )
    if ok:
        parse_spec(data)
    else:
        _refused(data, "dimensions[0].name", "the 'ses:' prefix is SES's own")


def test_configuration_sets_per_region() -> None:
    names = [{"name": f"s{n}"} for n in range(rules.MAX_CONFIGURATION_SETS_PER_REGION)]
    parse_spec({"monitoring": {"enabled": False}, "configuration_sets": names})
    _refused(
        {"monitoring": {"enabled": False}, "configuration_sets": [*names, {"name": "one-more"}]},
        "configuration_sets",
        "at most 10000 configuration sets",
    )


def test_archive_arn_description_and_display_name() -> None:
    good = "arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-" + "a" * 24
    parse_spec(_set(archive_arn=good))
    _refused(_set(archive_arn=good[:-1]), "archive_arn", "MailManager archive")
    parse_spec({"description": "d" * 1024, **_set()})
    _refused({"description": "d" * 1025, **_set()}, "description", "at most 1024")
    parse_spec({"topics": [{"name": "t", "display_name": "n" * 100}], **_set()})
    _refused(
        {"topics": [{"name": "t", "display_name": "n" * 101}], **_set()},
        "topics[0].display_name",
        "at most 100",
    )


# -- the same rules for construct arguments ------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"sending_pool_name": "Pool"}, "sending_pool_name", "lowercase"),
        ({"custom_tracking_redirect_domain": "x"}, "custom_tracking_redirect_domain", "domain"),
        ({"archive_arn": "arn:aws:s3:::bucket"}, "archive_arn", "MailManager"),
        ({"tags": {"aws:x": "y"}}, "tags['aws:x']", "reserved"),
        ({"max_delivery_duration": Duration.millis(300_500)}, "max_delivery_duration", "whole"),
        ({"max_delivery_duration": Duration.seconds(299)}, "max_delivery_duration", "300 to"),
        ({"max_delivery_duration": Duration.seconds(50_401)}, "max_delivery_duration", "300 to"),
    ],
)
def test_construct_arguments_get_the_same_checks(
    stack: Stack, kwargs: dict[str, Any], field: str, rule: str
) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        EventPublishingConfigurationSet(stack, "Marketing", **kwargs)
    message = str(caught.value)
    assert field in message and rule in message and "Test/Marketing" in message


@pytest.mark.parametrize("seconds", [300, 50_400])
def test_max_delivery_at_its_limits(stack: Stack, seconds: int) -> None:
    EventPublishingConfigurationSet(
        stack, "Marketing", max_delivery_duration=Duration.seconds(seconds)
    )


def test_sub_second_durations_get_our_error_not_a_javascript_one(stack: Stack) -> None:
    with pytest.raises(SesEventsValidationError, match="must be a whole number of seconds"):
        FirehoseEventArchive(stack, "Archive", buffering_interval=Duration.millis(60_500))
    marketing = EventPublishingConfigurationSet(stack, "Marketing")
    with pytest.raises(SesEventsValidationError, match=r"dimensions\[0\]\.name"):
        CloudWatchEventDestination(
            stack,
            "Metrics",
            configuration_set=marketing,
            dimensions=[CloudWatchDimension.message_tag("ses:campaign", default_value="x")],
        )


# -- YAML that would mean something else ---------------------------------------------------------


def _load(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return load_spec(path)


@pytest.mark.parametrize("word", ["no", "No", "on", "off", "yes", "YES", "OFF"])
def test_yaml_1_1_booleans_are_refused_with_a_hint(tmp_path: Path, word: str) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        _load(tmp_path, f"tags:\n  enabled: {word}\nconfiguration_sets: [{{name: a}}]\n")
    message = str(caught.value)
    assert "tags.enabled" in message and "YAML 1.1 boolean (line 2)" in message
    assert f"quote it ('{word}')" in message


def test_true_false_and_quoted_words_are_fine(tmp_path: Path) -> None:
    spec = _load(
        tmp_path,
        "tags:\n  a: 'no'\n  b: \"on\"\nconfiguration_sets:\n  - name: a\n"
        "    reputation_metrics: false\n    sending_enabled: True\n",
    )
    assert spec.tags == {"a": "no", "b": "on"}
    assert spec.configuration_sets[0].sending_enabled is True


@pytest.mark.parametrize(
    ("value", "kind"),
    [("0123", "a number"), ("1:20", "a number"), ("1.10", "a number"), ("2026-01-01", "a date")],
)
def test_numbers_and_dates_where_text_was_meant_get_a_hint(
    tmp_path: Path, value: str, kind: str
) -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        _load(tmp_path, f"configuration_sets:\n  - name: a\n    tags: {{team: {value}}}\n")
    message = str(caught.value)
    assert "configuration_sets[0].tags.team" in message
    assert f"YAML read the unquoted {value!r} on line 3 as {kind}" in message
    assert f"quote it: '{value}'" in message


def test_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SesEventsValidationError, match=r"written twice .*lines 2 and 4"):
        _load(
            tmp_path,
            "configuration_sets:\n  - name: a\n    reputation_metrics: true\n    name: b\n",
        )


def test_anchors_and_merges_within_reason_work(tmp_path: Path) -> None:
    spec = _load(
        tmp_path,
        "configuration_sets:\n"
        "  - {name: a, destinations: [&metrics {name: metrics, type: cloudwatch}]}\n"
        "  - name: b\n    destinations:\n      - <<: *metrics\n        name: other\n",
    )
    assert [d.name for cs in spec.configuration_sets for d in cs.destinations] == [
        "metrics",
        "other",
    ]


def test_an_alias_bomb_is_refused_without_building_it(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 10):
        previous = f"*a{n - 1}"
        levels.append(f"a{n}: &a{n} [{', '.join([previous] * 10)}]")
    text = "\n".join(levels) + "\nconfiguration_sets: *a9\n"  # 10^10 values expanded
    tracemalloc.start()
    try:
        with pytest.raises(SesEventsValidationError, match=f"more than {MAX_SPEC_VALUES}"):
            _load(tmp_path, text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_recursive_alias_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SesEventsValidationError, match="refers to the mapping or list"):
        _load(tmp_path, "configuration_sets: &a [*a]\n")
    with pytest.raises(SesEventsValidationError, match=r"nested too deeply|not valid YAML"):
        _load(tmp_path, "configuration_sets: " + "[" * 20_000 + "]" * 20_000 + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, 2.5, ~, 2026-01-01, '0123', true]\n",
        "x: &x {p: 1}\no: &o {a: *x, b: [*x]}\nz: [*o, *o]\n",  # aliases inside anchors
        "x: &x [1]\no: &o [*x, &y {q: *x}]\nz: *o\nw: *y\n",  # an anchor inside a replay
        "k: &k key\nm: {*k : 1, other: *k}\n",  # an alias as a key
        "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
        "m:\n  <<: [{p: 1}, {q: 2, p: 9}]\n  r: 3\n",
        "s: |\n  line\nt: >\n  folded\nu: !!str 12\n",
        "- 1\n- [2, {3: 4}]\n",
        "",
    ],
)
def test_the_strict_reader_reads_what_pyyaml_reads(text: str) -> None:
    """PyYAML's own loader is the oracle for every document the strict reader accepts."""
    data, _ = read_yaml(text, "spec")
    assert data == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "a: 1\n---\nb: 2\n",
            "expected a single document in the stream: but found another document at line 2,"
            " column 1",
        ),
        ("a: &x 1\nb: &x 2\n", "found duplicate anchor 'x'"),
        ("a: *nowhere\n", "found undefined alias 'nowhere' at line 1, column 4"),
        ("a: !!int x\n", "cannot read 'x' as tag:yaml.org,2002:int at line 1, column 4"),
        ("a: [1, 2\n", "is not valid YAML: while parsing a flow sequence"),
    ],
)
def test_what_yaml_itself_refuses_is_refused(text: str, rule: str) -> None:
    with pytest.raises(SesEventsValidationError, match="is not valid YAML") as caught:
        read_yaml(text, "spec")
    assert rule in str(caught.value)
    assert " at line " in str(caught.value)  # and where
    (problem,) = caught.value.problems
    assert "\n" not in problem.rule  # one line
    (problem,) = caught.value.problems
    assert (caught.value.where, problem.field, problem.value) == ("spec", "(file)", "spec")


def test_reading_a_large_spec_keeps_no_node_tree() -> None:
    """At 2,000 sets PyYAML's node graph held five times what the spec's data takes; the reader
    builds from events, so its peak is about the data it returns."""
    document = {
        "configuration_sets": [
            {
                "name": f"tenant-{n}",
                "monitoring": {"alarms": [], "dashboard": False},
                "destinations": [
                    {"name": "m", "type": "cloudwatch", "dimensions": [{"name": "campaign"}]},
                    {"name": "a", "type": "firehose"},
                ],
            }
            for n in range(2_000)
        ]
    }
    text = yaml.safe_dump(document)
    tracemalloc.start()
    try:
        data, plain = read_yaml(text, "spec")
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == document and len(plain) == 2_000  # every "dashboard: false"
    assert peak < 1.5 * held


def test_messages_stay_small_whatever_the_input(tmp_path: Path) -> None:
    huge = "x" * 5_000_000
    with pytest.raises(SesEventsValidationError) as caught:
        _load(tmp_path, f"configuration_sets:\n  - name: {huge}\n")
    assert len(str(caught.value)) < 2_000
    assert f"... ({len(huge) + 2} characters)" in str(caught.value)
    many = [Problem(f"f{n}", n, "bad") for n in range(MAX_LISTED_PROBLEMS + 7)]
    text = str(SesEventsValidationError("x", many))
    assert text.count("\n  - ") == MAX_LISTED_PROBLEMS
    assert text.endswith("... and 7 more problems")
    assert len(str(Problem("f", "y" * 10_000, "r"))) < MAX_VALUE_CHARACTERS + 100


# -- aws-cdk-lib's own failures -------------------------------------------------------------------


def test_a_synth_failure_points_at_the_spec_field() -> None:
    spec = parse_spec(
        _set(destinations=[{"name": "metrics", "type": "cloudwatch"}])
        | {"archives": [{"name": "default"}], "topics": [{"name": "alerts"}]}
    )
    assert spec_field_of("SesEvents/marketing/Resource", spec) == "configuration_sets[0]"
    assert (
        spec_field_of("SesEvents/marketing-metrics/Resource", spec)
        == "configuration_sets[0].destinations[0]"
    )
    assert spec_field_of("SesEvents/Archive-default/Bucket", spec) == "archives[0]"
    assert spec_field_of("SesEvents/TopicKey-alerts/Resource", spec) == "topics[0]"
    assert (
        spec_field_of("SesEvents/ses-events.monitoring/Set-marketing/X", spec)
        == "configuration_sets[0].monitoring"
    )
    assert spec_field_of("SesEvents/Other", spec) is None
    error = RuntimeError(
        "ValidationFailedWithErrors: Validation failed with the following errors:\n"
        "  [SesEvents/marketing-metrics/Resource] bad thing\n"
        "    at Object.validate (/node_modules/aws-cdk-lib/core/lib/x.js:1:1)\n"
    )
    text = explain_synth_error(error, spec)
    assert (
        "[SesEvents/marketing-metrics/Resource] (spec: configuration_sets[0].destinations[0])"
        in text
    )
    assert " at " not in text


@pytest.mark.cli
def test_python_app_py_fails_like_cdk_synth_without_a_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("configuration_sets:\n  - name: a\n    tags: {env: off}\n")
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={
            "CDK_CONTEXT_JSON": json.dumps({"ses-events:spec": str(spec)}),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "configuration_sets[0].tags.env" in result.stderr and "YAML 1.1 boolean" in result.stderr


# -- senders --------------------------------------------------------------------------------------


def test_tagged_sending_cannot_be_changed_after_its_check() -> None:
    tags = {"campaign": "spring"}
    sending = TaggedSending("marketing", tags)
    tags["campaign"] = "x\r\nBcc: victim@example.com"  # the caller's dict changes: not ours
    assert sending.smtp_headers()["X-SES-MESSAGE-TAGS"] == "campaign=spring"
    with pytest.raises(TypeError):
        sending.tags["campaign"] = "x\r\nBcc: victim@example.com"  # type: ignore[index]
    object.__getattribute__(sending, "tags")  # still the read-only view
    with pytest.raises(SesEventsValidationError):
        # even forced in, a CR/LF never reaches a header
        object.__setattr__(sending, "tags", {"campaign": "x\r\nBcc: victim@example.com"})
        sending.smtp_headers()


def test_the_example_spec_still_loads() -> None:
    spec = load_spec(ROOT / "ses_events/examples/ses-events.yaml")
    assert spec.configuration_sets
    assert new_app() is not None
    assert yaml is not None


def test_no_quoting_hint_where_yaml_did_not_convert_anything(tmp_path: Path) -> None:
    # a text that breaks a rule, and a number given directly (not from YAML): no hint
    with pytest.raises(SesEventsValidationError) as caught:
        _load(tmp_path, "configuration_sets:\n  - name: 'bad name'\n")
    (line,) = [x for x in str(caught.value).splitlines() if "name = " in x]
    assert line.endswith("(pattern [a-zA-Z0-9_-]{1,64})")
    with pytest.raises(SesEventsValidationError) as caught:
        parse_spec({"configuration_sets": [{"name": 12}]})
    assert str(caught.value).splitlines()[-1] == (
        "  - configuration_sets[0].name = 12: Input should be a valid string"
    )


def test_read_yaml_refuses_text_over_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import ses_events.spec_yaml as spec_yaml

    monkeypatch.setattr(spec_yaml, "MAX_SPEC_BYTES", 20)
    assert read_yaml("a: 'é'\n" + "#" * 11 + "\n", "spec")[0] == {"a": "é"}  # 20 bytes (é: 2)
    with pytest.raises(SesEventsValidationError) as caught:
        read_yaml("a: 'é'\n" + "#" * 12 + "\n", "spec")  # 21 bytes, 20 characters
    (problem,) = caught.value.problems
    assert (problem.field, problem.value, problem.rule) == (
        "(file)",
        "21 bytes",
        "is larger than a spec may be (20 bytes)",
    )


def test_the_value_limit_at_its_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values are counted with aliases expanded: each alias counts what it names."""
    import ses_events.spec_yaml as spec_yaml

    monkeypatch.setattr(spec_yaml, "MAX_SPEC_VALUES", 9)
    # the mapping, keys a and b, the list and its two items, and b's alias: the list again (3)
    assert read_yaml("a: &l [1, 2]\nb: *l\n", "spec")[0] == {"a": [1, 2], "b": [1, 2]}
    with pytest.raises(SesEventsValidationError) as caught:
        read_yaml("a: &l [1, 2, 3]\nb: *l\n", "spec")  # 11
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("(file)", "11 values")
    assert problem.rule == (
        "the spec expands (through anchors and aliases) to more than 9 values: refused"
    )


def test_nesting_deeper_than_python_reads_is_refused_by_name() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        read_yaml("a: " + "[" * 900 + "]" * 900 + "\n", "spec")
    (problem,) = caught.value.problems
    assert (caught.value.where, problem.field, problem.value, problem.rule) == (
        "spec",
        "(file)",
        "spec",
        "is nested too deeply to be a spec",
    )
