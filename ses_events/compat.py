"""What the installed aws-cdk-lib offers, found once at import, and one code path around its gaps.

ses-events supports aws-cdk-lib 2.160.0 and newer (below 3). Newer releases added what some of
its code uses; none of it changes a template:

- ``aws_cdk.Validations`` / ``Acknowledgment`` (the policy-validation acknowledgments that cdk-nag 3
  reads; cdk-nag 3 itself needs aws-cdk-lib 2.257): without them there is no cdk-nag 3 to tell, so
  :func:`acknowledge` does nothing;
- ``aws_cdk.interfaces`` (2.225, ``IConfigurationSet.configuration_set_ref``): without it the
  interface has no such member, and :func:`configuration_set_reference` is never asked;
- L1 properties newer than the installed L1 class (the configuration set's Auto Validation, say):
  :func:`ses_events.render.l1_keywords` gives the L1 class what it renders and the rest is written
  as raw CloudFormation (``add_property_override``), so nothing is dropped on any release.
"""

from __future__ import annotations

from typing import Any

import aws_cdk
from constructs import IConstruct

__all__ = [
    "HAS_INTERFACES",
    "HAS_VALIDATIONS",
    "acknowledge",
    "configuration_set_reference",
    "taggable",
]

HAS_VALIDATIONS: bool = hasattr(aws_cdk, "Validations") and hasattr(aws_cdk, "Acknowledgment")
"""Whether aws-cdk-lib has policy-validation acknowledgments (what cdk-nag 3 reads)."""

_Reference: Any
try:
    from aws_cdk.interfaces.aws_ses import ConfigurationSetReference as _Reference
except ImportError:  # aws-cdk-lib before 2.225
    _Reference = None
HAS_INTERFACES: bool = _Reference is not None
"""Whether aws-cdk-lib has ``aws_cdk.interfaces`` (resource references of its interfaces)."""


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge the cdk-nag 3 finding ``finding`` on ``scope`` (and below), with ``reason``.

    Nothing to do without :data:`HAS_VALIDATIONS`. aws-cdk-lib before 2.257 also refuses a
    finding id holding ``::`` more than once (``InvalidValidationId``); cdk-nag 3 needs 2.257 or
    newer, so there is then no cdk-nag to acknowledge it to either.
    """
    if not HAS_VALIDATIONS:
        return
    try:
        aws_cdk.Validations.of(scope).acknowledge(aws_cdk.Acknowledgment(id=finding, reason=reason))
    except RuntimeError as error:
        if "InvalidValidationId" not in str(error):
            raise


def configuration_set_reference(name: str) -> Any:
    """``aws_cdk.interfaces.aws_ses.ConfigurationSetReference`` of the set ``name`` (asked only
    by an aws-cdk-lib that has it)."""
    assert _Reference is not None, "asked only by an aws-cdk-lib with aws_cdk.interfaces"
    return _Reference(configuration_set_name=name)


def taggable(resource: IConstruct) -> bool:
    """Whether ``Tags.of(resource)`` reaches ``resource``: ``TagManager.is_taggable`` or, for the
    L1 classes of newer releases (``cdk_tag_manager``), ``is_taggable_v2``. 2.160 answers an
    untaggable resource with ``undefined``, which jsii refuses as a boolean (a ``RuntimeError``):
    that is a no."""
    manager = aws_cdk.TagManager
    try:
        if manager.is_taggable(resource):
            return True
    except RuntimeError:
        pass
    return hasattr(manager, "is_taggable_v2") and bool(manager.is_taggable_v2(resource))
