"""Athena over both of botocore's protocols.

botocore 1.44.18 (newer than 1.44.8, inside ``boto3>=1.44,<2``) moved Athena from the JSON
protocol (``POST /`` with ``X-Amz-Target: AmazonAthena.<Operation>``) to REST-JSON
(``GET /named-queries?WorkGroup=...``, ``GET /workgroups/{WorkGroup}``, ...). moto 5.2.5 and 5.2.6
route only ``/`` to Athena and answered the new requests with 404. Their Athena responses already
find the operation and its parameters through botocore's model of the installed release (URI
labels, query string and body), so here every path of the service is routed to them, with the
query string's numbers and booleans read as the model types them (moto expects ``MaxResults`` as
a number, as the JSON protocol sent it). The JSON protocol keeps working unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["REST_PATHS", "install"]

REST_PATHS = "{0}/(?P<rest_path>.+)$"
"""Every path below the root, in moto's url_paths notation (``{0}`` is the service's host)."""

_TYPED: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "long": int,
    "boolean": lambda text: text.lower() == "true",
}


def _rest_dispatch(request: Any, full_url: str, headers: Any) -> Any:
    from moto.athena.responses import AthenaResponse

    response = AthenaResponse()
    response.setup_class(request, full_url, headers)
    operation = response._get_action()
    if operation:
        from botocore.session import get_session

        model = get_session().get_service_model("athena").operation_model(operation)
        members = model.input_shape.members if model.input_shape is not None else {}
        for name, shape in members.items():
            convert = _TYPED.get(shape.type_name)
            location = shape.serialization.get("location")
            wire = shape.serialization.get("name", name)
            if convert is not None and location == "querystring" and wire in response.querystring:
                response.querystring[name] = [convert(v) for v in response.querystring[wire]]
    return response.call_action()


def install() -> None:
    """Route every Athena path to moto's Athena responses (idempotent)."""
    from moto.athena import urls

    urls.url_paths.setdefault(REST_PATHS, _rest_dispatch)
