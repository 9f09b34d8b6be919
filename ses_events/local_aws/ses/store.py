"""The local SES's state: the event destinations of each set, the messages sent, the mail of
each message (for opens and clicks), and the errors SES answers with.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.ses.models import ses_backends

_LOCK = threading.RLock()


# (account, region) -> configuration set name -> destination name -> destination (API v2 shape)
_DESTINATIONS: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = {}


# (account, region) -> recorded messages
_SENT: dict[tuple[str, str], list[dict[str, Any]]] = {}


# (account, region, message id) -> (configuration set, mail object): for opens and clicks
_MAILS: dict[tuple[str, str, str], tuple[str, dict[str, Any]]] = {}


class SesError(JsonRESTError):
    """An SES API v2 error, with the code and HTTP status the API reference gives."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(code, message)
        self.code = status


def _not_found(name: str) -> SesError:
    return SesError("NotFoundException", f"Configuration set <{name}> does not exist.", 404)


def _config_sets(account: str, region: str) -> dict[str, Any]:
    sets: dict[str, Any] = ses_backends[account][region].config_sets
    return sets


def destinations_of(account: str, region: str, configuration_set: str) -> list[dict[str, Any]]:
    """The event destinations of a configuration set, in the API v2 shape."""
    with _LOCK:
        if configuration_set not in _config_sets(account, region):
            raise _not_found(configuration_set)
        found = _DESTINATIONS.get((account, region), {}).get(configuration_set, {})
        return [json.loads(json.dumps(d)) for d in found.values()]


def sent_messages(account: str, region: str) -> list[dict[str, Any]]:
    """Messages sent through the local SES: id, configuration set and tags of each."""
    with _LOCK:
        return list(_SENT.get((account, region), []))


def _forget_set(account: str, region: str, configuration_set: str) -> None:
    with _LOCK:
        _DESTINATIONS.get((account, region), {}).pop(configuration_set, None)


def _bool(value: Any) -> bool:
    """A CloudFormation boolean (``true``, ``"true"``, ``"True"``) as Python's."""
    return value if isinstance(value, bool) else str(value).lower() == "true"
