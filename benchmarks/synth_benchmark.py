"""Synth time and memory of ses-events as the number of configuration sets grows, beside a
baseline written directly with aws-cdk-lib's ``aws_ses`` L2 constructs.

    .venv/bin/python benchmarks/synth_benchmark.py                  # N = 1, 10, 100, 1000, 10000
    .venv/bin/python benchmarks/synth_benchmark.py --sizes 1 10 100 --baseline-up-to 100
    .venv/bin/python benchmarks/synth_benchmark.py --sizes 1000 --floor --repeat 3
    .venv/bin/python benchmarks/synth_benchmark.py --sizes 10000 --repeat 3 \
        --kinds ses-events-plain l2-shared cfn-include

Every measurement runs in a fresh process (Python and the jsii Node.js process it starts), from
start-up to a written cloud assembly (``app.synth()``), timed with a monotonic clock; for
ses-events that includes reading and validating the spec, which is written before the clock
starts (a team's spec file exists already; the baseline's "spec" is its code); peak memory is
the largest sum of the resident set sizes of that process tree, read from ``/proc`` every 50 ms
(cross-check with ``/usr/bin/time -v``, which reports the largest single process).

What is synthesized, for each of N configuration sets:

- ses-events: a CloudWatch destination (dimension ``ses:configuration-set``), a Firehose
  destination to the stack's shared archive and an SNS destination (bounces, complaints) to the
  stack's shared topic; monitoring by fleet alarms and dashboard (Metrics Insights, covering every
  set), account and archive alarms; as many stacks as the layout needs (450 resources each);
- baseline: ``aws_ses.ConfigurationSet`` with ``add_event_destination`` for CloudWatch, a
  Firehose stream per set (``aws_kinesisfirehose.DeliveryStream`` to a bucket shared per stack,
  ``EventDestination.firehose_delivery_stream``, as the aws_ses documentation shows) and the
  shared topic; 40 sets per stack to stay under 500 resources. It does more work than ses-events
  (10 resources a set against 4), so its ratio flatters ses-events;
- equal work: two rows that build the same resources per set. ``ses-events-plain`` is the
  ses-events spec with monitoring off; ``l2-shared`` writes the same with aws-cdk-lib L2s: the
  CloudWatch destination, a Firehose destination to **one** stream per stack (shared, like the
  ses-events archive) and the SNS destination; 100 sets per stack.
- tenants (``--tenants``): ``ses-events-tenants`` is ``ses-events-plain`` with a tenant per set
  (issue 21's platform), beside its floor ``cfn-include-tenants``: the same finished templates
  read back with ``CfnInclude`` and synthesized.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_measured  # noqa: E402

BASELINE_SETS_PER_STACK = 40
L2_SHARED_SETS_PER_STACK = 100


def _spec(n: int) -> dict[str, object]:
    return {
        "stack_name": "Bench",
        "archives": [{"name": "default"}],
        "topics": [{"name": "events"}],
        "monitoring": {"fleet": True, "dashboards": "per_environment"},
        "configuration_sets": [
            {
                "name": f"tenant-{i:05d}",
                "monitoring": {"alarms": [], "dashboard": False},
                "destinations": [
                    {
                        "name": "metrics",
                        "type": "cloudwatch",
                        "dimensions": [{"name": "ses:configuration-set"}],
                    },
                    {"name": "archive", "type": "firehose"},
                    {
                        "name": "alerts",
                        "type": "sns",
                        "topic": "events",
                        "event_types": ["bounce", "complaint"],
                    },
                ],
            }
            for i in range(n)
        ],
    }


def _with_tenants(spec: dict[str, object], n: int) -> dict[str, object]:
    """The plain spec with a tenant per set (issue 21's platform: a customer, a set)."""
    spec = dict(spec)
    spec["monitoring"] = {"enabled": False}
    spec["tenants"] = [
        {"name": f"customer-{i:05d}", "configuration_sets": [f"tenant-{i:05d}"]} for i in range(n)
    ]
    return spec


def _synth_ses_events(spec_path: str, outdir: str) -> None:
    from aws_cdk import App

    from ses_events.stacks import build_app

    # each run starts in a fresh directory: its layout is new
    app = App(outdir=outdir, context={"ses-events:spec": spec_path, "ses-events:new-layout": True})
    build_app(app)
    app.synth()


def _synth_l2_shared(n: int, outdir: str) -> None:
    """The same resources per set as ses-events with monitoring off, written with L2s."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kinesisfirehose as firehose
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_ses as ses
    from aws_cdk import aws_sns as sns

    app = App(outdir=outdir)
    stack = stream = topic = role = None
    for i in range(n):
        if i % L2_SHARED_SETS_PER_STACK == 0:
            stack = Stack(app, f"Shared-{i // L2_SHARED_SETS_PER_STACK + 1}")
            bucket = s3.Bucket(stack, "Events")
            stream = firehose.DeliveryStream(stack, "Stream", destination=firehose.S3Bucket(bucket))
            topic = sns.Topic(stack, "Alerts")
            # one role for every set, as the ses-events archive has (without it the L2 makes a
            # role per set)
            role = iam.Role(stack, "SesRole", assumed_by=iam.ServicePrincipal("ses.amazonaws.com"))
            stream.grant_put_records(role)
        assert stack is not None and stream is not None and topic is not None
        name = f"tenant-{i:05d}"
        cs = ses.ConfigurationSet(stack, name, configuration_set_name=name)
        cs.add_event_destination(
            "metrics",
            destination=ses.EventDestination.cloud_watch_dimensions(
                [
                    ses.CloudWatchDimension(
                        name="ses:configuration-set",
                        source=ses.CloudWatchDimensionSource.MESSAGE_TAG,
                        default_value="unknown",
                    )
                ]
            ),
        )
        cs.add_event_destination(
            "archive",
            destination=ses.EventDestination.firehose_delivery_stream(
                delivery_stream=stream, role=role
            ),
        )
        cs.add_event_destination(
            "alerts",
            destination=ses.EventDestination.sns_topic(topic),
            events=[ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
        )
    app.synth()


def _synth_baseline(n: int, outdir: str) -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_kinesisfirehose as firehose
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_ses as ses
    from aws_cdk import aws_sns as sns

    app = App(outdir=outdir)
    stack = bucket = topic = None
    for i in range(n):
        if i % BASELINE_SETS_PER_STACK == 0:
            stack = Stack(app, f"Baseline-{i // BASELINE_SETS_PER_STACK + 1}")
            bucket = s3.Bucket(stack, "Events")
            topic = sns.Topic(stack, "Alerts")
        assert stack is not None and bucket is not None and topic is not None
        name = f"tenant-{i:05d}"
        cs = ses.ConfigurationSet(stack, name, configuration_set_name=name)
        cs.add_event_destination(
            "metrics",
            destination=ses.EventDestination.cloud_watch_dimensions(
                [
                    ses.CloudWatchDimension(
                        name="ses:configuration-set",
                        source=ses.CloudWatchDimensionSource.MESSAGE_TAG,
                        default_value="unknown",
                    )
                ]
            ),
        )
        stream = firehose.DeliveryStream(
            stack, f"{name}-stream", destination=firehose.S3Bucket(bucket)
        )
        cs.add_event_destination(
            "archive",
            destination=ses.EventDestination.firehose_delivery_stream(delivery_stream=stream),
        )
        cs.add_event_destination(
            "alerts",
            destination=ses.EventDestination.sns_topic(topic),
            events=[ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
        )
    app.synth()


def _synth_empty(outdir: str) -> None:
    """The floor of any CDK app in Python: start-up, one empty stack, synth."""
    from aws_cdk import App, Stack

    app = App(outdir=outdir)
    Stack(app, "Empty")
    app.synth()


def _synth_included(templates_dir: str, outdir: str) -> None:
    """The floor of any app that goes through aws-cdk-lib: the finished templates of
    ses-events-plain, each read back with ``CfnInclude`` into a stack, and synthesized."""
    from aws_cdk import App, Stack
    from aws_cdk import cloudformation_include as cfn_include

    app = App(outdir=outdir)
    for template in sorted(Path(templates_dir).glob("*.template.json")):
        # the synthesizer adds its own bootstrap version check to every stack
        body = json.loads(template.read_text())
        body.get("Parameters", {}).pop("BootstrapVersion", None)
        body.get("Rules", {}).pop("CheckBootstrapVersion", None)
        cleaned = Path(outdir).parent / f"included-{template.name}"
        cleaned.write_text(json.dumps(body))
        stack = Stack(app, template.name.split(".")[0])
        cfn_include.CfnInclude(stack, "Template", template_file=str(cleaned))
    app.synth()


def _child(kind: str, n: int, outdir: str) -> None:
    if kind == "empty-app":
        _synth_empty(outdir)
    elif kind.startswith("cfn-include"):
        _synth_included(str(Path(outdir).parent / "templates"), outdir)
    elif kind.startswith("ses-events"):
        # the spec, written by the parent before the clock started (a team's spec exists already)
        _synth_ses_events(str(Path(outdir).parent / "bench.yaml"), outdir)
    elif kind == "l2-shared":
        _synth_l2_shared(n, outdir)
    else:
        _synth_baseline(n, outdir)


def measure(kind: str, n: int) -> dict[str, float | int]:
    """Run one synth in a fresh process; return its time, peak memory and assembly figures."""
    with tempfile.TemporaryDirectory() as work:
        outdir = str(Path(work) / "cdk.out")
        if kind.startswith("cfn-include"):  # the templates to read back, made before the clock
            import yaml

            spec = _spec(n)
            spec["monitoring"] = {"enabled": False}
            if kind == "cfn-include-tenants":
                spec = _with_tenants(spec, n)
            (Path(work) / "bench.yaml").write_text(yaml.safe_dump(spec))
            _run_child("ses-events-plain", n, str(Path(work) / "templates"))
        if kind.startswith("ses-events"):
            import yaml

            spec = _spec(n)
            if kind == "ses-events-plain":
                spec["monitoring"] = {"enabled": False}
            if kind == "ses-events-tenants":
                spec = _with_tenants(spec, n)
            dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
            (Path(work) / "bench.yaml").write_text(yaml.dump(spec, Dumper=dumper))
        seconds, peak, done = run_measured(
            [sys.executable, __file__, "--child", kind, str(n), outdir], cwd=ROOT
        )
        if done.returncode != 0:
            raise RuntimeError(f"{kind} N={n} failed:\n{(done.stdout + done.stderr)[-3000:]}")
        templates = list(Path(outdir).glob("*.template.json"))
        resources = sum(len(json.loads(t.read_text()).get("Resources", {})) for t in templates)
        return {
            "seconds": seconds,
            "peak_mib": peak / 2**20,
            "stacks": len(templates),
            "resources": resources,
            "template_bytes": sum(t.stat().st_size for t in templates),
        }


KINDS = (
    "ses-events",
    "baseline",
    "ses-events-plain",
    "l2-shared",
    "cfn-include",
    "empty-app",
    "ses-events-tenants",
    "cfn-include-tenants",
)


def median_of(runs: int, kind: str, n: int) -> dict[str, float | int]:
    """``runs`` measurements of one row: the median time and the median peak memory (runs are
    interleaved with nothing else; the machine's noise is what the median is for)."""
    measured = [measure(kind, n) for _ in range(runs)]
    middle = runs // 2
    result = dict(sorted(measured, key=lambda r: r["seconds"])[middle])
    result["peak_mib"] = sorted(r["peak_mib"] for r in measured)[middle]
    result["runs"] = runs
    return result


def _run_child(kind: str, n: int, outdir: str) -> None:
    """Run a child synth without measuring it (for the inputs of another measurement)."""
    import subprocess

    subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n), outdir],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**__import__("os").environ, "SES_EVENTS_QUIET": "1"},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000, 10000])
    parser.add_argument(
        "--baseline-up-to",
        type=int,
        default=10000,
        help="run the baseline only up to this N (it is slow at 10,000)",
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure the floors: an empty app, and CfnInclude of the finished templates",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per row; the median time and the median peak are shown (default 1)",
    )
    parser.add_argument(
        "--kinds",
        nargs="+",
        choices=KINDS,
        help="only these rows (default: all that the other options ask for)",
    )
    parser.add_argument(
        "--tenants",
        action="store_true",
        help="also measure a tenant per set (monitoring off) beside its floor, CfnInclude of"
        " the same templates",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n, outdir = args.child
        _child(kind, int(n), outdir)
        return 0
    rows = []
    header = (
        f"{'N':>6} {'impl':<16} {'seconds':>8} {'peak MiB':>9} {'stacks':>6}"
        f" {'res/set':>7} {'template KiB':>12} {'time ratio':>24}"
    )
    print(header, flush=True)
    # each ses-events row is compared with the row that does its work, or more
    compared = {
        "ses-events": "baseline",
        "ses-events-plain": "l2-shared",
        "cfn-include": "l2-shared",
        "empty-app": "l2-shared",
        "ses-events-tenants": "cfn-include-tenants",
    }
    for n in args.sizes:
        kinds = ["ses-events"]
        if n <= args.baseline_up_to:
            kinds.append("baseline")
        kinds.append("ses-events-plain")
        if n <= args.baseline_up_to:
            kinds.append("l2-shared")
        if args.floor:
            kinds += ["cfn-include", "empty-app"]
        if args.tenants:
            kinds += ["ses-events-tenants", "cfn-include-tenants"]
        if args.kinds:
            kinds = [k for k in KINDS if k in args.kinds]
        results = {kind: median_of(args.repeat, kind, n) for kind in kinds}
        for kind, r in results.items():
            against = compared.get(kind)
            ratio = (
                f"{r['seconds'] / results[against]['seconds']:.2f}x of {against}"
                if against in results
                else ""
            )
            print(
                f"{n:>6} {kind:<16} {r['seconds']:>8.1f} {r['peak_mib']:>9.0f} {r['stacks']:>6}"
                f" {r['resources'] / n:>7.2f} {r['template_bytes'] / 1024:>12.0f} {ratio:>24}",
                flush=True,
            )
            rows.append({"n": n, "implementation": kind, **r})
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
