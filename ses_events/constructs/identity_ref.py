"""How constructs refer to an SES email identity: its name (checked) and its ARN."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack, Token
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_events import rules
from ses_events.errors import Problems

__all__ = ["IdentityLike", "identity_arn", "identity_name"]

IdentityLike = ses.IEmailIdentity | str
"""An SES email identity: an ``aws_ses.IEmailIdentity`` (created here or imported) or its name,
a domain (``example.com``) or an email address (``news@example.com``)."""


def identity_name(identity: IdentityLike, problems: Problems, field: str = "identity") -> str:
    """The identity's name; a name known at synth must be a domain or an email address."""
    name = identity if isinstance(identity, str) else identity.email_identity_name
    if not Token.is_unresolved(name):
        problems.check(field, name, rules.EMAIL_ADDRESS if "@" in name else rules.DOMAIN_NAME)
    return name


def identity_arn(scope: Construct, identity: IdentityLike) -> str:
    """``arn:<partition>:ses:<region>:<account>:identity/<name>``, in ``scope``'s stack."""
    if not isinstance(identity, str):
        return identity.email_identity_arn
    return Stack.of(scope).format_arn(
        service="ses",
        resource="identity",
        resource_name=identity,
        arn_format=ArnFormat.SLASH_RESOURCE_NAME,
    )
