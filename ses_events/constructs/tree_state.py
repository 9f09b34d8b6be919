"""State this package keeps for a construct of the tree (the app's root, a stack, a topic).

aws-cdk-lib keeps what the whole app shares on constructs of the tree, not in module globals:
it then lives and dies with its app, two apps in one process never see each other's, and
nothing needs clearing between tests. Here it is an attribute of the construct's Python object
(jsii hands back the same object for the same construct), read without a jsii call: at
thousands of configuration sets these lookups happen per set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from constructs import IConstruct

__all__ = ["tree_state", "tree_state_if_any"]

T = TypeVar("T")

_PREFIX = "_ses_events_"


def tree_state(construct: IConstruct, key: str, create: Callable[[], T]) -> T:
    """The state stored as ``key`` on ``construct``, made with ``create`` on first use."""
    attribute = _PREFIX + key
    found: T | None = getattr(construct, attribute, None)
    if found is None:
        found = create()
        setattr(construct, attribute, found)
    return found


def tree_state_if_any(construct: IConstruct, key: str) -> object | None:
    """The state stored as ``key`` on ``construct``, or ``None`` (nothing is created)."""
    return getattr(construct, _PREFIX + key, None)
