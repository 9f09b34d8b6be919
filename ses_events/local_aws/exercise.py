"""The main job's last part: mail through every deployed configuration set, and what arrived.

For each set, ``ses-events send-test`` sends one message to each mailbox simulator address,
tagged with a value for every message tag its CloudWatch destinations read (headers and link
tags are left out: their dimensions show the default value). Then, per destination, what it
received is shown and checked against what the configuration says should arrive: exactly the
records of the simulator's outcomes whose event types the destination matches, nothing for a
disabled destination. Last, the funnel query runs on the archive the local AWS wrote.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ses_events import rules
from ses_events.analytics.generator import SIMULATOR_OUTCOMES
from ses_events.local_aws import LocalAws
from ses_events.local_aws.publishing import published

__all__ = ["SENDER", "SENDER_DOMAIN", "exercise", "verify_sender_domain"]

SENDER_DOMAIN = "example.com"
"""The domain identity the main job verifies in the local AWS: any address of it may send (as
with a verified domain in SES), such as the README's ``news@example.com``."""
SENDER = f"ses-events-test@{SENDER_DOMAIN}"
_OUTCOME_TYPES = {
    "delivery": ("send", "delivery"),
    "ooto": ("send", "delivery"),
    "bounce": ("send", "bounce"),
    "suppressed": ("send", "bounce"),
    "complaint": ("send", "delivery", "complaint"),
}
_KINDS = {
    "CloudWatchDestination": "cloudwatch",
    "KinesisFirehoseDestination": "firehose",
    "SnsDestination": "sns",
    "EventBridgeDestination": "eventbridge",
}


def _expected(matching: list[str]) -> Counter[str]:
    """Records a destination matching ``matching`` (v1 spelling) receives from the five sends."""
    wanted = Counter(t for outcome in SIMULATOR_OUTCOMES.values() for t in _OUTCOME_TYPES[outcome])
    chosen = {rules.parse_event_type(t) for t in matching}
    return Counter({t: n for t, n in wanted.items() if rules.EventType(t) in chosen})


def verify_sender_domain(client: Any) -> None:
    """Verify :data:`SENDER_DOMAIN` in the local AWS (an SES v2 client of it), once."""
    names = {i["IdentityName"] for i in client.list_email_identities().get("EmailIdentities", [])}
    if SENDER_DOMAIN not in names:
        client.create_email_identity(EmailIdentity=SENDER_DOMAIN)


def exercise(aws: LocalAws, templates: dict[str, dict[str, Any]]) -> tuple[str, list[str]]:
    """Send through every set of ``templates``; return the report and the problems found."""
    import boto3

    from ses_events import send_test

    client = boto3.client("sesv2", **aws.client_arguments())
    verify_sender_domain(client)
    lines = ["Sent test mail through each configuration set; what each destination received:"]
    problems: list[str] = []
    archives: set[str] = set()
    for template in templates.values():
        resources = template.get("Resources", {})
        sets = [
            r["Properties"]["Name"]
            for r in resources.values()
            if r["Type"] == "AWS::SES::ConfigurationSet"
        ]
        by_set: dict[str, list[dict[str, Any]]] = {name: [] for name in sets}
        for r in resources.values():
            if r["Type"] != "AWS::SES::ConfigurationSetEventDestination":
                continue
            owner = r["Properties"]["ConfigurationSetName"]
            name = owner if isinstance(owner, str) else _set_of_ref(resources, owner)
            if name in by_set:
                by_set[name].append(r["Properties"]["EventDestination"])
        for name in sets:
            tags = sorted(
                {
                    d["DimensionName"]
                    for dest in by_set[name]
                    for d in dest.get("CloudWatchDestination", {}).get(
                        "DimensionConfigurations", []
                    )
                    if d["DimensionValueSource"] == "messageTag"
                    and not d["DimensionName"].startswith("ses:")
                }
            )
            before = len(published(aws.account, aws.region))
            # the command's own parser: its defaults are what a user's send-test gets
            parser = argparse.ArgumentParser()
            send_test.add_arguments(parser)
            args = parser.parse_args(
                [
                    "--configuration-set",
                    name,
                    "--from",
                    SENDER,
                    "--region",
                    aws.region,
                    "--endpoint-url",
                    aws.endpoint_url,
                    *(f"--tag={tag}=local-test" for tag in tags),
                ]
            )
            with _aws_environment(aws):  # send-test reads credentials as a user's shell has them
                code = send_test.run(args, out=io.StringIO(), err=io.StringIO())
            if code != 0:
                problems.append(f"configuration set {name}: the test mail was not accepted")
                continue
            received = [
                e
                for e in published(aws.account, aws.region)[before:]
                if e["configuration_set"] == name
            ]
            lines.append(f"  {name} ({len(SIMULATOR_OUTCOMES)} messages):")
            for destination in by_set[name]:
                lines.append("    " + _report(destination, received, problems, name, archives))
    return "\n".join(lines), problems


@contextlib.contextmanager
def _aws_environment(aws: LocalAws) -> Iterator[None]:
    """The local AWS's credentials and region in the environment, for the duration."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    os.environ.update({k: v for k, v in aws.environment().items() if k.startswith("AWS_")})
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            del os.environ[key]
        os.environ.update(saved)


def _set_of_ref(resources: dict[str, Any], value: Any) -> str | None:
    logical = value.get("Ref") if isinstance(value, dict) else None
    resource = resources.get(logical or "", {})
    return resource.get("Properties", {}).get("Name")


def _report(
    destination: dict[str, Any],
    received: list[dict[str, Any]],
    problems: list[str],
    set_name: str,
    archives: set[str],
) -> str:
    name = destination["Name"]
    kind = next((k for key, k in _KINDS.items() if key in destination), "?")
    mine = [e for e in received if e["destination"] == name]
    got = Counter(e["event_type"] for e in mine)
    wanted = (
        _expected(destination.get("MatchingEventTypes", []))
        if destination.get("Enabled")
        else Counter()
    )
    if got != wanted:
        problems.append(
            f"configuration set {set_name}, destination {name}: received {dict(got)}, the"
            f" configuration says {dict(wanted)}"
        )
    counts = ", ".join(f"{t} {n}" for t, n in sorted(got.items())) or "nothing"
    detail = ""
    if kind == "cloudwatch" and mine:
        values = {d["Name"]: d["Value"] for d in mine[0]["dimensions"]}
        detail = "; dimensions " + ", ".join(f"{k}={v}" for k, v in values.items())
    elif kind == "firehose" and mine:
        archives.add(mine[0]["key"].split("configuration_set=", 1)[0])
        detail = f"; objects under {mine[0]['key'].rsplit('/', 1)[0]}/"
    state = "" if destination.get("Enabled") else " (disabled)"
    verdict = "as configured" if got == wanted else "NOT as configured"
    return f"- {name} ({kind}{state}): {counts}{detail} — {verdict}"


def archive_funnel(aws: LocalAws, bucket: str, prefix: str) -> str:
    """The funnel query over the archive the local AWS wrote (DuckDB, if installed)."""
    try:
        from ses_events.analytics.engines import DuckDBEngine, download_archive
    except ImportError:  # pragma: no cover - duckdb is the analytics extra
        return "(install ses-events[analytics] to query the archive)"
    import boto3

    s3 = boto3.client("s3", **aws.client_arguments())
    with tempfile.TemporaryDirectory() as folder:
        files, _ = download_archive(f"s3://{bucket}/{prefix}", folder, client=s3)
        if not files:
            return "(the archive is empty)"
        return DuckDBEngine(Path(folder)).run("funnel").table()
