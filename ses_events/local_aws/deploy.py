"""Deploy the app with the real CDK CLI to the local AWS, check what was deployed, describe it.

``ses-events local-deploy`` (the main job) runs, from a CDK project directory (``cdk.json``):
start the local AWS → ``cdk bootstrap`` → ``cdk deploy --all`` → check every deployed resource with
boto3 against the synthesized templates → print a summary of what is deployed → stop the local
AWS (or keep it running until Ctrl-C with ``--keep-running``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ses_events import rules
from ses_events.failures import failure_line
from ses_events.local_aws import LocalAws

__all__ = ["CdkError", "check_deployment", "deploy", "describe_deployment", "run_cdk"]


class CdkError(RuntimeError):
    """A CDK CLI command that failed; ``output`` holds what it printed."""

    def __init__(self, command: Sequence[str], output: str) -> None:
        super().__init__(f"{' '.join(command)} failed:\n{output}")
        self.command = list(command)
        self.output = output


def _cdk() -> str:
    found = shutil.which("cdk")
    if found is None:
        raise CdkError(["cdk"], "the CDK CLI is not on PATH: run scripts/setup.sh (npm ci) first")
    return found


def run_cdk(
    aws: LocalAws, arguments: Sequence[str], *, cwd: str | Path = ".", check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the real CDK CLI against the local AWS; raise :class:`CdkError` when it fails."""
    command = [_cdk(), *arguments, "--no-notices", "--ci"]
    result = subprocess.run(
        command,
        cwd=cwd,
        env=aws.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise CdkError(command, result.stdout + result.stderr)
    return result


def deploy(
    aws: LocalAws,
    *,
    cwd: str | Path = ".",
    context: dict[str, str] | None = None,
    stacks: Sequence[str] = ("--all",),
    app: str | None = None,
    output: str | Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``cdk bootstrap`` (when not done yet) and ``cdk deploy`` of ``stacks``."""
    import boto3

    ssm = boto3.client("ssm", **aws.client_arguments())
    try:
        ssm.get_parameter(Name="/cdk-bootstrap/hnb659fds/version")
    except ssm.exceptions.ParameterNotFound:
        run_cdk(aws, ["bootstrap", aws.bootstrap_target], cwd=cwd)
    arguments = ["deploy", *stacks, "--require-approval", "never"]
    if app is not None:
        arguments += ["--app", app]
    if output is not None:
        arguments += ["--output", str(output)]
    for key, value in (context or {}).items():
        arguments += ["--context", f"{key}={value}"]
    return run_cdk(aws, arguments, cwd=cwd)


# -- checking ------------------------------------------------------------------------------------


def _templates(outdir: Path) -> dict[str, dict[str, Any]]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    found = {}
    for artifact in manifest.get("artifacts", {}).values():
        if artifact.get("type") == "aws:cloudformation:stack":
            properties = artifact["properties"]
            name = properties.get("stackName") or artifact.get("displayName")
            found[name] = json.loads((outdir / properties["templateFile"]).read_text())
    return found


def _alarm_report(aws: LocalAws, outdir: Path) -> str:
    """Reputation figures of the test mail, and the standard alarms evaluated against them."""
    from collections import Counter

    from ses_events.local_aws.alarm_evaluation import evaluate_alarms, publish_reputation

    reputation = {
        props["Name"]
        for template in _templates(outdir).values()
        for props in _of_type(template, "AWS::SES::ConfigurationSet").values()
        if props.get("ReputationOptions", {}).get("ReputationMetricsEnabled")
    }
    rates = publish_reputation(aws.account, aws.region, reputation)
    states = evaluate_alarms(aws.account, aws.region)
    counted = Counter(s.state or "not evaluated" for s in states)
    lines = [
        "Alarms evaluated on the local metric data (bounce rate of the test mail: "
        + ", ".join(f"{name or 'account'} {rate:.0%}" for name, rate in sorted(rates.items()))
        + "): "
        + ", ".join(f"{n} {state}" for state, n in sorted(counted.items()))
    ]
    lines += [f"  - {s.name}: ALARM ({s.reason})" for s in states if s.state == "ALARM"]
    return "\n".join(lines)


def _archives(aws: LocalAws, outdir: Path) -> list[tuple[str, str]]:
    """``(bucket, prefix)`` of each deployed archive, read back from the local AWS's streams."""
    import boto3

    firehose = boto3.client("firehose", **aws.client_arguments())
    found: list[tuple[str, str]] = []
    for template in _templates(outdir).values():
        for props in _of_type(template, "AWS::KinesisFirehose::DeliveryStream").values():
            name = props.get("DeliveryStreamName")
            if not isinstance(name, str):
                continue
            description = firehose.describe_delivery_stream(DeliveryStreamName=name)
            s3 = description["DeliveryStreamDescription"]["Destinations"][0].get(
                "ExtendedS3DestinationDescription", {}
            )
            bucket = str(s3.get("BucketARN", "")).rsplit(":", 1)[-1]
            found.append((bucket, str(s3.get("Prefix", "")).split("configuration_set=", 1)[0]))
    return found


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical: resource.get("Properties", {})
        for logical, resource in template.get("Resources", {}).items()
        if resource["Type"] == kind
    }


def check_deployment(aws: LocalAws, outdir: str | Path = "cdk.out") -> list[str]:
    """Compare what is deployed with the synthesized templates; return the differences found.

    Configuration sets (delivery, reputation, sending, suppression), event destinations (kind,
    enabled, event types, dimensions), delivery streams and their bucket, bucket encryption,
    public access block and TLS policy, role trust conditions, topic policies, alarms,
    dashboards, Glue tables (columns, partition keys, projection), Athena workgroups and named
    queries.
    """
    import boto3

    def client(service: str) -> Any:
        return boto3.client(service, **aws.client_arguments())

    cloudformation, sesv2, s3, iam = (client(s) for s in ("cloudformation", "sesv2", "s3", "iam"))
    firehose, sns, cloudwatch = (client(s) for s in ("firehose", "sns", "cloudwatch"))
    problems: list[str] = []
    for stack_name, template in _templates(Path(outdir)).items():
        try:
            stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
        except cloudformation.exceptions.ClientError:
            problems.append(f"stack {stack_name}: not deployed")
            continue
        if stack["StackStatus"] not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            problems.append(f"stack {stack_name}: status {stack['StackStatus']}")
        physical = {
            r["LogicalResourceId"]: r.get("PhysicalResourceId")
            for r in cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
            if r.get("LogicalResourceId")  # moto also lists the ignored CDK metadata, blank
        }
        sets = _of_type(template, "AWS::SES::ConfigurationSet")
        for props in sets.values():
            name = props["Name"]
            try:
                deployed = sesv2.get_configuration_set(ConfigurationSetName=name)
            except sesv2.exceptions.NotFoundException:
                problems.append(f"configuration set {name}: missing")
                continue
            for group, key in (
                ("DeliveryOptions", "TlsPolicy"),
                ("DeliveryOptions", "MaxDeliverySeconds"),
                ("ReputationOptions", "ReputationMetricsEnabled"),
                ("SendingOptions", "SendingEnabled"),
                ("SuppressionOptions", "SuppressedReasons"),
            ):
                expected = props.get(group, {}).get(key)
                actual = deployed.get(group, {}).get(key)
                if expected is not None and actual != expected:
                    problems.append(
                        f"configuration set {name}: {key} is {actual!r},"
                        f" the template says {expected!r}"
                    )
        names_by_logical = {logical: props["Name"] for logical, props in sets.items()}
        for props in _of_type(template, "AWS::SES::ConfigurationSetEventDestination").values():
            reference = props["ConfigurationSetName"]
            set_name = (
                names_by_logical.get(reference["Ref"], "?")
                if isinstance(reference, dict)
                else reference
            )
            wanted = props["EventDestination"]
            try:
                found = {
                    d["Name"]: d
                    for d in sesv2.get_configuration_set_event_destinations(
                        ConfigurationSetName=set_name
                    )["EventDestinations"]
                }
            except sesv2.exceptions.NotFoundException:
                problems.append(f"configuration set {set_name}: missing (for {wanted['Name']})")
                continue
            deployed = found.get(wanted["Name"])
            where = f"configuration set {set_name}, event destination {wanted['Name']}"
            if deployed is None:
                problems.append(f"{where}: missing")
                continue
            types = sorted(
                parsed.api_v2_name if (parsed := rules.parse_event_type(t)) else str(t)
                for t in wanted.get("MatchingEventTypes", [])
            )
            if sorted(deployed["MatchingEventTypes"]) != types:
                problems.append(f"{where}: event types {deployed['MatchingEventTypes']}")
            if deployed.get("Enabled") != wanted.get("Enabled", False):
                problems.append(f"{where}: enabled is {deployed.get('Enabled')}")
            for kind in (
                "CloudWatchDestination",
                "KinesisFirehoseDestination",
                "SnsDestination",
                "EventBridgeDestination",
            ):
                if (kind in wanted) != (kind in deployed):
                    problems.append(f"{where}: kind differs ({kind})")
            if "CloudWatchDestination" in wanted and "CloudWatchDestination" in deployed:
                dims = [
                    d["DimensionName"]
                    for d in wanted["CloudWatchDestination"]["DimensionConfigurations"]
                ]
                got = [
                    d["DimensionName"]
                    for d in deployed["CloudWatchDestination"]["DimensionConfigurations"]
                ]
                if dims != got:
                    problems.append(f"{where}: dimensions {got}, the template says {dims}")
        for logical in _of_type(template, "AWS::KinesisFirehose::DeliveryStream"):
            name = physical.get(logical)
            try:
                stream = firehose.describe_delivery_stream(DeliveryStreamName=name)[
                    "DeliveryStreamDescription"
                ]
            except firehose.exceptions.ResourceNotFoundException:
                problems.append(f"delivery stream {name}: missing")
                continue
            destination = stream["Destinations"][0].get("ExtendedS3DestinationDescription", {})
            bucket = str(destination.get("BucketARN", "")).rsplit(":", 1)[-1]
            if bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
                problems.append(f"delivery stream {name}: bucket {bucket!r} does not exist")
        for logical in _of_type(template, "AWS::S3::Bucket"):
            name = physical.get(logical)
            try:
                encryption = s3.get_bucket_encryption(Bucket=name)[
                    "ServerSideEncryptionConfiguration"
                ]["Rules"]
            except s3.exceptions.ClientError:
                problems.append(f"bucket {name}: not encrypted")
                continue
            if not encryption:
                problems.append(f"bucket {name}: not encrypted")
            block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
            if not all(block.values()):
                problems.append(f"bucket {name}: public access not fully blocked ({block})")
            policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
            if "aws:SecureTransport" not in json.dumps(policy):
                problems.append(f"bucket {name}: the policy does not require TLS")
        for logical, props in _of_type(template, "AWS::IAM::Role").items():
            name = physical.get(logical)
            trust = iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
            wanted_keys = sorted(
                key
                for statement in props["AssumeRolePolicyDocument"]["Statement"]
                for condition in statement.get("Condition", {}).values()
                for key in condition
            )
            got_keys = sorted(
                key
                for statement in trust["Statement"]
                for condition in statement.get("Condition", {}).values()
                for key in condition
            )
            if wanted_keys != got_keys:
                problems.append(f"role {name}: trust conditions {got_keys}, wanted {wanted_keys}")
        for logical, props in _of_type(template, "AWS::SNS::TopicPolicy").items():
            for topic in props["Topics"]:
                arn = physical.get(topic["Ref"]) if isinstance(topic, dict) else topic
                policy = json.loads(
                    sns.get_topic_attributes(TopicArn=arn)["Attributes"].get("Policy", "{}")
                )
                wanted_sids = sorted(s.get("Sid", "") for s in props["PolicyDocument"]["Statement"])
                got_sids = sorted(s.get("Sid", "") for s in policy.get("Statement", []))
                if wanted_sids != got_sids:
                    problems.append(f"topic {arn}: policy statements {got_sids} ({logical})")
        metric_alarms, composite_alarms = _all_alarms(cloudwatch)
        alarm_names = {a["AlarmName"] for a in metric_alarms + composite_alarms}
        for kind in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"):
            for props in _of_type(template, kind).values():
                if props.get("AlarmName") not in alarm_names:
                    problems.append(f"alarm {props.get('AlarmName')}: missing")
        dashboards = {
            d["DashboardName"] for d in _all(cloudwatch, "list_dashboards", "DashboardEntries")
        }
        for props in _of_type(template, "AWS::CloudWatch::Dashboard").values():
            if props.get("DashboardName") not in dashboards:
                problems.append(f"dashboard {props.get('DashboardName')}: missing")
        problems += _check_analytics(client("glue"), client("athena"), template)
    return problems


def _check_analytics(glue: Any, athena: Any, template: dict[str, Any]) -> list[str]:
    """Glue tables (columns, partition keys, projection), workgroups and named queries."""
    problems: list[str] = []
    for props in _of_type(template, "AWS::Glue::Table").values():
        wanted = props["TableInput"]
        name = f"{props['DatabaseName']}.{wanted['Name']}"
        try:
            got = glue.get_table(DatabaseName=props["DatabaseName"], Name=wanted["Name"])["Table"]
        except glue.exceptions.EntityNotFoundException:
            problems.append(f"glue table {name}: missing")
            continue
        columns = [(c["Name"], c["Type"]) for c in got["StorageDescriptor"]["Columns"]]
        if columns != [(c["Name"], c["Type"]) for c in wanted["StorageDescriptor"]["Columns"]]:
            problems.append(f"glue table {name}: columns differ")
        if [k["Name"] for k in got["PartitionKeys"]] != [
            k["Name"] for k in wanted["PartitionKeys"]
        ]:
            problems.append(f"glue table {name}: partition keys differ")
        for key, value in wanted["Parameters"].items():
            if isinstance(value, str) and got.get("Parameters", {}).get(key) != value:
                problems.append(f"glue table {name}: parameter {key} is not {value!r}")
    for props in _of_type(template, "AWS::Athena::WorkGroup").values():
        try:
            group = athena.get_work_group(WorkGroup=props["Name"])["WorkGroup"]
        except athena.exceptions.ClientError:
            problems.append(f"athena workgroup {props['Name']}: missing")
            continue
        wanted_configuration = props["WorkGroupConfiguration"]
        got_configuration = group.get("Configuration", {})
        for key in ("EnforceWorkGroupConfiguration", "BytesScannedCutoffPerQuery"):
            if got_configuration.get(key) != wanted_configuration.get(key):
                problems.append(f"athena workgroup {props['Name']}: {key} differs")
    wanted_queries = {p["Name"] for p in _of_type(template, "AWS::Athena::NamedQuery").values()}
    if wanted_queries:
        groups = {p["Name"] for p in _of_type(template, "AWS::Athena::WorkGroup").values()}
        ids = [
            query_id
            for group in groups
            for query_id in athena.list_named_queries(WorkGroup=group)["NamedQueryIds"]
        ]
        got_queries = {
            athena.get_named_query(NamedQueryId=query_id)["NamedQuery"]["Name"] for query_id in ids
        }
        for missing in sorted(wanted_queries - got_queries):
            problems.append(f"athena named query {missing}: missing")
    return problems


# -- every page of a listing -----------------------------------------------------------------------


def _all(client: Any, operation: str, key: str) -> list[Any]:
    """Every item of a paginated listing (``NextToken``), not only its first page."""
    items: list[Any] = []
    for page in client.get_paginator(operation).paginate():
        items += page.get(key, [])
    return items


def _all_alarms(cloudwatch: Any) -> tuple[list[Any], list[Any]]:
    metric: list[Any] = []
    composite: list[Any] = []
    paginator = cloudwatch.get_paginator("describe_alarms")
    for page in paginator.paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
        metric += page.get("MetricAlarms", [])
        composite += page.get("CompositeAlarms", [])
    return metric, composite


def _configuration_sets(sesv2: Any) -> list[str]:
    """Every configuration set: ListConfigurationSets answers a page at a time (NextToken)."""
    names: list[str] = []
    token: str | None = None
    while True:
        page = sesv2.list_configuration_sets(**({"NextToken": token} if token else {}))
        names += page.get("ConfigurationSets", [])
        token = page.get("NextToken")
        if not token:
            return names


def _delivery_streams(firehose: Any) -> list[str]:
    names: list[str] = []
    while True:
        page = firehose.list_delivery_streams(
            **({"ExclusiveStartDeliveryStreamName": names[-1]} if names else {})
        )
        names += page.get("DeliveryStreamNames", [])
        if not page.get("HasMoreDeliveryStreams"):
            return names


# -- describing ------------------------------------------------------------------------------------


def describe_deployment(aws: LocalAws) -> str:
    """What is deployed, read back with boto3: sets, destinations, streams, buckets, topics, ..."""
    import boto3

    def client(service: str) -> Any:
        return boto3.client(service, **aws.client_arguments())

    sesv2, firehose, s3 = client("sesv2"), client("firehose"), client("s3")
    sns, cloudwatch = client("sns"), client("cloudwatch")
    lines = [f"Deployed to the local AWS ({aws.endpoint_url}, {aws.bootstrap_target}):"]
    for name in _configuration_sets(sesv2):
        options = sesv2.get_configuration_set(ConfigurationSetName=name)
        tls = options.get("DeliveryOptions", {}).get("TlsPolicy", "OPTIONAL")
        reputation = options.get("ReputationOptions", {}).get("ReputationMetricsEnabled")
        lines.append(
            f"  configuration set {name}: TLS {tls},"
            f" reputation metrics {'on' if reputation else 'off'}"
        )
        for d in sesv2.get_configuration_set_event_destinations(ConfigurationSetName=name)[
            "EventDestinations"
        ]:
            kind = next(
                k.removesuffix("Destination").replace("KinesisFirehose", "Firehose").lower()
                for k in d
                if k.endswith("Destination")
            )
            types = d["MatchingEventTypes"]
            spelled = {e.api_v2_name: e.value for e in rules.EventType}
            detail = (
                "all 10 event types"
                if len(types) == 10
                else ", ".join(spelled.get(t, t) for t in types)
            )
            line = f"    - {d['Name']} ({kind}{'' if d['Enabled'] else ', disabled'}): {detail}"
            if "CloudWatchDestination" in d:
                dims = [
                    c["DimensionName"]
                    for c in d["CloudWatchDestination"]["DimensionConfigurations"]
                ]
                line += f"; dimensions {', '.join(dims)}"
            lines.append(line)
    for name in _delivery_streams(firehose):
        description = firehose.describe_delivery_stream(DeliveryStreamName=name)[
            "DeliveryStreamDescription"
        ]
        s3_destination = description["Destinations"][0].get("ExtendedS3DestinationDescription", {})
        bucket = str(s3_destination.get("BucketARN", "?")).rsplit(":", 1)[-1]
        lines.append(f"  delivery stream {name} -> bucket {bucket}")
    for bucket in s3.list_buckets()["Buckets"]:
        if not bucket["Name"].startswith("cdk-"):
            lines.append(f"  bucket {bucket['Name']}")
    for topic in _all(sns, "list_topics", "Topics"):
        lines.append(f"  topic {topic['TopicArn'].rsplit(':', 1)[-1]}")
    glue, athena = client("glue"), client("athena")
    for database in glue.get_databases()["DatabaseList"]:
        for table in glue.get_tables(DatabaseName=database["Name"])["TableList"]:
            sets = table.get("Parameters", {}).get("projection.configuration_set.values", "")
            lines.append(
                f"  glue table {database['Name']}.{table['Name']}:"
                f" {len(table['StorageDescriptor']['Columns'])} columns, partitions projected"
                f" for {sets.replace(',', ', ') or 'no sets'}"
            )
    for group in athena.list_work_groups()["WorkGroups"]:
        if group["Name"] == "primary":
            continue
        count = len(athena.list_named_queries(WorkGroup=group["Name"])["NamedQueryIds"])
        lines.append(f"  athena workgroup {group['Name']}: {count} named queries")
    for dashboard in _all(cloudwatch, "list_dashboards", "DashboardEntries"):
        lines.append(f"  dashboard {dashboard['DashboardName']}")
    metric_alarms, composite = _all_alarms(cloudwatch)
    if metric_alarms or composite:
        lines.append(f"  {len(metric_alarms)} alarms and {len(composite)} composite alarms:")
        lines += [f"    - {a['AlarmName']}" for a in metric_alarms + composite]
    return "\n".join(lines)


# -- the command -----------------------------------------------------------------------------------


def main(
    *,
    spec: str | None = None,
    keep_running: bool = False,
    port: int | None = None,
    out: TextIO | None = None,
) -> int:
    """The main job; see the module doc. Returns the exit code."""
    out = out or sys.stdout
    if not Path("cdk.json").is_file():
        print(
            "ses-events local-deploy: run it in the project directory (cdk.json)", file=sys.stderr
        )
        return 2
    context = {"ses-events:spec": spec} if spec else {}
    aws = LocalAws(port=port)
    print(f"Starting the local AWS on {aws.endpoint_url} ...", file=out, flush=True)
    try:
        aws.start()
    except RuntimeError as error:  # the port is taken, or moto would not start
        print(f"ses-events local-deploy: {error}", file=sys.stderr)
        return 1
    try:
        code = _deploy_and_check(aws, context, keep_running, out)
    except KeyboardInterrupt:  # Ctrl-C: stop cleanly, no traceback, no stale CDK locks
        aws.stop()
        _remove_stale_locks(Path("cdk.out"))
        print("\nses-events local-deploy: interrupted; stopped the local AWS.", file=sys.stderr)
        return 130
    except Exception as error:  # an AWS call failed: one line naming it, the local AWS stopped
        line = failure_line(error)
        aws.stop()
        if line is None:
            raise
        print(f"ses-events local-deploy: {line}", file=sys.stderr)
        return 1
    aws.stop()
    print("Stopped the local AWS.", file=out)
    return code


def keep_running_help(aws: LocalAws) -> str:
    """What ``--keep-running`` prints: the environment that points the AWS CLI, boto3 and
    ``ses-events send-test`` at the local AWS, and a sender it has verified."""
    from ses_events.local_aws.exercise import SENDER_DOMAIN

    return (
        "\nThe local AWS keeps running; press Ctrl-C to stop it. To use it:\n"
        f"  export AWS_ENDPOINT_URL={aws.endpoint_url} AWS_ACCESS_KEY_ID=local"
        f" AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION={aws.region} AWS_REGION={aws.region}\n"
        f"Verified sender domain: {SENDER_DOMAIN} (send from any address of it), e.g.\n"
        f"  ses-events send-test --configuration-set <set> --from news@{SENDER_DOMAIN}"
    )


def _remove_stale_locks(outdir: Path) -> None:
    """The CDK CLI's lock files of processes that no longer run (a CLI killed by Ctrl-C)."""
    for lock in outdir.glob("*.lock"):
        parts = lock.name.split(".")
        pid = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
        if pid is not None and Path(f"/proc/{pid}").exists():
            continue
        lock.unlink(missing_ok=True)


def _deploy_and_check(
    aws: LocalAws, context: dict[str, str], keep_running: bool, out: TextIO
) -> int:
    """Deploy, check and describe; keep the local AWS running on request."""
    try:
        print("Deploying with the CDK CLI (bootstrap, then deploy) ...", file=out, flush=True)
        deploy(aws, context=context)
    except CdkError as error:
        print(f"ses-events local-deploy: {error}", file=sys.stderr)
        return 1
    problems = check_deployment(aws)
    print(describe_deployment(aws), file=out)
    if problems:
        print("Deployed resources that differ from the templates:", file=out)
        for problem in problems:
            print(f"  - {problem}", file=out)
        return 1
    print("Checked with boto3: every resource matches its template.", file=out, flush=True)
    from ses_events.local_aws.exercise import archive_funnel, exercise

    report, sent_problems = exercise(aws, _templates(Path("cdk.out")))
    print(report, file=out, flush=True)
    for bucket, prefix in _archives(aws, Path("cdk.out")):
        print(f"Funnel over the archive (s3://{bucket}/{prefix}):", file=out)
        print(archive_funnel(aws, bucket, prefix), file=out, flush=True)
    print(_alarm_report(aws, Path("cdk.out")), file=out, flush=True)
    from ses_events.local_aws.breaker_scenario import breaker_scenario

    scenario = breaker_scenario(aws, _templates(Path("cdk.out")))
    print(scenario.report(), file=out, flush=True)
    if sent_problems:
        print("Destinations that did not receive what their configuration says:", file=out)
        for problem in sent_problems:
            print(f"  - {problem}", file=out)
    if scenario.problems:
        print("The breaker scenario did not go as it should:", file=out)
        for problem in scenario.problems:
            print(f"  - {problem}", file=out)
    if sent_problems or scenario.problems:
        return 1
    if keep_running:
        print(keep_running_help(aws), file=out, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0
