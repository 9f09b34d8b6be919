"""The SES rules at their boundaries, function by function (no jsii): exactly at each limit and
one past it, every forbidden value, empty values and trailing newlines, and the exact sentences
the spec and the constructs show. Written from a mutmut run over the SES rules
(scripts/mutation.sh rules): each test here kills mutants the broader tests let through."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ses_events import rules
from ses_events.rules import DimensionSource, EventType, SesAlarm

# -- set options that contradict each other ----------------------------------------------------


@dataclass(frozen=True)
class Options:
    suppression_reasons: tuple[str, ...] | None = None
    disable_suppression_list: bool = False
    validation_enabled: bool | None = None
    validation_threshold: str | None = None
    custom_redirect_domain: str | None = None
    https_policy: str | None = None


def _spelled(name: str) -> str:
    return f"<{name}>"


def test_no_option_conflicts_by_default() -> None:
    assert rules.set_option_problems(Options(), _spelled) == []


def test_suppression_reasons_while_the_list_is_off() -> None:
    assert rules.set_option_problems(
        Options(suppression_reasons=("BOUNCE",), disable_suppression_list=True), _spelled
    ) == [
        (
            "suppression_reasons",
            "cannot be set while <disable_suppression_list> turns the account's suppression"
            " list off",
        )
    ]
    # an empty tuple is still set (SES would get both an empty and a non-empty list)
    assert (
        len(
            rules.set_option_problems(
                Options(suppression_reasons=(), disable_suppression_list=True), _spelled
            )
        )
        == 1
    )
    for fine in (
        Options(suppression_reasons=("BOUNCE",)),
        Options(disable_suppression_list=True),
    ):
        assert rules.set_option_problems(fine, _spelled) == []


def test_a_threshold_while_auto_validation_is_off() -> None:
    assert rules.set_option_problems(
        Options(validation_enabled=False, validation_threshold="HIGH"), _spelled
    ) == [
        (
            "validation_threshold",
            "cannot be set while <validation_enabled> turns Auto Validation off",
        )
    ]
    for fine in (
        Options(validation_enabled=None, validation_threshold="HIGH"),  # not said: fine
        Options(validation_enabled=True, validation_threshold="HIGH"),
        Options(validation_enabled=False),
    ):
        assert rules.set_option_problems(fine, _spelled) == []


def test_an_https_policy_needs_a_redirect_domain() -> None:
    assert rules.set_option_problems(Options(https_policy="REQUIRE"), _spelled) == [
        ("https_policy", "needs <custom_redirect_domain>")
    ]
    assert (
        rules.set_option_problems(
            Options(https_policy="REQUIRE", custom_redirect_domain="t.example.com"), _spelled
        )
        == []
    )
    assert (
        rules.set_option_problems(Options(custom_redirect_domain="t.example.com"), _spelled) == []
    )


def test_all_three_conflicts_are_reported_together_in_order() -> None:
    found = rules.set_option_problems(
        Options(
            suppression_reasons=("COMPLAINT",),
            disable_suppression_list=True,
            validation_enabled=False,
            validation_threshold="MEDIUM",
            https_policy="OPTIONAL",
        ),
        _spelled,
    )
    assert [option for option, _ in found] == [
        "suppression_reasons",
        "validation_threshold",
        "https_policy",
    ]


# -- dimensions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dim:
    name: str
    source: DimensionSource = DimensionSource.MESSAGE_TAG
    default_value: str = "none"


def test_one_to_ten_dimensions_are_allowed_eleven_are_not() -> None:
    assert rules.MAX_DIMENSIONS_PER_CLOUDWATCH_DESTINATION == 10
    assert rules.dimension_problems([Dim("a")]) == []
    assert rules.dimension_problems([Dim(f"d{i}") for i in range(10)]) == []
    assert rules.dimension_problems([Dim(f"d{i}") for i in range(11)]) == [
        (
            "dimensions",
            "11 dimensions",
            "SES allows at most 10 dimensions per CloudWatch event destination",
        )
    ]
    assert rules.dimension_problems([]) == [("dimensions", [], "must list at least one dimension")]


@pytest.mark.parametrize("name", ["", "a b", "a.b", "x" * 257, "name\n", "ü"])
def test_a_dimension_name_that_ses_refuses(name: str) -> None:
    (problem,) = rules.dimension_problems([Dim(name)])
    assert problem == ("dimensions[0].name", name, rules.DIMENSION_NAME.violation(name))


@pytest.mark.parametrize("value", ["", "a b", "a:b", "x" * 257, "value\n"])
def test_a_default_value_that_ses_refuses(value: str) -> None:
    (problem,) = rules.dimension_problems([Dim("a", default_value=value)])
    assert problem == (
        "dimensions[0].default_value",
        value,
        rules.DIMENSION_DEFAULT_VALUE.violation(value),
    )


def test_names_and_defaults_at_their_longest() -> None:
    assert rules.dimension_problems([Dim("x" * 256, default_value="y" * 256)]) == []


def test_a_token_default_is_left_to_cloudformation_a_token_name_must_be_known() -> None:
    token = "${Token[TOKEN.12]}"
    assert (
        rules.dimension_problems([Dim("a", default_value=token)], undecided=lambda v: v == token)
        == []
    )
    (problem,) = rules.dimension_problems([Dim(token)], undecided=lambda v: v == token)
    assert problem[0] == "dimensions[0].name" and problem[1] == token
    from ses_events.tokens import must_be_known

    assert problem[2] == must_be_known(
        "the set's metrics, dashboards and alarms are keyed by the dimension's name",
        "write the name in the code",
    )
    assert "must be known at synth" in problem[2]
    # a token that happens to pass the pattern is no problem either way
    assert rules.dimension_problems([Dim("fine")], undecided=lambda v: True) == []
    # without the token callback the placeholder is refused like any bad value
    (plain,) = rules.dimension_problems([Dim("a", default_value=token)])
    assert plain[0] == "dimensions[0].default_value"


@pytest.mark.parametrize("header", sorted(rules.FORBIDDEN_HEADER_DIMENSIONS))
def test_every_forbidden_header_is_refused_in_any_case(header: str) -> None:
    for spelling in (header, header.upper(), header.title()):
        found = rules.dimension_problems([Dim(spelling, DimensionSource.EMAIL_HEADER)])
        assert found == [
            (
                "dimensions[0].name",
                spelling,
                "SES does not accept this email header as a dimension (Received, To, From,"
                " DKIM-Signature, CC, message-id and Return-Path are refused)",
            )
        ]
        # the same name as a message tag or link tag is fine
        assert rules.dimension_problems([Dim(spelling, DimensionSource.MESSAGE_TAG)]) == []
        assert rules.dimension_problems([Dim(spelling, DimensionSource.LINK_TAG)]) == []


def test_the_forbidden_headers_are_exactly_ses_list() -> None:
    assert {
        "received",
        "to",
        "from",
        "dkim-signature",
        "cc",
        "message-id",
        "return-path",
    } == rules.FORBIDDEN_HEADER_DIMENSIONS
    assert rules.dimension_problems([Dim("Subject", DimensionSource.EMAIL_HEADER)]) == []


def test_duplicate_dimension_names_are_refused_once_each() -> None:
    found = rules.dimension_problems([Dim("a"), Dim("b"), Dim("a"), Dim("a"), Dim("b")])
    assert found == [
        ("dimensions", "a", "dimension names must be unique within a destination"),
        ("dimensions", "b", "dimension names must be unique within a destination"),
    ]
    assert rules.dimension_problems([Dim("a"), Dim("A")]) == []  # case matters to CloudWatch


def test_a_name_that_is_no_text_is_refused_not_a_crash() -> None:
    found = rules.dimension_problems([Dim(3)])  # type: ignore[arg-type]
    assert found == [("dimensions[0].name", 3, rules.DIMENSION_NAME.violation(3))]


def test_several_problems_of_one_dimension_are_all_reported() -> None:
    found = rules.dimension_problems([Dim("ses:nope", default_value="")])
    assert [f for f, _, _ in found] == ["dimensions[0].default_value", "dimensions[0].name"]


@pytest.mark.parametrize("name", rules.SES_AUTOMATIC_TAGS)
def test_the_automatic_tags_are_the_only_ses_names(name: str) -> None:
    assert rules.ses_dimension_name_problem(name) is None
    assert rules.dimension_problems([Dim(name)]) == []
    assert rules.ses_dimension_name_problem(name.upper()) is not None  # SES spells them lowercase


@pytest.mark.parametrize("name", ["ses:campaign", "SES:from-domain", "Ses:x", "ses:"])
def test_other_ses_names_are_refused(name: str) -> None:
    rule = rules.ses_dimension_name_problem(name)
    assert rule == (
        "the 'ses:' prefix is SES's own: use one of its automatic tags ses:configuration-set,"
        " ses:caller-identity, ses:from-domain, ses:source-ip, ses:outgoing-ip, or a name"
        " without the prefix"
    )
    assert ("dimensions[0].name", name, rule) in rules.dimension_problems([Dim(name)])


def test_names_without_the_prefix_are_fine() -> None:
    for name in ("campaign", "sesx", "my-ses:tag", "ses-tag"):
        assert rules.ses_dimension_name_problem(name) is None


def test_the_automatic_tags_are_exactly_ses_five() -> None:
    assert rules.SES_AUTOMATIC_TAGS == (
        "ses:configuration-set",
        "ses:caller-identity",
        "ses:from-domain",
        "ses:source-ip",
        "ses:outgoing-ip",
    )


@pytest.mark.parametrize("event_type", list(EventType))
def test_only_a_click_carries_a_link_tag(event_type: EventType) -> None:
    assert rules.dimension_value_varies(DimensionSource.LINK_TAG, event_type.value) is (
        event_type is EventType.CLICK
    )
    assert rules.dimension_value_varies(DimensionSource.MESSAGE_TAG, event_type.value) is True
    assert rules.dimension_value_varies(DimensionSource.EMAIL_HEADER, event_type.value) is True


# -- duplicates ----------------------------------------------------------------------------------


def test_duplicates_in_the_order_they_first_repeat() -> None:
    assert rules.duplicates([]) == []
    assert rules.duplicates(["a", "b", "c"]) == []
    assert rules.duplicates(["b", "a", "a", "b", "b"]) == ["a", "b"]
    assert rules.duplicates(["a", "A"]) == []
    assert rules.duplicates(["a", "A"], fold_case=True) == ["A"]
    assert rules.duplicates(["Ab", "aB", "AB"], fold_case=True) == ["aB", "AB"]
    # folded by lowercasing: "SS" lowers to "ss", not to "ß" (uppercasing would join them)
    assert rules.duplicates(["ß", "SS"], fold_case=True) == []


# -- rate thresholds ------------------------------------------------------------------------------

FRACTION = (
    "must be a fraction above 0 and at most 1 (0.05 means 5%): SES rates are fractions, not"
    " percentages"
)


@pytest.mark.parametrize("value", [0, 0.0, -0.01, 1.0001, 5, 100])
def test_a_rate_outside_0_to_1_is_refused_at_either_level(value: float) -> None:
    assert rules.rate_threshold_problems(value, None) == [("warning", value, FRACTION)]
    assert rules.rate_threshold_problems(None, value) == [("critical", value, FRACTION)]


@pytest.mark.parametrize("value", [1e-9, 0.05, 1, 1.0])
def test_a_rate_above_0_and_at_most_1_is_taken(value: float) -> None:
    assert rules.rate_threshold_problems(value, None) == []
    assert rules.rate_threshold_problems(None, value) == []
    assert rules.rate_threshold_problems(value, value) == []  # equal levels are fine


def test_the_warning_level_may_not_lie_above_the_critical_one() -> None:
    assert rules.rate_threshold_problems(0.05, 0.04) == [
        ("warning", 0.05, "must not be above the critical level 0.04")
    ]
    assert rules.rate_threshold_problems(0.04, 0.05) == []
    assert rules.rate_threshold_problems(None, None) == []
    # a level out of range is reported alone (no comparison on top of it)
    assert rules.rate_threshold_problems(5, 0.04) == [("warning", 5, FRACTION)]
    assert rules.rate_threshold_problems(0.5, 0) == [("critical", 0, FRACTION)]


# -- metrics and alarms --------------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    name: str
    published_event_types: tuple[EventType, ...]
    dimension_names: tuple[str, ...] = ("ses:configuration-set",)
    enabled: bool = True


def test_metric_sources_take_the_first_enabled_destination_with_the_set_dimension() -> None:
    off = Destination("off", (EventType.BOUNCE,), enabled=False)
    untold = Destination("untold", (EventType.BOUNCE, EventType.SEND), ("campaign",))
    first = Destination("first", (EventType.BOUNCE,))
    second = Destination("second", (EventType.BOUNCE, EventType.REJECT))
    found = rules.metric_sources([off, untold, first, second])
    assert found == {EventType.BOUNCE: first, EventType.REJECT: second}
    assert rules.metric_sources([]) == {}


def test_alarm_support_says_what_each_alarm_needs() -> None:
    everything = rules.alarm_support(True, set(EventType))
    assert everything == {kind: "" for kind in SesAlarm}
    nothing = rules.alarm_support(False, set())
    assert nothing == {
        SesAlarm.BOUNCE_RATE: "needs reputation metrics enabled on the configuration set"
        " (reputation_metrics: true)",
        SesAlarm.COMPLAINT_RATE: "needs reputation metrics enabled on the configuration set"
        " (reputation_metrics: true)",
        SesAlarm.RENDERING_FAILURES: "needs a CloudWatch event destination publishing"
        " renderingFailure events with the ses:configuration-set dimension",
        SesAlarm.REJECTS: "needs a CloudWatch event destination publishing reject events with"
        " the ses:configuration-set dimension",
        SesAlarm.DELIVERY_DELAYS: "needs a CloudWatch event destination publishing"
        " deliveryDelay events with the ses:configuration-set dimension",
    }
    only_rejects = rules.alarm_support(False, {EventType.REJECT})
    assert [kind for kind, reason in only_rejects.items() if not reason] == [SesAlarm.REJECTS]


@pytest.mark.parametrize(
    ("chosen", "composite", "expected"),
    [
        ((), False, 0),
        ((), True, 0),  # no alarm: no composite either
        ((SesAlarm.BOUNCE_RATE,), False, 2),  # warning and critical
        ((SesAlarm.BOUNCE_RATE,), True, 3),
        ((SesAlarm.COMPLAINT_RATE, SesAlarm.BOUNCE_RATE), False, 4),
        ((SesAlarm.REJECTS,), False, 1),
        ((SesAlarm.REJECTS,), True, 2),
        ((SesAlarm.DELIVERY_DELAYS,), True, 1),  # never critical: no composite
        ((SesAlarm.DELIVERY_DELAYS, SesAlarm.RENDERING_FAILURES), True, 3),
        (tuple(SesAlarm), False, 7),
        (tuple(SesAlarm), True, 8),
        ((SesAlarm.REJECTS, SesAlarm.REJECTS), False, 1),  # chosen twice, made once
    ],
)
def test_alarm_resources(chosen: tuple[SesAlarm, ...], composite: bool, expected: int) -> None:
    assert rules.alarm_resources(chosen, composite=composite) == expected


def test_archive_alarms() -> None:
    assert rules.archive_alarms(parquet=True) == tuple(rules.ArchiveAlarm)
    assert rules.archive_alarms(parquet=False) == (
        rules.ArchiveAlarm.DATA_FRESHNESS,
        rules.ArchiveAlarm.S3_DELIVERY,
        rules.ArchiveAlarm.THROTTLED_RECORDS,
        rules.ArchiveAlarm.PARTITION_LIMIT,
    )


def test_source_arn_characters_count_the_longest_arn() -> None:
    overhead = len('"arn:aws-us-gov:ses:ap-southeast-5:123456789012:configuration-set/",')
    assert overhead == rules.CONFIGURATION_SET_ARN_OVERHEAD
    assert rules.source_arn_characters("") == overhead
    assert rules.source_arn_characters("x" * 64) == 64 + overhead


# -- destinations of a set -----------------------------------------------------------------------


def test_the_tenth_destination_is_allowed_the_eleventh_is_not() -> None:
    nine = [f"d{i}" for i in range(9)]
    assert rules.new_destination_problem(nine, "tenth") is None
    ten = [*nine, "tenth"]
    assert rules.new_destination_problem(ten, "eleventh") == (
        "would be event destination number 11: SES allows at most 10 event destinations per"
        " configuration set"
    )
    assert rules.new_destination_problem(["a"], "a") == (
        "is already the name of another event destination of this configuration set"
    )
    assert rules.new_destination_problem([], "a") is None
    assert rules.new_destination_problem(["a"], "A") is None


# -- resource tags -------------------------------------------------------------------------------


def test_fifty_tags_are_allowed_fifty_one_are_not() -> None:
    fifty = {f"k{i}": "v" for i in range(50)}
    assert rules.tag_problems(fifty) == []
    assert rules.tag_problems({**fifty, "one-more": "v"}) == [
        ("tags", "51 tags", "AWS allows at most 50 tags per resource")
    ]
    # tags the resource gets from elsewhere count too
    assert rules.tag_problems({f"k{i}": "v" for i in range(49)}, reserved=1) == []
    assert rules.tag_problems(fifty, reserved=1) == [
        ("tags", "51 tags", "AWS allows at most 50 tags per resource")
    ]


def test_tags_must_be_a_mapping() -> None:
    for value in (None, [], ["a=b"], "a=b"):
        assert rules.tag_problems(value) == [
            ("tags", value, "must be a mapping of tag keys to values")
        ]
    assert rules.tag_problems({}) == []


@pytest.mark.parametrize("key", ["", "x" * 129, "line\n", "tab\t", "a;b"])
def test_tag_keys_that_aws_refuses(key: str) -> None:
    assert rules.tag_problems({key: "v"}) == [(f"tags[{key!r}]", key, rules.TAG_KEY.violation(key))]


@pytest.mark.parametrize("value", ["x" * 257, "line\n", "a;b", 3])
def test_tag_values_that_aws_refuses(value: object) -> None:
    assert rules.tag_problems({"k": value}) == [
        ("tags['k']", value, rules.TAG_VALUE.violation(value))
    ]


def test_tag_keys_and_values_at_their_limits() -> None:
    assert rules.tag_problems({"x" * 128: "y" * 256}) == []
    assert rules.tag_problems({"k": ""}) == []  # an empty value is a value
    assert rules.tag_problems({"Ünïcode key ._:/=+-@": "välue"}) == []


@pytest.mark.parametrize("key", ["aws:x", "AWS:cloudformation", "Aws:"])
def test_the_aws_prefix_is_reserved(key: str) -> None:
    assert (f"tags[{key!r}]", key, "the 'aws:' prefix is reserved for AWS") in rules.tag_problems(
        {key: "v"}
    )
    assert rules.tag_problems({"awsx": "v", "my-aws:": "v"}) == []


def test_a_token_tag_is_left_to_cloudformation() -> None:
    token = "${Token[TOKEN.9]}"
    assert rules.tag_problems({"k": token}, undecided=lambda v: v == token) == []
    assert rules.tag_problems({token: "v"}, undecided=lambda v: v == token) == []
    assert len(rules.tag_problems({"k": token})) == 1


# -- archive retention ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    expire: int | None = None
    infrequent_access: int | None = None
    glacier: int | None = None
    expected: list[tuple[str, object, str]] = field(default_factory=list)


def _before(field_name: str, days: int, expire: int) -> tuple[str, object, str]:
    return (field_name, f"{days} days", f"must come before expiration ({expire} days)")


GAP = (
    "must be at least 30 days after infrequent_access_after (S3 keeps objects in Standard-IA"
    " that long at least)"
)


@pytest.mark.parametrize(
    "case",
    [
        Retention(),
        Retention(expire=365, infrequent_access=364, glacier=None),
        Retention(
            expire=365,
            infrequent_access=365,
            expected=[_before("infrequent_access_after", 365, 365)],
        ),
        Retention(expire=365, glacier=364),
        Retention(expire=365, glacier=365, expected=[_before("glacier_after", 365, 365)]),
        Retention(expire=30, glacier=31, expected=[_before("glacier_after", 31, 30)]),
        Retention(infrequent_access=30, glacier=60),  # exactly 30 days in Standard-IA
        Retention(infrequent_access=30, glacier=59, expected=[("glacier_after", "59 days", GAP)]),
        Retention(infrequent_access=100),
        Retention(glacier=1),
        Retention(
            expire=40,
            infrequent_access=40,
            glacier=50,
            expected=[
                _before("infrequent_access_after", 40, 40),
                _before("glacier_after", 50, 40),
                ("glacier_after", "50 days", GAP),
            ],
        ),
    ],
)
def test_retention(case: Retention) -> None:
    assert rules.retention_problems(case.expire, case.infrequent_access, case.glacier) == (
        case.expected
    )
    assert rules.MIN_DAYS_BEFORE_INFREQUENT_ACCESS == 30


# -- event types -----------------------------------------------------------------------------------


def test_event_type_selection() -> None:
    assert rules.event_type_selection(None) == (tuple(EventType), [])
    assert rules.event_type_selection([]) == (
        (),
        [("event_types", [], "must list at least one event type")],
    )
    assert rules.event_type_selection("bounce") == (
        (),
        [("event_types", "bounce", "must list at least one event type")],
    )
    chosen, problems = rules.event_type_selection(["DELIVERY", "bounce", "nope", "bounce"])
    assert chosen == (EventType.BOUNCE, EventType.DELIVERY)  # SES's order, once each
    assert problems == [("event_types[2]", "nope", rules.EVENT_TYPE_RULE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rendering_failure", EventType.RENDERING_FAILURE),
        ("RENDERING-FAILURE", EventType.RENDERING_FAILURE),
        ("renderingFailure", EventType.RENDERING_FAILURE),
        ("deliverydelay", EventType.DELIVERY_DELAY),
        (EventType.OPEN, EventType.OPEN),
        ("", None),
        ("bounce\n", None),
        (3, None),
        (None, None),
    ],
)
def test_parse_event_type(text: object, expected: EventType | None) -> None:
    assert rules.parse_event_type(text) is expected
