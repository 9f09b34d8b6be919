"""SES tenants in the spec: a platform's customers, each with its sets, identities and templates.

Example::

    tenants:
      - name: acme
        configuration_sets: [acme-marketing]
        identities: [acme.example.com]
        reputation_policy: standard
      - name: globex
        configuration_sets: [globex-mail]
        suppression: {reasons: [BOUNCE, COMPLAINT], scope: TENANT}

The rules are SES's (:mod:`ses_events.rules.tenants`); that a tenant names only sets of the spec,
and each tenant once, is checked with the whole spec (:mod:`ses_events.spec.document`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from ses_events import rules
from ses_events.spec.base import Bool, _rule, _Spec


class TenantSuppressionSpec(_Spec):
    """The tenant's suppression list: which reasons add an address, and whose list it is."""

    reasons: list[Literal["BOUNCE", "COMPLAINT"]]
    """``BOUNCE`` (hard bounces) and/or ``COMPLAINT``; an empty list adds no address."""
    scope: Literal["ACCOUNT", "TENANT"] = "ACCOUNT"
    """``TENANT``: the tenant's own list; ``ACCOUNT`` (SES's default): the account's."""


class TenantSpec(_Spec):
    """One tenant (``AWS::SES::Tenant``)."""

    name: str
    """The tenant's name in SES: 1 to 64 ASCII letters, digits, '_' or '-'."""
    configuration_sets: list[str] = Field(default_factory=list)
    """Configuration sets of this spec the tenant sends with (a set may belong to several)."""
    identities: list[str] = Field(default_factory=list)
    """Email identities (addresses or domains, or their ARNs) the tenant sends from."""
    templates: list[str] = Field(default_factory=list)
    """Email templates (names or ARNs) the tenant sends with."""
    resource_arns: list[str] = Field(default_factory=list)
    """Further SES resources to associate, by ARN, passed to SES as given."""
    reputation_policy: Literal["none", "standard", "strict"] | None = None
    """The SES-managed policy under which SES may pause this tenant on its own. Default: SES's."""
    suppression: TenantSuppressionSpec | None = None
    """The tenant's suppression list. Default: the account's."""
    tags: Annotated[dict[str, str], Field(default_factory=dict)]
    """Resource tags of the tenant (at most 50, with the stack's)."""
    breaker: Bool | None = None
    """Pause this tenant when its critical bounce or complaint rate alarm fires.
    Default: ``monitoring.breaker``."""

    _name = field_validator("name")(_rule(rules.TENANT_NAME))

    def association_count(self) -> int:
        """How many resources the tenant groups."""
        return (
            len(self.configuration_sets)
            + len(self.identities)
            + len(self.templates)
            + len(self.resource_arns)
        )
