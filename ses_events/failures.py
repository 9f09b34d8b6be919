"""One clear line for each failure a user can meet on the command line, never a traceback.

An AWS call that fails (refused, unreachable, no Region, no credentials) is named by its service
and operation, read from the botocore frames the error passed through (``_make_api_call`` holds
both; ``create_client`` the service); a file that cannot be read or written is named with the
reason; the spec's and the constructs' own errors already say where and what.
"""

from __future__ import annotations

from types import TracebackType

__all__ = ["aws_call", "failure_line"]


def aws_call(error: BaseException) -> tuple[str | None, str | None]:
    """``(service, operation)`` of the boto3 call that raised ``error``, as far as known."""
    service: str | None = None
    operation: str | None = None
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "_make_api_call":
            client = frame.f_locals.get("self")
            meta = getattr(client, "meta", None)
            service = getattr(getattr(meta, "service_model", None), "service_name", service)
            operation = frame.f_locals.get("operation_name", operation)
        elif frame.f_code.co_name == "create_client" and service is None:
            named = frame.f_locals.get("service_name")
            service = named if isinstance(named, str) else service
        tb = tb.tb_next
    return service, operation


def failure_line(error: BaseException) -> str | None:
    """The line to print for ``error``, or ``None`` when it is not a user's failure (a bug)."""
    from ses_events.errors import SesEventsValidationError

    if isinstance(error, SesEventsValidationError):
        return str(error)
    module = type(error).__module__
    if module.startswith(("botocore", "boto3")):
        service, operation = aws_call(error)
        call = " ".join(part for part in (service, operation) if part) or "AWS"
        message = " ".join(str(error).split())
        return f"AWS call failed: {call}: {message}"
    if module.startswith(("duckdb", "_duckdb")):  # DuckDB 2 raises from its _duckdb module
        return f"DuckDB: {' '.join(str(error).split())}"
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    return None
