"""``ses-events send-test``: tagged test emails to the SES mailbox simulator, to exercise a pipeline.

The mailbox simulator ("Using the mailbox simulator",
https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator)
answers each address with one outcome, and SES publishes the matching events through the
configuration set: ``success`` (delivery), ``bounce`` (hard bounce), ``complaint``,
``suppressionlist`` (a bounce, as if on the global suppression list) and ``ooto`` (an
out-of-office reply, delivered). Mail to the simulator counts towards the sending quota but not
towards bounce and complaint rates.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any, TextIO

from ses_events import rules
from ses_events.errors import SesEventsValidationError
from ses_events.sending import MissingDimensionTagWarning, TaggedSending

__all__ = ["SIMULATOR_ADDRESSES", "add_arguments", "run"]

SIMULATOR_ADDRESSES = {
    "success": "success@simulator.amazonses.com",
    "bounce": "bounce@simulator.amazonses.com",
    "complaint": "complaint@simulator.amazonses.com",
    "suppressionlist": "suppressionlist@simulator.amazonses.com",
    "ooto": "ooto@simulator.amazonses.com",
}


def _tag(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    return name, value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ses_events.cli.arguments import (
        add_ses_client_arguments,
        configuration_set_name,
        email_address,
        pattern,
        spec_file,
    )

    parser.add_argument(
        "--configuration-set",
        required=True,
        type=configuration_set_name,
        help="configuration set to send through",
    )
    parser.add_argument(
        "--from",
        dest="sender",
        required=True,
        type=email_address,
        help="verified sender address (or an address of a verified domain)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SIMULATOR_ADDRESSES),
        help="mailbox simulator outcome; repeat for several (default: all five)",
    )
    parser.add_argument(
        "--tag",
        action="append",
        type=_tag,
        default=[],
        metavar="NAME=VALUE",
        help="message tag; repeat for several",
    )
    parser.add_argument(
        "--tenant",
        type=pattern(rules.TENANT_NAME, "tenant name"),
        help="SES tenant to send for (TenantName; adds the message tag tenant=NAME)",
    )
    parser.add_argument(
        "--spec",
        type=spec_file,
        help="spec file: warn when a tag its CloudWatch dimensions read is missing",
    )
    parser.add_argument(
        "--strict-tags",
        action="store_true",
        help="with --spec, fail instead of warning about a missing dimension tag",
    )
    add_ses_client_arguments(parser)


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Send the test emails; 0 when all were accepted, 1 when any failed, 2 for bad input."""
    out = out or sys.stdout
    err = err or sys.stderr
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoRegionError

    if args.strict_tags and not args.spec:
        from ses_events.cli.arguments import UsageError

        raise UsageError(
            "--strict-tags", "--strict-tags", "needs --spec, whose dimensions name the tags"
        )
    try:
        sending = TaggedSending(args.configuration_set, dict(args.tag), tenant=args.tenant)
        if args.spec:
            from ses_events.cli.arguments import load_spec_argument

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", MissingDimensionTagWarning)
                spec = load_spec_argument(args.spec)
                sending.missing_dimension_tags(spec, strict=args.strict_tags)
            for warning in caught:
                print(f"warning: {warning.message}", file=err)
    except SesEventsValidationError as error:
        print(f"ses-events send-test: {error}", file=err)
        return 2

    scenarios = args.scenario or list(SIMULATOR_ADDRESSES)
    try:
        client: Any = boto3.client("sesv2", region_name=args.region, endpoint_url=args.endpoint_url)
    except NoRegionError:
        print(
            "ses-events send-test: argument --region: missing: no AWS Region is configured;"
            " give --region, or set AWS_DEFAULT_REGION (local-deploy --keep-running prints it)",
            file=err,
        )
        return 2
    try:
        client.get_configuration_set(ConfigurationSetName=sending.configuration_set)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "NotFoundException":
            print(
                f"ses-events send-test: configuration set {sending.configuration_set!r} does not"
                f" exist in {client.meta.region_name}: deploy it first",
                file=err,
            )
        else:
            print(f"ses-events send-test: {code}: {error}", file=err)
        return 1
    except BotoCoreError as error:
        print(f"ses-events send-test: cannot reach SES: {error}", file=err)
        return 1

    tags = ", ".join(f"{n}={v}" for n, v in sending.tags.items()) or "no tags"
    print(
        f"Sending {len(scenarios)} test emails from {args.sender} through configuration set"
        f" {sending.configuration_set!r} ({tags}) in {client.meta.region_name}:",
        file=out,
    )
    sent = 0
    refused_sender = False
    for number, scenario in enumerate(scenarios, start=1):
        address = SIMULATOR_ADDRESSES[scenario]
        prefix = f"  [{number}/{len(scenarios)}] {scenario:<15} {address}"
        try:
            response = client.send_email(
                FromEmailAddress=args.sender,
                Destination={"ToAddresses": [address]},
                Content={
                    "Simple": {
                        "Subject": {"Data": f"ses-events test: {scenario}"},
                        "Body": {
                            "Text": {
                                "Data": f"A {scenario} test of configuration set"
                                f" {sending.configuration_set}, sent by ses-events send-test."
                            }
                        },
                    }
                },
                **sending.sesv2_arguments(),
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Error")
            message = error.response.get("Error", {}).get("Message", str(error))
            print(f"{prefix}  FAILED {code}: {message}", file=out)
            if code == "MessageRejected" and "not verified" in message and not refused_sender:
                refused_sender = True
                print(f"  {_verified_identities(client, args.sender)}", file=out)
            continue
        except BotoCoreError as error:
            print(f"{prefix}  FAILED: {error}", file=out)
            continue
        sent += 1
        print(f"{prefix}  sent, message id {response['MessageId']}", file=out)
    failed = len(scenarios) - sent
    print(
        f"{sent} of {len(scenarios)} sent"
        + (f", {failed} failed." if failed else ".")
        + (" SES publishes their events to the set's destinations within minutes." if sent else ""),
        file=out,
    )
    return 0 if not failed else 1


def _verified_identities(client: Any, sender: str) -> str:
    """What to tell a user whose sender SES refused as not verified: the identities that are."""
    from botocore.exceptions import BotoCoreError, ClientError

    region = client.meta.region_name
    try:
        found: list[dict[str, Any]] = []
        token: dict[str, str] = {}
        # ListEmailIdentities has no botocore paginator; PageSize "at least 0, and can be no more
        # than 1000" (SES API v2 reference, ListEmailIdentities)
        while True:
            page = client.list_email_identities(PageSize=1000, **token)
            found += page.get("EmailIdentities", [])
            if not page.get("NextToken"):
                break
            token = {"NextToken": page["NextToken"]}
    except (BotoCoreError, ClientError):
        return f"SES has not verified {sender} in {region} (the identities could not be listed)"
    verified = sorted(
        item["IdentityName"]
        for item in found
        if item.get("VerificationStatus", "SUCCESS") == "SUCCESS"
        and item.get("SendingEnabled", True)
    )
    if not verified:
        return f"no identity is verified in {region}: verify {sender} or its domain first"
    return (
        f"SES has not verified {sender} in {region}; --from must be one of these or an address"
        f" of a verified domain: {', '.join(verified)}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from ses_events.cli.arguments import Parser, UsageError, fail

    parser = Parser(prog="ses-events send-test", description=__doc__)
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except UsageError as error:
        return fail(parser.prog, error)
