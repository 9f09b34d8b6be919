"""CDK tokens: values that are known only when CloudFormation deploys the template.

aws-cdk-lib skips a check that needs a concrete value when the value is an unresolved token
(``Token.isUnresolved``; see the max delivery duration check of ``aws-ses/lib/configuration-set.ts``)
and leaves it to CloudFormation. ses-events does the same, through :func:`is_unresolved`, and
refuses only where a value must be known at synth (:func:`must_be_known`).

aws-cdk-lib is imported only when a value could be a token: a plain string without a token marker
is answered in Python, so reading a spec or sending mail never starts jsii for it.
"""

from __future__ import annotations

__all__ = ["TOKEN_MARKERS", "is_unresolved", "must_be_known"]

TOKEN_MARKERS = ("${Token[", "#{Token[")
"""What every string token (``${Token[...]}``) and every encoded list element (``#{Token[...]}``)
of aws-cdk-lib contains (``BEGIN_STRING_TOKEN_MARKER``, ``BEGIN_LIST_TOKEN_MARKER``)."""


def is_unresolved(value: object) -> bool:
    """Whether ``value`` is, or contains, an unresolved CDK token, as ``Token.is_unresolved``
    answers (a parameter, an import, another construct's attribute, ``Fn.*``, ``Lazy``).

    Lists count when any element is a token. Strings without a token marker and booleans are
    answered without aws-cdk-lib; numbers (tokens are encoded as special doubles), durations
    (``Duration.is_unresolved``: a duration of a token amount) and other jsii objects are asked of
    aws-cdk-lib itself.
    """
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not any(marker in value for marker in TOKEN_MARKERS):
            return False
    elif isinstance(value, list | tuple):
        if any(isinstance(item, str) and TOKEN_MARKERS[1] in item for item in value):
            from aws_cdk import Token

            if Token.is_unresolved(list(value)):  # a whole list token (value_as_list, Fn.split)
                return True
        return any(is_unresolved(item) for item in value)
    elif isinstance(value, int):
        return False  # a Python int never holds an encoded token (those are doubles)
    from aws_cdk import Duration, Token  # only here: a value that may be a token is in a CDK app

    if isinstance(value, Duration):
        return bool(value.is_unresolved())  # Duration.seconds(parameter.value_as_number)
    return bool(Token.is_unresolved(value))


def must_be_known(why: str, instead: str) -> str:
    """The rule for a value that cannot be a token: it says so, why, and what to do instead."""
    return f"must be known at synth, not a CDK token: {why}; {instead}"
