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
        ("a + 1   ", 3.0),  # trailing blanks
        ("a > 2 AND a < 3", 0.0),
        ("a > 1 OR a > 3", 1.0),
        ("a > 1 && a < 3", 1.0),
        ("a > 1 || a > 5", 1.0),
        ("-missing", None),
        ("NOT missing", None),
        ("(a > 3 OR a == 2) * 5", 5.0),  # a whole expression inside parentheses
        ("IF(a > 3 OR a == 2, 10, 20)", 10.0),  # ... as IF's condition
        ("IF(1, a > 3 OR a == 2, 0)", 1.0),  # ... and branches
        ("IF(0, 0, a > 3 OR a == 2)", 1.0),
        ("IF(a > 5, 1, a)", 2.0),  # the else branch reads the metrics
        ("FILL(missing, a)", 2.0),  # so does FILL's value
        ("FILL(a > 3 OR a == 2, 0)", 1.0),
        ("FILL(missing, 0 OR 1)", 1.0),
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


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("(a 2", "expected ), found 2"),  # a separator or a parenthesis is what it must be
        ("IF(a ) 1, 2)", "expected ,, found )"),
        ("IF(a, 1 ) 2)", "expected ,, found )"),
        ("IF(a, 1, 2 ,", "expected ), found ,"),
        ("FILL(a ) 7)", "expected ,, found )"),
        ("FILL(a, 7 ,", "expected ), found ,"),
        ("IF(a, 1", "expected ,, found the end"),
        ("a +", "expected more, found the end"),
        ("a $ 2", "cannot read ' $ 2'"),
        ("a 2", "unexpected '2'"),
        (")", "unexpected ')'"),
        ("_a + 1", "cannot read '_a + 1'"),  # a metric id starts with a letter
        ("b + 1", "'b' is not a metric of the alarm"),
        ("RATE(a)", "the function RATE is not evaluated here"),
        ("FILL(a, repeat)", "FILL with REPEAT"),
    ],
)
def test_what_is_refused_says_why(expression: str, message: str) -> None:
    with pytest.raises(Unsupported) as refused:
        evaluate(expression, {"a": 1.0})
    assert str(refused.value) == message


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
