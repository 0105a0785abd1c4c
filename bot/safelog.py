"""Logging an exception without what it says: its message can carry SQL parameters or a
request's fields, that is, a person's words or a chat id (SEC-18)."""

from __future__ import annotations


def describe(exc: BaseException) -> str:
    """The exception's type and the line it was raised at, e.g. for an operator to find."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return type(exc).__name__
    return f"{type(exc).__name__} at {tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
