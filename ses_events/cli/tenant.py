"""``ses-events tenant status|pause|reinstate NAME``: a tenant's sending status, and the operator's
switch.

``status`` shows both sides of a tenant's sending status: the customer-managed one (what this
account's operators, or the breaker, set) and the SES-managed one (what SES set under the
tenant's reputation policy), and the aggregate that decides whether it sends: "If either the
customer-managed status or the AWS Amazon SES-managed status is DISABLED, the aggregate status
will be DISABLED" (SES API v2, ReputationEntity).

``pause`` sets the customer-managed status to DISABLED, as the breaker does; ``reinstate`` sets
it to REINSTATED ("Allow sending even if there are active reputation findings"): SES's own
status still applies, so a tenant SES paused stays paused. Both ask first; ``--yes`` does not.

examples:
  ses-events tenant status acme
  ses-events tenant pause acme --yes
  ses-events tenant reinstate acme --region eu-west-1
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from ses_events.rules import breaker as breaker_rules

HELP = "show a tenant's sending status, or pause / reinstate it (SES tenants)"
DESCRIPTION = (__doc__ or "").replace("``", "")
RAW_DESCRIPTION = True

_TARGET = {"pause": breaker_rules.PAUSED, "reinstate": breaker_rules.REINSTATED}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ses_events import rules
    from ses_events.cli.arguments import add_ses_client_arguments, pattern

    parser.add_argument("action", choices=["status", "pause", "reinstate"], help="what to do")
    parser.add_argument(
        "name", type=pattern(rules.TENANT_NAME, "tenant name"), help="the tenant's name"
    )
    parser.add_argument(
        "--yes", action="store_true", help="pause or reinstate without asking (for scripts)"
    )
    add_ses_client_arguments(parser)


def run(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    import boto3
    from botocore.exceptions import ClientError, NoRegionError

    prog = f"ses-events tenant {args.action}"
    try:
        client: Any = boto3.client("sesv2", region_name=args.region, endpoint_url=args.endpoint_url)
    except NoRegionError:
        print(
            f"{prog}: argument --region: missing: no AWS Region is configured; give --region,"
            " or set AWS_DEFAULT_REGION",
            file=sys.stderr,
        )
        return 2
    try:
        arn = client.get_tenant(TenantName=args.name)["Tenant"]["TenantArn"]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "NotFoundException":
            print(
                f"{prog}: tenant {args.name!r} does not exist in {client.meta.region_name}",
                file=sys.stderr,
            )
            return 1
        raise
    before = _entity(client, arn)
    print(_status_lines(args.name, arn, before))
    if args.action == "status":
        return 0
    target = _TARGET[args.action]
    current = before.get("CustomerManagedStatus", {}).get("Status", "ENABLED")
    if not args.yes:
        stdin = stdin or sys.stdin
        if not stdin.isatty():
            print(
                f"{prog}: not asked: no terminal to confirm on; give --yes to {args.action}"
                f" tenant {args.name!r} without asking",
                file=sys.stderr,
            )
            return 2
        print(
            f"{args.action.capitalize()} tenant {args.name!r}: customer-managed status"
            f" {current} -> {target}? [y/N] ",
            end="",
            flush=True,
        )
        if stdin.readline().strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    client.update_reputation_entity_customer_managed_status(
        ReputationEntityType=breaker_rules.REPUTATION_ENTITY_TYPE,
        ReputationEntityReference=arn,
        SendingStatus=target,
    )
    after = _entity(client, arn)
    print(f"Customer-managed status of tenant {args.name!r}: {current} -> {target}.")
    print(_status_lines(args.name, arn, after))
    if args.action == "reinstate" and after.get("SendingStatusAggregate") == "DISABLED":
        print(
            "SES's own status still disables this tenant: it sends again once SES re-enables"
            " it (see the SES console's reputation findings)."
        )
    return 0


def _entity(client: Any, arn: str) -> dict[str, Any]:
    found: dict[str, Any] = client.get_reputation_entity(
        ReputationEntityType=breaker_rules.REPUTATION_ENTITY_TYPE, ReputationEntityReference=arn
    )["ReputationEntity"]
    return found


def _status_lines(name: str, arn: str, entity: dict[str, Any]) -> str:
    def record(key: str) -> str:
        status = entity.get(key) or {}
        text = str(status.get("Status", "unknown"))
        if status.get("Cause"):
            text += f" ({status['Cause']})"
        if status.get("LastUpdatedTimestamp"):
            stamp = status["LastUpdatedTimestamp"]
            text += f", since {stamp:%Y-%m-%d %H:%M:%S %Z}".rstrip()
        return text

    rows = [
        ("sending:", str(entity.get("SendingStatusAggregate", "unknown"))),
        ("customer-managed status:", record("CustomerManagedStatus")),
        ("SES-managed status:", record("AwsSesManagedStatus")),
        ("reputation policy:", str(entity.get("ReputationManagementPolicy") or "none")),
    ]
    return "\n".join([f"tenant {name} ({arn})", *(f"  {k:<25}{v}" for k, v in rows)])
