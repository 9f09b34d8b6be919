"""Message tags for senders, and `ses-events send-test`, against moto's SES."""

from __future__ import annotations

import email
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from ses_events import SesEventsValidationError, rules
from ses_events.cli import main as ses_events_main
from ses_events.sending import MissingDimensionTagWarning, TaggedSending, dimension_tags
from ses_events.spec import EXAMPLE_SPEC, load_spec

SENDER = "news@example.com"


def test_arguments_for_the_ses_apis() -> None:
    sending = TaggedSending("marketing", {"campaign": "spring-sale", "team": "growth"})
    assert sending.sesv2_arguments() == {
        "ConfigurationSetName": "marketing",
        "EmailTags": [
            {"Name": "campaign", "Value": "spring-sale"},
            {"Name": "team", "Value": "growth"},
        ],
    }
    assert sending.ses_v1_arguments() == {
        "ConfigurationSetName": "marketing",
        "Tags": [
            {"Name": "campaign", "Value": "spring-sale"},
            {"Name": "team", "Value": "growth"},
        ],
    }


def test_smtp_headers_in_the_syntax_ses_documents() -> None:
    headers = TaggedSending(
        "marketing", {"campaign": "spring-sale", "team": "growth"}
    ).smtp_headers()
    assert headers == {
        "X-SES-CONFIGURATION-SET": "marketing",
        "X-SES-MESSAGE-TAGS": "campaign=spring-sale, team=growth",
    }
    assert TaggedSending("marketing").smtp_headers() == {"X-SES-CONFIGURATION-SET": "marketing"}
    message = email.message.EmailMessage()
    for name, value in headers.items():
        message[name] = value
    parsed = email.message_from_string(message.as_string())
    assert parsed["X-SES-MESSAGE-TAGS"] == "campaign=spring-sale, team=growth"


@pytest.mark.parametrize(
    ("name", "tags", "message"),
    [
        ("bad set", {}, r"configuration_set = 'bad set': must be 1 to 64 ASCII letters"),
        ("m", {"camp aign": "x"}, r"tags\['camp aign'\] \(name\) = 'camp aign': must be 1 to 256"),
        ("m", {"campaign": "spring sale"}, r"tags\['campaign'\] = 'spring sale': must be 1 to 256"),
        ("m", {"campaign": ""}, r"tags\['campaign'\] = '': must be 1 to 256"),
        (
            "m",
            {"campaign": "x" * 257},
            r"tags\['campaign'\] = 'xxx.*\(259 characters\): must be 1 to 256",
        ),
        ("m", {"ses:from-domain": "x"}, r"the 'ses:' prefix belongs to SES's automatic tags"),
    ],
)
def test_invalid_tags_are_refused_with_the_rule(
    name: str, tags: dict[str, str], message: str
) -> None:
    with pytest.raises(SesEventsValidationError, match=message):
        TaggedSending(name, tags)


def test_a_tag_of_256_characters_is_accepted() -> None:
    assert TaggedSending("m", {"c" * 256: "v" * 256}).tags == {"c" * 256: "v" * 256}


def test_dimension_tag_check_warns_or_fails() -> None:
    spec = load_spec(EXAMPLE_SPEC)
    # marketing's metrics read the message tag campaign; headers, link tags and ses: tags are not
    # message tags. Both sets are tenants' sets, so their tenant metrics read the tenant tag.
    tenant = {rules.TENANT_TAG: rules.TENANT_DIMENSION_DEFAULT}
    assert dimension_tags(spec, "marketing") == {"campaign": "none", **tenant}
    assert dimension_tags(spec, "transactional") == tenant
    sending = TaggedSending("marketing", {"team": "growth"})
    with pytest.warns(MissingDimensionTagWarning, match="SES publishes the default value 'none'"):
        assert sending.missing_dimension_tags(spec) == {"campaign": "none", **tenant}
    assert (
        TaggedSending("marketing", {"campaign": "x"}, tenant="acme").missing_dimension_tags(spec)
        == {}
    )  # the tenant's mail carries its tag
    with pytest.raises(SesEventsValidationError, match=r"tags\['campaign'\] = '\(missing\)'"):
        sending.missing_dimension_tags(spec, strict=True)
    with pytest.warns(MissingDimensionTagWarning, match="default value 'no-tenant'"):
        assert TaggedSending("marketing", {"campaign": "x"}).missing_dimension_tags(spec) == tenant
    with pytest.raises(SesEventsValidationError, match="must be a configuration set of the spec"):
        dimension_tags(spec, "nope")


# -- against moto ---------------------------------------------------------------------------


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto's SES with a verified sender and the configuration set ``marketing``."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("sesv2", region_name="eu-west-1")
        client.create_email_identity(EmailIdentity=SENDER)
        client.create_configuration_set(ConfigurationSetName="marketing")
        yield client


