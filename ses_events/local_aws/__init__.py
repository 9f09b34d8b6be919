"""A local AWS for offline work: deploy and test SES event publishing without an AWS account.

**A stand-in, not a production component.** It is moto 5.2.5 (``pip install
'ses-events[local]'``) in server mode on a free loopback port, extended where our stacks need it:

- SES (:mod:`.ses`): the API v2 event-destination operations that moto lacks, validated by the SES
  rules and quotas of :mod:`ses_events.rules` with the SES error codes, and the
  ``AWS::SES::ConfigurationSet`` / ``AWS::SES::ConfigurationSetEventDestination`` resources;
- CloudFormation (:mod:`.cloudformation`): the Firehose, CloudWatch alarm, bucket and topic policy,
  log stream and subscription resources; unknown resource types *fail* the deploy; failed change
  sets roll back; change-set outputs and error codes as the CDK CLI expects.

The constructs and stacks never import this package: deploying to a real account is plain
``cdk deploy``. Example::

    from ses_events.local_aws import LocalAws

    with LocalAws() as aws:                      # starts moto on 127.0.0.1:<free port>
        env = aws.environment()                  # AWS_ENDPOINT_URL, fake credentials, region
        subprocess.run(["npx", "cdk", "bootstrap", aws.bootstrap_target], env=env, check=True)
        subprocess.run(["npx", "cdk", "deploy", "--require-approval", "never"], env=env, check=True)
        boto3.client("sesv2", **aws.client_arguments()).list_configuration_sets()
"""

from __future__ import annotations

import logging
import os
import socket
import time
import urllib.request
import warnings
from types import TracebackType
from typing import Any

__all__ = ["ACCOUNT", "REGION", "LocalAws", "install"]

ACCOUNT = "123456789012"
"""The account moto serves (its default)."""
REGION = "us-east-1"


def install() -> None:
    """Extend moto with the local AWS's SES and CloudFormation support (once per process)."""
    from ses_events.local_aws import athena, cloudformation, eventbridge, ses

    ses.install()
    cloudformation.install()
    athena.install()
    eventbridge.install()
    _requests_count_as_tls()


_TLS_REQUEST = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
"""What a request to the local AWS counts as: HTTPS with TLS 1.3."""


def _requests_count_as_tls() -> None:
    """Evaluate bucket policies as for a TLS request.

    The local endpoint is plain HTTP on loopback, standing in for AWS's HTTPS endpoints. moto
    knows only the ``StringEquals`` condition operator and treats any other condition, and any
    condition whose key the request lacks, as met; so the usual "deny when aws:SecureTransport is
    false" statement (aws-cdk-lib's ``enforce_ssl``, the CDK bootstrap bucket) denied every
    request. Here ``Bool`` and ``NumericLessThan`` are evaluated, requests carry
    ``aws:SecureTransport=true`` and ``s3:TlsVersion=1.3``, and a Deny
    statement whose condition is not met does not apply (moto denied: it reads every unmet
    condition as a refusal, as for a trust policy).
    """
    from moto.iam import policy_conditions
    from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult
    from moto.s3.models import FakeBucket

    stock_statement = IAMPolicyStatement.is_action_permitted

    def statement_permits(
        self: IAMPolicyStatement,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> PermissionResult:
        result: PermissionResult = stock_statement(
            self, action, resource, principal, incoming_condition_values
        )
        statement = self._statement
        if (
            result == PermissionResult.DENIED
            and statement.get("Effect") == "Deny"
            and statement.get("Condition")
            and not self._check_conditions(incoming_condition_values)
        ):
            return PermissionResult.NEUTRAL
        return result

    IAMPolicyStatement.is_action_permitted = statement_permits

    def bool_operation(expected: list[str] | str, actual: str) -> bool:
        values = expected if isinstance(expected, list) else [expected]
        return str(actual).lower() in [str(v).lower() for v in values]

    def numeric_less_than(expected: list[str] | str, actual: str) -> bool:
        values = expected if isinstance(expected, list) else [expected]
        return any(float(actual) < float(v) for v in values)

    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", bool_operation)
    policy_conditions.CONDITION_OPERATIONS.setdefault("NumericLessThan", numeric_less_than)

    if getattr(FakeBucket.get_permission, "_ses_events", False):
        return

    def get_permission(self: FakeBucket, action: str, resource: str) -> object:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return IAMPolicy(self.policy.decode()).is_action_permitted(
            action, resource, incoming_condition_values=_TLS_REQUEST
        )

    setattr(get_permission, "_ses_events", True)  # noqa: B010 - a marker on a function
    FakeBucket.get_permission = get_permission


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LocalAws:
    """moto in server mode, extended, on a free loopback port; a context manager.

    Use ``http://localhost:<port>``, not ``127.0.0.1``: with an IP address, moto reads the S3
    bucket name from the host of the template URL the CDK CLI sends.

    :param region: the region clients and the CDK CLI use. Default: ``us-east-1``.
    :param port: the port. Default: a free one.
    """

    def __init__(self, *, region: str = REGION, port: int | None = None) -> None:
        self.region = region
        self.port = port or _free_port()
        self.account = ACCOUNT
        self._server: Any = None
        self._previous_port: int | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def bootstrap_target(self) -> str:
        """``aws://<account>/<region>`` for ``cdk bootstrap``."""
        return f"aws://{self.account}/{self.region}"

    def start(self) -> LocalAws:
        install()
        from moto.server import ThreadedMotoServer

        # One line per request, and moto's warning for the CDK metadata it rightly ignores, would
        # bury what the user runs this for.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        warnings.filterwarnings("ignore", message="Tried to parse AWS::CDK::Metadata")

        # moto's server waits for ever for a port it cannot bind: find out first
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError as error:
                raise RuntimeError(
                    f"port {self.port} on 127.0.0.1 is in use ({error.strerror}): choose another"
                    " port, or leave it out for a free one"
                ) from None
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        from ses_events.local_aws import eventbridge

        # state machines started here call this local AWS from their SDK tasks
        self._previous_port = eventbridge.use_port(self.port)
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1):
                    break
            except OSError as error:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"the local AWS did not start on {self.endpoint_url}"
                    ) from error
                time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
            from ses_events.local_aws import eventbridge

            eventbridge.use_port(self._previous_port)

    def __enter__(self) -> LocalAws:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """Environment for the CDK CLI and other AWS tools: endpoint, fake credentials, region.

        Credentials from ``base`` (or this process) are replaced so nothing reaches real AWS.
        """
        env = dict(os.environ if base is None else base)
        for key in list(env):
            if key.startswith("AWS_"):
                del env[key]
        env.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint_url,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        return env

    def client_arguments(self) -> dict[str, str]:
        """Keyword arguments for ``boto3.client(service, **...)`` against the local AWS."""
        return {
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            "aws_access_key_id": "local",
            "aws_secret_access_key": "local",
        }
