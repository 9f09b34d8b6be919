"""The SES rules module, on its own (no jsii)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ses_events import rules
from ses_events.rules import DimensionSource, EventType


@pytest.mark.parametrize("name", ["a", "marketing", "Tx_2-b", "x" * 64])
def test_configuration_set_names_that_ses_accepts(name: str) -> None:
    assert rules.CONFIGURATION_SET_NAME.violation(name) is None


@pytest.mark.parametrize("name", ["", "x" * 65, "has space", "dot.ted", "colon:", "ünï"])
def test_configuration_set_names_that_ses_rejects(name: str) -> None:
    assert "1 to 64 ASCII letters" in (rules.CONFIGURATION_SET_NAME.violation(name) or "")


def test_dimension_names_allow_the_colon_of_automatic_tags_but_not_at_or_dot() -> None:
    for tag in rules.SES_AUTOMATIC_TAGS:
        assert rules.DIMENSION_NAME.violation(tag) is None
    assert rules.DIMENSION_NAME.violation("user@host") is not None
    assert rules.DIMENSION_NAME.violation("a.b") is not None


def test_dimension_default_values_follow_ses_not_the_cloudformation_schema() -> None:
    # SES accepts '@' and '.' in default values; the CloudFormation schema pattern does not.
    assert rules.DIMENSION_DEFAULT_VALUE.violation("noreply@example.com") is None
    assert rules.DIMENSION_DEFAULT_VALUE.violation("v1.2") is None
    assert rules.DIMENSION_DEFAULT_VALUE.violation("has space") is not None
    assert rules.DIMENSION_DEFAULT_VALUE.violation("x:y") is not None
    assert rules.DIMENSION_DEFAULT_VALUE.violation("x" * 257) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bounce", EventType.BOUNCE),
        ("BOUNCE", EventType.BOUNCE),
        ("renderingFailure", EventType.RENDERING_FAILURE),
        ("RENDERING_FAILURE", EventType.RENDERING_FAILURE),
        ("delivery-delay", EventType.DELIVERY_DELAY),
        ("bounced", None),
        ("", None),
        (3, None),
    ],
)
def test_event_type_spellings(text: object, expected: EventType | None) -> None:
    assert rules.parse_event_type(text) is expected


def test_there_are_ten_event_types_each_with_an_eventbridge_detail_type() -> None:
    assert len(EventType) == 10
    assert EventType.COMPLAINT.eventbridge_detail_type == "Email Complaint Received"
    assert len({e.eventbridge_detail_type for e in EventType}) == 10
    assert EventType.RENDERING_FAILURE.api_v2_name == "RENDERING_FAILURE"


@dataclass
class Dim:
    name: str
    source: DimensionSource = DimensionSource.MESSAGE_TAG
    default_value: str = "none"


def test_dimension_problems_report_each_rule() -> None:
    found = rules.dimension_problems(
        [
            Dim("ok"),
            Dim("bad name"),
            Dim("From", DimensionSource.EMAIL_HEADER),
            Dim("ok", default_value=""),
        ]
    )
    fields = [f for f, _, _ in found]
    assert "dimensions[1].name" in fields
    assert "dimensions[2].name" in fields  # a forbidden header
    assert "dimensions[3].default_value" in fields
    assert ("dimensions", "ok", "dimension names must be unique within a destination") in found


def test_forbidden_headers_are_case_insensitive_and_only_for_email_headers() -> None:
    assert rules.dimension_problems([Dim("message-ID", DimensionSource.EMAIL_HEADER)])
    assert rules.dimension_problems([Dim("return-path", DimensionSource.EMAIL_HEADER)])
    assert not rules.dimension_problems([Dim("From", DimensionSource.MESSAGE_TAG)])


def test_dimension_count_limit() -> None:
    assert not rules.dimension_problems([Dim(f"d{i}") for i in range(10)])
    (problem,) = rules.dimension_problems([Dim(f"d{i}") for i in range(11)])
    assert "at most 10 dimensions" in problem[2]
    assert rules.dimension_problems([])[0][2] == "must list at least one dimension"


def test_event_type_selection_orders_names_and_refuses_unknown_ones() -> None:
    from ses_events.rules import EVENT_TYPE_RULE, EventType, event_type_selection

    assert event_type_selection(None) == (tuple(EventType), [])
    assert event_type_selection(["click", "send", "send"]) == (
        (EventType.SEND, EventType.CLICK),
        [],
    )
    chosen, problems = event_type_selection(["send", "spam"])
    assert chosen == (EventType.SEND,)
    assert problems == [("event_types[1]", "spam", EVENT_TYPE_RULE)]
    for empty in ([], "send"):
        assert event_type_selection(empty) == (
            (),
            [("event_types", empty, "must list at least one event type")],
        )


def test_a_new_destination_is_checked_against_the_sets_others() -> None:
    from ses_events.rules import MAX_DESTINATIONS_PER_CONFIGURATION_SET, new_destination_problem

    nine = [f"d{i}" for i in range(MAX_DESTINATIONS_PER_CONFIGURATION_SET - 1)]
    assert new_destination_problem(nine, "tenth") is None  # exactly at the limit
    ten = [*nine, "tenth"]
    assert "would be event destination number 11: SES allows at most 10" in str(
        new_destination_problem(ten, "eleventh")
    )
    assert "already the name of another event destination" in str(
        new_destination_problem(nine, "d3")
    )