def _requests(client: Any) -> list[dict[str, Any]]:
    """Bodies of the SendEmail requests boto3 sends, as they went on the wire."""
    seen: list[dict[str, Any]] = []
    client.meta.events.register(
        "before-send.sesv2.SendEmail",
        lambda request, **_: seen.append(json.loads(request.body)),
    )
    return seen


def test_send_email_with_the_built_arguments(ses: Any) -> None:
    seen = _requests(ses)
    sending = TaggedSending("marketing", {"campaign": "spring-sale"})
    response = ses.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
        **sending.sesv2_arguments(),
    )
    assert response["MessageId"]
    (body,) = seen
    assert body["ConfigurationSetName"] == "marketing"
    assert body["EmailTags"] == [{"Name": "campaign", "Value": "spring-sale"}]


def _send_test(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = ses_events_main(["send-test", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_send_test_sends_each_scenario_and_summarizes(
    ses: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _requests_for_cli(monkeypatch)
    code, out, err = _send_test(
        ["--configuration-set", "marketing", "--from", SENDER, "--tag", "campaign=spring-sale"],
        capsys,
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"Sending 5 test emails from {SENDER} through configuration set 'marketing'"
        " (campaign=spring-sale) in eu-west-1:"
    )
    for number, scenario in enumerate(
        ["success", "bounce", "complaint", "suppressionlist", "ooto"], 1
    ):
        assert lines[number].startswith(f"  [{number}/5] {scenario}")
        assert f"{scenario}@simulator.amazonses.com" in lines[number]
        assert "sent, message id " in lines[number]
    assert lines[-1].startswith("5 of 5 sent.")
    assert [b["Destination"]["ToAddresses"][0].split("@")[0] for b in seen] == [
        "success",
        "bounce",
        "complaint",
        "suppressionlist",
        "ooto",
    ]
    assert all(b["EmailTags"] == [{"Name": "campaign", "Value": "spring-sale"}] for b in seen)


def _requests_for_cli(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Capture SendEmail bodies of every sesv2 client the command creates."""
    seen: list[dict[str, Any]] = []
    real_client = boto3.client

    def client(*args: Any, **kwargs: Any) -> Any:
        made = real_client(*args, **kwargs)
        made.meta.events.register(
            "before-send.sesv2.SendEmail",
            lambda request, **_: seen.append(json.loads(request.body)),
        )
        return made

    monkeypatch.setattr(boto3, "client", client)
    return seen


def test_send_test_reports_failures_and_exits_non_zero(
    ses: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _send_test(
        [
            "--configuration-set",
            "marketing",
            "--from",
            "nobody@unverified.example",
            "--scenario",
            "bounce",
        ],
        capsys,
    )
    assert code == 1
    assert "[1/1] bounce" in out and "FAILED MessageRejected" in out
    assert out.splitlines()[-1] == "0 of 1 sent, 1 failed."


def test_send_test_refuses_a_missing_configuration_set(
    ses: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _send_test(["--configuration-set", "nope", "--from", SENDER], capsys)
    assert (code, out) == (1, "")
    assert err == (
        "ses-events send-test: configuration set 'nope' does not exist in eu-west-1: deploy it"
        " first\n"
    )


def test_send_test_checks_tags_against_the_spec(
    ses: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--configuration-set", "marketing", "--from", SENDER, "--spec", str(EXAMPLE_SPEC)]
    code, out, err = _send_test([*args, "--scenario", "success"], capsys)
    assert code == 0
    assert err.startswith("warning: sending with configuration set 'marketing': tags['campaign']")
    code, out, err = _send_test([*args, "--strict-tags"], capsys)
    assert (code, out) == (2, "")
    assert "SES publishes the default value 'none'" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", SENDER], "the following arguments are required: --configuration-set"),
        (
            ["--configuration-set", "m", "--from", SENDER, "--scenario", "spam"],
            "argument --scenario: invalid choice: 'spam'",
        ),
        (
            ["--configuration-set", "m", "--from", SENDER, "--tag", "campaign"],
            "'campaign' is not NAME=VALUE",
        ),
        (
            ["--configuration-set", "m", "--from", SENDER, "--tag", "ses:x=1"],
            "the 'ses:' prefix belongs to SES's automatic tags",
        ),
    ],
)
def test_bad_arguments_get_a_clear_message_and_a_non_zero_exit(
    args: list[str], message: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ses_events", "send-test", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PATH": "", "AWS_DEFAULT_REGION": "eu-west-1"},
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- found by mutation testing (scripts/mutation.sh sending) ------------------------------------


def test_the_callers_tags_changed_after_the_check_change_nothing() -> None:
    tags = {"campaign": "spring-sale"}
    sending = TaggedSending("marketing", tags)
    tags["campaign"] = "bad value\r\nBcc: x@example.com"
    tags["extra"] = "x"
    assert dict(sending.tags) == {"campaign": "spring-sale"}
    assert sending.smtp_headers()["X-SES-MESSAGE-TAGS"] == "campaign=spring-sale"
    with pytest.raises(TypeError):
        sending.tags["campaign"] = "changed"  # type: ignore[index]


@pytest.mark.parametrize("placeholder", ["${Token[TOKEN.12]}", "#{Token[TOKEN.3]}"])
def test_a_token_placeholder_is_no_name_to_send_with(placeholder: str) -> None:
    """Sending needs the real values: a CDK token's placeholder is refused like any bad name."""
    with pytest.raises(SesEventsValidationError) as caught:
        TaggedSending(placeholder)
    assert [p.field for p in caught.value.problems] == ["configuration_set"]
    with pytest.raises(SesEventsValidationError) as caught:
        TaggedSending("marketing", {"campaign": placeholder})
    assert [p.field for p in caught.value.problems] == ["tags['campaign']"]


def test_ses_prefixed_tags_are_refused_and_the_other_tags_still_checked() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        TaggedSending("marketing", {"SES:from-domain": "x", "bad name": "v", "ok": "bad value"})
    problems = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert problems[0] == (
        "tags['SES:from-domain']",
        "SES:from-domain",
        "the 'ses:' prefix belongs to SES's automatic tags; SES adds those itself",
    )
    assert [field for field, _, _ in problems[1:]] == ["tags['bad name'] (name)", "tags['ok']"]
    assert caught.value.where == "sending with configuration set 'marketing'"


def test_dimension_tags_of_a_set_the_spec_does_not_have() -> None:
    spec = load_spec(EXAMPLE_SPEC)
    with pytest.raises(SesEventsValidationError) as caught:
        dimension_tags(spec, "nosuch")
    assert caught.value.where == "spec"
    ((field, value, rule),) = [(p.field, p.value, p.rule) for p in caught.value.problems]
    assert (field, value) == ("configuration_set", "nosuch")
    assert rule == "must be a configuration set of the spec: ['marketing', 'transactional']"


def test_the_missing_tag_warning_points_at_the_callers_line() -> None:
    import warnings

    spec = load_spec(EXAMPLE_SPEC)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MissingDimensionTagWarning)
        TaggedSending("marketing").missing_dimension_tags(spec)
    assert caught and all(w.filename == __file__ for w in caught)


# -- tenants (issue 21) ----------------------------------------------------------------------------


def test_mail_for_a_tenant_names_it_and_is_tagged_with_it() -> None:
    sending = TaggedSending("marketing", {"campaign": "spring"}, tenant="acme")
    assert sending.sesv2_arguments() == {
        "ConfigurationSetName": "marketing",
        "EmailTags": [
            {"Name": "campaign", "Value": "spring"},
            {"Name": "tenant", "Value": "acme"},
        ],
        "TenantName": "acme",
    }
    assert sending.smtp_headers() == {
        "X-SES-CONFIGURATION-SET": "marketing",
        "X-SES-TENANT": "acme",
        "X-SES-MESSAGE-TAGS": "campaign=spring, tenant=acme",
    }
    # the same tag given by the caller is fine; without a tenant nothing is added
    assert TaggedSending("m", {"tenant": "acme"}, tenant="acme").tags == {"tenant": "acme"}
    assert "TenantName" not in TaggedSending("m").sesv2_arguments()
    assert "X-SES-TENANT" not in TaggedSending("m").smtp_headers()


def test_a_tenant_tag_of_another_value_or_a_bad_tenant_name_is_refused() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        TaggedSending("m", {"tenant": "globex"}, tenant="acme")
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        (
            "tags['tenant']",
            "globex",
            "must be the tenant's name 'acme': the 'tenant' tag says which tenant a message's"
            " events belong to",
        )
    ]
    for name in ("", "a" * 65, "acme corp", "acme\n"):
        with pytest.raises(SesEventsValidationError) as caught:
            TaggedSending("m", tenant=name)
        assert caught.value.problems[0].field == "tenant"
    assert TaggedSending("m", tenant="a" * 64).tenant == "a" * 64


def test_the_ses_v1_api_cannot_send_for_a_tenant() -> None:
    with pytest.raises(SesEventsValidationError) as caught:
        TaggedSending("m", tenant="acme").ses_v1_arguments()
    assert caught.value.where == "sending with configuration set 'm'"
    assert [(p.field, p.value, p.rule) for p in caught.value.problems] == [
        (
            "tenant",
            "acme",
            "the SES API v1 has no TenantName: send with the SES API v2 (sesv2_arguments), or put"
            " smtp_headers() in a raw message",
        )
    ]
    assert TaggedSending("m").ses_v1_arguments() == {"ConfigurationSetName": "m", "Tags": []}
