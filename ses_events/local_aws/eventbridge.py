"""EventBridge targets the local AWS delivers to beyond moto's own: Step Functions and SNS.

moto matches events against rules and delivers to logs, SQS and other buses; the breaker's rules
start a state machine and SES's sending-status rule publishes to a topic. This adds both:

- a ``states`` target starts an execution of the state machine with the target's input, and the
  execution runs for real: moto's Step Functions interpreter (the ASL parser moto took from
  LocalStack) runs each state, and its SDK tasks (``aws-sdk:sesv2:...``) and ``sns:publish``
  call this same local AWS;
- an ``sns`` target publishes the target's input to the topic.

The input transformer is applied as EventBridge applies it: a placeholder inside a JSON string
is replaced by the value's text, a placeholder outside one by the value as JSON ("Amazon
EventBridge input transformation",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
IAM is not evaluated here (the target's role is not checked), as nowhere in the local AWS.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from typing import Any

__all__ = ["executions", "install", "transform", "use_port", "wait_for_executions"]

_LOCK = threading.Lock()
_STARTED: list[tuple[str, str, str]] = []  # (account, region, execution ARN), in order


def transform(template: str | None, paths: dict[str, str], event: dict[str, Any]) -> Any:
    """The target input: ``template`` with each ``<name>`` of ``paths`` filled in from
    ``event``; no template: the whole event."""
    if not template:
        return event
    values = {name: _at(event, path) for name, path in paths.items()}
    values["aws.events.event.json"] = event
    out: list[str] = []
    in_string = False
    at = 0
    while at < len(template):
        char = template[at]
        if char == "\\" and in_string:
            out.append(template[at : at + 2])
            at += 2
            continue
        if char == '"':
            in_string = not in_string
        elif char == "<":
            end = template.find(">", at)
            name = template[at + 1 : end] if end > 0 else ""
            if name in values:
                value = values[name]
                if in_string:
                    text = value if isinstance(value, str) else json.dumps(value)
                    out.append(json.dumps("" if value is None else text)[1:-1])
                else:
                    out.append(json.dumps(value))
                at = end + 1
                continue
        out.append(char)
        at += 1
    return json.loads("".join(out))


def _at(event: dict[str, Any], path: str) -> Any:
    """The value at a JSONPath of the simple form EventBridge rules use (``$.a.b``)."""
    if path == "$":
        return event
    if not path.startswith("$."):
        from jsonpath_ng.ext import parse  # type: ignore[attr-defined] # moto's dependency

        found = parse(path).find(event)
        return found[0].value if found else None
    node: Any = event
    for key in path[2:].split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def install() -> None:
    """Deliver to ``states`` and ``sns`` targets (once per process)."""
    from moto.events.models import Rule

    if getattr(Rule.send_to_targets, "_ses_events", False):
        return
    original = Rule.send_to_targets

    def send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> None:
        if not self.event_pattern.matches_event(original_event):
            return
        ours = [t for t in self.targets if _service(t["Arn"]) in ("states", "sns")]
        for target in ours:
            transformer = target.get("InputTransformer") or {}
            if "Input" in target:
                body: Any = json.loads(target["Input"])
            else:
                body = transform(
                    transformer.get("InputTemplate"),
                    transformer.get("InputPathsMap") or {},
                    original_event,
                )
            if _service(target["Arn"]) == "states":
                _start(self.account_id, self.region_name, target["Arn"], body)
            else:
                _publish(self.account_id, self.region_name, target["Arn"], body)
        rest = [t for t in self.targets if t not in ours]
        if rest:
            kept = self.targets
            self.targets = rest
            try:
                original(self, original_event, transform_input)
            finally:
                self.targets = kept

    setattr(send_to_targets, "_ses_events", True)  # noqa: B010 - a marker on a function
    Rule.send_to_targets = send_to_targets


def _service(arn: str) -> str:
    return arn.split(":", 3)[2]


def _start(account: str, region: str, arn: str, body: Any) -> None:
    """Start an execution of the state machine (created by CloudFormation in moto's plain Step
    Functions backend) in moto's interpreter, which runs it."""
    from moto.stepfunctions.models import stepfunctions_backends
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    runner = stepfunctions_parser_backends[account][region]
    known = {m.arn for m in runner.state_machines}
    if arn not in known:
        machine = stepfunctions_backends[account][region].describe_state_machine(arn)
        runner.create_state_machine(
            name=machine.name, definition=machine.definition, roleArn=machine.roleArn
        )
    execution = runner.start_execution(arn, name=uuid.uuid4().hex, execution_input=json.dumps(body))
    with _LOCK:
        _STARTED.append((account, region, execution.exec_arn))


def _publish(account: str, region: str, arn: str, body: Any) -> None:
    from moto.sns.models import sns_backends

    message = body if isinstance(body, str) else json.dumps(body)
    sns_backends[account][region].publish(message=message, arn=arn)


def executions(account: str, region: str) -> list[dict[str, Any]]:
    """The executions EventBridge started here, oldest first: ARN, state machine, status, input
    and (done) output or error."""
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    runner = stepfunctions_parser_backends[account][region]
    with _LOCK:
        started = [arn for a, r, arn in _STARTED if (a, r) == (account, region)]
    found = []
    for arn in started:
        described = runner.describe_execution(arn).to_describe_output()
        found.append(
            {
                "executionArn": arn,
                "stateMachineArn": described.get("stateMachineArn"),
                "status": described.get("status"),
                "input": json.loads(described.get("input") or "null"),
                "error": described.get("error"),
                "cause": described.get("cause"),
            }
        )
    return found


def wait_for_executions(account: str, region: str, timeout: float = 30) -> list[dict[str, Any]]:
    """:func:`executions`, once none is running (or ``timeout`` seconds have passed)."""
    deadline = time.monotonic() + timeout
    while True:
        found = executions(account, region)
        if all(e["status"] != "RUNNING" for e in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def use_port(port: int | None) -> int | None:
    """Point moto's Step Functions interpreter's SDK clients at the local AWS on ``port``
    (``None``: unset); returns the port it used before."""
    previous = os.environ.get("MOTO_PORT")
    if port is None:
        os.environ.pop("MOTO_PORT", None)
    else:
        os.environ["MOTO_PORT"] = str(port)
    return int(previous) if previous else None
