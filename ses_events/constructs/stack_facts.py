"""What constructs ask of their stack: its app root, its environment, ARNs in it."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack, Token
from constructs import IConstruct

from ses_events.constructs.tree_state import tree_state

__all__ = ["StackFacts"]


class StackFacts:
    """What every configuration set of a stack asks of it, asked once (each answer is a jsii call).

    Thousands of configuration sets in one app make these calls the bulk of synth time.
    """

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.root: IConstruct = stack.node.root
        self.environment = "/".join(
            "*" if Token.is_unresolved(value) else value for value in (stack.account, stack.region)
        )
        # One ARN with a placeholder name, its tokens kept: each set's ARN is a string replace.
        self._arn = stack.format_arn(
            service="ses",
            resource="configuration-set",
            resource_name=_PLACEHOLDER,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

    def configuration_set_arn(self, name: str) -> str:
        return self._arn.replace(_PLACEHOLDER, name)

    @classmethod
    def of(cls, scope: IConstruct) -> StackFacts:
        stack = scope if isinstance(scope, Stack) else Stack.of(scope)
        return tree_state(stack, "stack_facts", lambda: cls(stack))


_PLACEHOLDER = "SESEVENTSNAMEPLACEHOLDER"
