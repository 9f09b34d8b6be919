"""SES for the local AWS: configuration sets and event destinations as SES models them.

Stock moto keeps configuration sets but has no SES API v2 event-destination operations, keeps only
the last v1 destination of a set, and ignores ``AWS::SES::*`` resources in CloudFormation. This
package adds, on top of moto's own configuration sets, a module per subject (the state in
:mod:`.store`; :mod:`.configuration_sets`, :mod:`.destinations`, :mod:`.sending`,
:mod:`.tenants`):

- the SES API v2 operations ``Create/Get/Update/DeleteConfigurationSetEventDestination(s)``,
  validated by the rules of the SES API reference (from :mod:`ses_events.rules`, the module the
  constructs use) and answered with its error codes: ``NotFoundException``,
  ``AlreadyExistsException``, ``LimitExceededException``, ``BadRequestException``;
- CloudFormation resources ``AWS::SES::ConfigurationSet`` and
  ``AWS::SES::ConfigurationSetEventDestination`` that go through the same checks;
- ``SendEmail`` that refuses an unknown configuration set or a bad message tag, and records the
  configuration set and tags of each message (:func:`sent_messages`).
"""

from __future__ import annotations

import json
from typing import Any

from moto.sesv2.responses import SESV2Response

from ses_events.local_aws.ses import sending, tenants
from ses_events.local_aws.ses.configuration_sets import (
    ConfigurationSetResource,
    _create_configuration_set,
    _delete_configuration_set,
)
from ses_events.local_aws.ses.destinations import (
    ConfigurationSetEventDestinationResource,
    _create_destination,
    _delete_destination,
    _get_destinations,
    _update_destination,
    delete_destination,
    put_destination,
)
from ses_events.local_aws.ses.sending import (
    _send_bulk_email,
    _send_email,
    _v1_send_email,
    _v1_send_raw_email,
    publish_message,
    simulate_engagement,
)
from ses_events.local_aws.ses.store import _DESTINATIONS, SesError, destinations_of, sent_messages

__all__ = [
    "ConfigurationSetEventDestinationResource",
    "ConfigurationSetResource",
    "SesError",
    "delete_destination",
    "destinations_of",
    "install",
    "publish_message",
    "put_destination",
    "sent_messages",
    "simulate_engagement",
]

_DESTINATIONS = _DESTINATIONS  # the store, for tests that look at it

_installed: list[bool] = []


def _put_sending_options(self: SESV2Response) -> str:
    """``PUT /v2/email/configuration-sets/{name}/sending``: ``SendingEnabled`` of an existing set
    (``NotFoundException`` otherwise)."""
    from urllib.parse import unquote

    from moto.ses.models import ses_backends

    name = unquote(self.path.split("?")[0].rstrip("/").split("/")[-2])
    sets = ses_backends[self.current_account][self.region].config_sets
    if name not in sets:
        raise SesError("NotFoundException", f"Configuration set <{name}> does not exist.", 404)
    body = json.loads(self.body or "{}")
    sets[name].enabled = bool(body.get("SendingEnabled", False))
    return "{}"


def install() -> None:
    """Add the operations above to moto's SES API v2 (once)."""
    if _installed:
        return
    SESV2Response.create_configuration_set_event_destination = _create_destination
    SESV2Response.update_configuration_set_event_destination = _update_destination
    SESV2Response.get_configuration_set_event_destinations = _get_destinations
    SESV2Response.delete_configuration_set_event_destination = _delete_destination
    SESV2Response.send_email = _send_email
    SESV2Response.send_bulk_email = _send_bulk_email
    from moto.ses.responses import EmailResponse

    sending._stock_v1_send_email = EmailResponse.send_email
    sending._stock_v1_send_raw_email = EmailResponse.send_raw_email
    EmailResponse.send_email = _v1_send_email
    EmailResponse.send_raw_email = _v1_send_raw_email
    # Routes for the server (moto's catch-all "/v2/.*" path does not match in server mode).
    from moto.sesv2 import urls

    base = "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations"
    urls.url_paths[base + "$"] = SESV2Response.dispatch
    urls.url_paths[base + "/(?P<EventDestinationName>[^/]+)$"] = SESV2Response.dispatch
    urls.url_paths["{0}/v2/email/outbound-bulk-emails$"] = SESV2Response.dispatch
    # moto stores SendingOptions whole where it means the flag, and answers a dict for a boolean.
    from moto.ses.models import ConfigurationSet

    stock_to_dict_v2 = ConfigurationSet.to_dict_v2

    def to_dict_v2(self: ConfigurationSet) -> dict[str, Any]:
        shown = stock_to_dict_v2(self)
        enabled = self.enabled
        if isinstance(enabled, dict):
            enabled = enabled.get("SendingEnabled", True)
        shown["SendingOptions"] = {"SendingEnabled": bool(enabled)}
        return shown

    ConfigurationSet.to_dict_v2 = to_dict_v2
    # PutConfigurationSetSendingOptions (moto lacks it): what an operator, or the breaker of an
    # account without tenants, pauses a set with
    SESV2Response.put_configuration_set_sending_options = _put_sending_options
    urls.url_paths["{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/sending$"] = (
        SESV2Response.dispatch
    )
    SESV2Response.delete_configuration_set = _delete_configuration_set
    SESV2Response.create_configuration_set = _create_configuration_set
    tenants.install()  # after the rest: it wraps SendEmail
    _installed.append(True)
