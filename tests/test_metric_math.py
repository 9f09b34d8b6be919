"""The local alarm evaluation's metric math (issue 21, point 4): what it computes per period,
what it refuses, and the boundaries of the tenant rate (exactly the minimum of sends, one short)."""

from __future__ import annotations

import pytest

from ses_events.local_aws.eventbridge import transform
from ses_events.local_aws.metric_math import Unsupported, evaluate

TENANT_RATE = "IF(send >= 100, FILL(bounce, 0) / send, 0)"


@pytest.mark.parametrize(
    ("send", "bounce", "rate"),
    [
        (100, 5, 0.05),  # exactly the minimum: the rate
        (99, 99, 0.0),  # one short: 0, however many bounced
        (100, None, 0.0),  # no Bounce point in the hour: FILL makes it 0, not a gap
        (None, 3, None),  # no Send point: no value (the alarm's missing data applies)
        (200, 200, 1.0),
    ],
)
def test_the_tenant_rate(send: float | None, bounce: float | None, rate: float | None) -> None:
    assert evaluate(TENANT_RATE, {"send": send, "bounce": bounce}) == rate


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("8 / 4 / 2", 1.0),  # left to right
        ("10 - 4 - 3", 3.0),
        ("-a + 5", 3.0),
        ("a > 2", 0.0),
        ("a >= 2", 1.0),
        ("a < 2", 0.0),
        ("a <= 2", 1.0),
        ("a == 2", 1.0),
        ("a != 2", 0.0),
        ("a >= 2 AND a < 3", 1.0),
        ("a > 2 OR a < 1", 0.0),
        ("a > 2 || a == 2", 1.0),
        ("a > 1 && a > 2", 0.0),
        ("NOT a > 2", 1.0),
        ("!(a == 2)", 0.0),
        ("IF(a > 1, 10, 20)", 10.0),
        ("if(a > 5, 10, 20)", 20.0),  # names are not case sensitive
        ("a / 0", None),  # no value, never an infinity
        ("IF(a > 1, 1, a / 0)", 1.0),  # only the chosen branch is computed
        ("missing + 1", None),
        ("FILL(missing, 7) + a", 9.0),
        ("1.5e1 + .5", 15.5),
    ],
)
def test_operators(expression: str, value: float | None) -> None:
    assert evaluate(expression, {"a": 2.0, "missing": None}) == value


@pytest.mark.parametrize(
    "expression",
    [
        "RATE(a)",  # a function it does not know
        "FILL(a, REPEAT)",
        "FILL(a, LINEAR)",
        'SELECT SUM(Bounce) FROM SCHEMA("AWS/SES")',
        "b + 1",  # not a metric of the alarm
        "a +",
        "(a",
        "a $ 2",
        "IF(a, 1)",
    ],
)
def test_what_it_does_not_know_is_refused(expression: str) -> None:
    with pytest.raises(Unsupported):
        evaluate(expression, {"a": 1.0})


# -- the input transformer, as EventBridge applies it -------------------------------------------


def test_a_placeholder_in_a_string_is_its_text_and_outside_its_json() -> None:
    event = {"detail": {"alarmName": 'a "quoted" name', "state": {"value": "ALARM"}, "n": 3}}
    got = transform(
        '{"alarm":<name>,"said":"alarm <name> is <state>","n":<n>,"gone":<gone>,"no":"<gone>"}',
        {
            "name": "$.detail.alarmName",
            "state": "$.detail.state.value",
            "n": "$.detail.n",
            "gone": "$.detail.nothing",
        },
        event,
    )
    assert got == {
        "alarm": 'a "quoted" name',
        "said": 'alarm a "quoted" name is ALARM',
        "n": 3,
        "gone": None,
        "no": "",
    }


def test_no_template_is_the_whole_event() -> None:
    event = {"detail": {"x": 1}}
    assert transform(None, {}, event) is event
