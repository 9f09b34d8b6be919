"""A one-screen summary of a synthesized cloud assembly (``cdk.out``): what the templates hold."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["summarize_assembly"]

_KINDS = {
    "CloudWatchDestination": "cloudwatch",
    "KinesisFirehoseDestination": "firehose",
    "SnsDestination": "sns",
    "EventBridgeDestination": "eventbridge",
}


def _name_of(value: Any, resources: dict[str, Any], attribute: str) -> str:
    """A readable name for a property that may be a Ref or GetAtt to another resource."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Select" in value:
        # Fn::Select(0, [ARN, Ref policy]): the ARN, written to wait for the policy
        index, items = value["Fn::Select"]
        if isinstance(items, list) and isinstance(index, int) and index < len(items):
            return _name_of(items[index], resources, attribute)
    if isinstance(value, dict):
        logical_id = value.get("Ref") or (value.get("Fn::GetAtt") or [None])[0]
        if logical_id in resources:
            props = resources[logical_id].get("Properties", {})
            return str(props.get(attribute) or logical_id)
    return "(computed)"


def _widget_count(body: Any) -> int:
    """Widgets in a dashboard body, a JSON string or an ``Fn::Join`` of strings and tokens."""
    if isinstance(body, dict) and "Fn::Join" in body:
        body = "".join(p if isinstance(p, str) else "token" for p in body["Fn::Join"][1])
    try:
        return len(json.loads(body).get("widgets", []))
    except (TypeError, ValueError):
        return 0


def _source_arn_wildcard(resource: dict[str, Any]) -> bool:
    """Whether a role, topic policy or key names the account's sets (``configuration-set/*``)."""
    props = resource.get("Properties", {})
    document = (
        props.get("AssumeRolePolicyDocument")
        or props.get("PolicyDocument")
        or props.get("KeyPolicy")
    )
    return document is not None and ':configuration-set/*"' in json.dumps(document)


def summarize_template(template: dict[str, Any]) -> list[str]:
    resources: dict[str, Any] = template.get("Resources", {})
    lines: list[str] = []
    sets = {
        lid: r["Properties"]
        for lid, r in resources.items()
        if r["Type"] == "AWS::SES::ConfigurationSet"
    }
    destinations = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::SES::ConfigurationSetEventDestination"
    ]
    for lid, props in sets.items():
        delivery = props.get("DeliveryOptions", {})
        options = [
            f"TLS {delivery.get('TlsPolicy', 'OPTIONAL')}",
            "reputation metrics "
            + (
                "on"
                if props.get("ReputationOptions", {}).get("ReputationMetricsEnabled")
                else "off"
            ),
        ]
        if "MaxDeliverySeconds" in delivery:
            options.append(f"max delivery {delivery['MaxDeliverySeconds']}s")
        lines.append(f"  configuration set {props.get('Name', lid)}: {', '.join(options)}")
        for dest in destinations:
            if dest["ConfigurationSetName"] not in ({"Ref": lid}, props.get("Name")):
                continue
            ed = dest["EventDestination"]
            kind = next((k for key, k in _KINDS.items() if key in ed), "?")
            types = ed.get("MatchingEventTypes", [])
            detail = "all 10 event types" if len(types) == 10 else ", ".join(types)
            line = f"    - {ed.get('Name')} ({kind}{'' if ed.get('Enabled') else ', disabled'}): {detail}"
            if kind == "cloudwatch":
                dims = [
                    d["DimensionName"]
                    for d in ed["CloudWatchDestination"].get("DimensionConfigurations", [])
                ]
                line += f"; dimensions {', '.join(dims)}"
            if kind == "firehose":
                stream = ed["KinesisFirehoseDestination"]["DeliveryStreamARN"]
                line += f"; stream {_name_of(stream, resources, 'DeliveryStreamName')}"
            if kind == "sns":
                line += f"; topic {_name_of(ed['SnsDestination']['TopicARN'], resources, 'DisplayName')}"
            lines.append(line)
    for lid, r in resources.items():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::KinesisFirehose::DeliveryStream":
            s3 = props.get("ExtendedS3DestinationConfiguration", {})
            bucket = _name_of(s3.get("BucketARN"), resources, "BucketName")
            lines.append(
                f"  delivery stream {props.get('DeliveryStreamName', lid)} -> bucket {bucket}"
            )
        elif r["Type"] == "AWS::S3::Bucket":
            lines.append(
                f"  bucket {props.get('BucketName', lid)}: deletion policy {r.get('DeletionPolicy', 'Delete')}"
            )
        elif r["Type"] == "AWS::SNS::Topic":
            encrypted = "KMS-encrypted" if "KmsMasterKeyId" in props else "unencrypted"
            lines.append(f"  topic {props.get('DisplayName') or lid}: {encrypted}")
        elif r["Type"] == "AWS::CloudWatch::Dashboard":
            lines.append(
                f"  dashboard {props.get('DashboardName', lid)}:"
                f" {_widget_count(props.get('DashboardBody'))} widgets"
            )
    alarm_names = sorted(
        r["Properties"].get("AlarmName", lid)
        for lid, r in resources.items()
        if r["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")
    )
    if alarm_names:
        set_names = sorted((p.get("Name", "") for p in sets.values()), key=len, reverse=True)
        per_scope: Counter[str] = Counter()
        tenant_prefixes = {n.split("-tenant-")[0] for n in alarm_names if "-tenant-" in n} | {
            n.split("-tenants-")[0] for n in alarm_names if "-tenants-" in n
        }
        for name in alarm_names:
            # a tenant's alarms and the fleet's first (a tenant may share a set's name)
            scope = next(
                (
                    "tenants"
                    for p in tenant_prefixes
                    if name.startswith((f"{p}-tenant-", f"{p}-tenants-"))
                ),
                None,
            )
            scope = scope or next((n for n in set_names if f"-{n}-" in name), None)
            if scope is None:
                scope = next((w for w in ("account", "archive") if f"-{w}-" in name), "other")
            per_scope[scope] += 1
        lines.append(
            f"  {len(alarm_names)} alarms ("
            + ", ".join(f"{scope} {n}" for scope, n in sorted(per_scope.items()))
            + f"), for example {alarm_names[0]}"
        )
    wildcards = sorted(lid for lid, r in resources.items() if _source_arn_wildcard(r))
    if wildcards:
        lines.append(
            "  policies that allow every configuration set of the account (too many sets to list"
            " in aws:SourceArn): " + ", ".join(wildcards)
        )
    counts = Counter(r["Type"] for r in resources.values() if r["Type"] != "AWS::CDK::Metadata")
    lines.append(
        f"  {sum(counts.values())} resources: "
        + ", ".join(f"{n} {t.split('::', 1)[1]}" for t, n in sorted(counts.items()))
    )
    return lines


def summarize_assembly(outdir: str | Path) -> str:
    """Summarize every stack in the cloud assembly at ``outdir``."""
    outdir = Path(outdir)
    manifest = json.loads((outdir / "manifest.json").read_text())
    lines = [f"Templates in {outdir.resolve()}:"]
    for artifact_id, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template_file = outdir / artifact["properties"]["templateFile"]
        template = json.loads(template_file.read_text())
        lines.append(
            f"{artifact.get('displayName', artifact_id)} ({artifact.get('environment')}): {template_file}"
        )
        lines += summarize_template(template)
    return "\n".join(lines)
