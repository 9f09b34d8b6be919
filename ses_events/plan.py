"""What a deploy asks of SES: the control-plane calls the templates' SES resources need, and the
least time SES's documented rates allow for them.

A first deploy of thousands of sets is bounded by SES, not by CloudFormation or ses-events:
every configuration set and event destination is one SES call, and SES documents these as
"You can execute this operation no more than once per second" (SES API reference,
``CreateConfigurationSet``, https://docs.aws.amazon.com/ses/latest/APIReference/API_CreateConfigurationSet.html,
and ``CreateConfigurationSetEventDestination``,
https://docs.aws.amazon.com/ses/latest/APIReference/API_CreateConfigurationSetEventDestination.html).
The rate is the account's in a Region, so more stacks at once (``cdk deploy --concurrency``) do
not go faster; CloudFormation retries a throttled call, so a deploy is slow, not failed.

What is counted, per resource (the least each resource's handler must call; a handler may call
more, to read back): ``AWS::SES::ConfigurationSet``: ``CreateConfigurationSet``;
``AWS::SES::ConfigurationSetEventDestination``: ``CreateConfigurationSetEventDestination``;
``AWS::SES::Tenant``: ``CreateTenant``, one ``CreateTenantResourceAssociation`` per association,
``UpdateReputationEntityPolicy`` with a reputation policy, ``PutTenantSuppressionAttributes``
with suppression attributes. Operations SES documents no rate for are counted and shown, but
not timed: nothing here depends on a rate SES does not state.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DOCUMENTED_RATES", "SesPlan", "plan_assembly", "plan_templates", "ses_calls"]

DOCUMENTED_RATES: Mapping[str, float] = {
    "CreateConfigurationSet": 1.0,
    "CreateConfigurationSetEventDestination": 1.0,
}
"""Calls per second SES documents (see the module): once per second each."""


def ses_calls(template: Mapping[str, Any]) -> Counter[str]:
    """The SES calls creating the template's SES resources takes, by operation."""
    calls: Counter[str] = Counter()
    for resource in (template.get("Resources") or {}).values():
        kind = resource.get("Type")
        props = resource.get("Properties") or {}
        if kind == "AWS::SES::ConfigurationSet":
            calls["CreateConfigurationSet"] += 1
        elif kind == "AWS::SES::ConfigurationSetEventDestination":
            calls["CreateConfigurationSetEventDestination"] += 1
        elif kind == "AWS::SES::Tenant":
            calls["CreateTenant"] += 1
            associations = len(props.get("ResourceAssociations") or [])
            if associations:  # no zero entries: the report lists what is called
                calls["CreateTenantResourceAssociation"] += associations
            if props.get("ReputationEntity"):
                calls["UpdateReputationEntityPolicy"] += 1
            if props.get("SuppressionAttributes"):
                calls["PutTenantSuppressionAttributes"] += 1
    return calls


@dataclass(frozen=True)
class SesPlan:
    """The SES calls of a deploy from nothing, and the least time they take."""

    calls: Mapping[str, int]
    by_stack: Mapping[str, Mapping[str, int]]

    @property
    def timed_seconds(self) -> Mapping[str, float]:
        """For each operation with a documented rate: its calls at that rate, in seconds."""
        return {
            op: n / DOCUMENTED_RATES[op] for op, n in self.calls.items() if op in DOCUMENTED_RATES
        }

    @property
    def least_seconds(self) -> float:
        """The least time: the slowest rate-limited operation alone (the operations' limits are
        each their own, so at best they run side by side)."""
        return max(self.timed_seconds.values(), default=0.0)

    @property
    def serial_seconds(self) -> float:
        """The time at the documented rates one call after another (a set's destinations wait
        for the set, so a deploy is nearer this than the least)."""
        return sum(self.timed_seconds.values())

    def report(self) -> str:
        total = sum(self.calls.values())
        lines = [f"SES calls a deploy from nothing makes: {total:,}"]
        for op, n in sorted(self.calls.items(), key=lambda item: (-item[1], item[0])):
            rate = DOCUMENTED_RATES.get(op)
            timed = f"at {rate:g}/s: {_duration(n / rate)}" if rate else "rate not documented"
            lines.append(f"  {op:<40} {n:>8,}  ({timed})")
        lines.append(
            f"At SES's documented rates: at least {_duration(self.least_seconds)}; one call after"
            f" another {_duration(self.serial_seconds)}. The rates are the account's in the"
            " Region: more stacks at once do not shorten it (README, 'Deploying thousands')."
        )
        if len(self.by_stack) > 1:
            lines.append("By stack:")
            for stack, calls in self.by_stack.items():
                lines.append(f"  {stack}: {sum(calls.values()):,} calls")
        return "\n".join(lines)


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def plan_templates(templates: Iterable[tuple[str, Mapping[str, Any]]]) -> SesPlan:
    """The plan of the named templates."""
    total: Counter[str] = Counter()
    by_stack: dict[str, Mapping[str, int]] = {}
    for name, template in templates:
        calls = ses_calls(template)
        total.update(calls)
        by_stack[name] = dict(calls)
    return SesPlan(dict(total), by_stack)


def plan_assembly(outdir: str | Path) -> SesPlan:
    """The plan of every stack of the cloud assembly at ``outdir``."""
    outdir = Path(outdir)
    manifest = json.loads((outdir / "manifest.json").read_text())
    found = []
    for artifact_id, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = json.loads((outdir / artifact["properties"]["templateFile"]).read_text())
        found.append((str(artifact.get("displayName", artifact_id)), template))
    return plan_templates(found)
