"""``ses-events cost``: the monthly CloudWatch and analytics cost of a cloud assembly."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ses_events.cli.arguments import add_assembly_argument, whole_number

HELP = "estimate the monthly CloudWatch cost of a cloud assembly's templates"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_assembly_argument(parser)
    parser.add_argument(
        "--events-per-month",
        type=whole_number(0),
        default=1_000_000,
        help="SES events a month, for the archive and Athena lines (default: 1000000)",
    )
    parser.add_argument(
        "--query-runs-per-month",
        type=whole_number(0),
        default=30,
        help="how often each named query runs a month (default: 30)",
    )
    parser.add_argument(
        "--tenants",
        type=whole_number(0),
        default=None,
        help="also compare watching this many tenants one by one and fleet only"
        " (monitoring.tenants: per_tenant or fleet)",
    )
    parser.add_argument(
        "--values-per-dimension",
        type=whole_number(1),
        default=10,
        help="distinct values assumed for each dimension other than ses:configuration-set"
        " (default: 10)",
    )


def run(args: argparse.Namespace) -> int:
    from ses_events.cost import estimate_analytics_cost, estimate_assembly_cost

    report = estimate_assembly_cost(args.outdir, values_per_dimension=args.values_per_dimension)
    print(report.table())
    templates = [
        json.loads(p.read_text()) for p in sorted(Path(args.outdir).glob("*.template.json"))
    ]
    analytics = estimate_analytics_cost(
        templates,
        events_per_month=args.events_per_month,
        runs_per_month=args.query_runs_per_month,
    )
    if analytics is not None:
        print()
        print(analytics.table())
    if args.tenants is not None:
        from ses_events.cost import estimate_tenant_cost

        for per_tenant in (True, False):
            print()
            print(estimate_tenant_cost(args.tenants, per_tenant=per_tenant).table())
    return 0
