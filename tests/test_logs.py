"""SEC-18 and SEC-20: log lines cannot carry a bot token or forge extra lines."""

from __future__ import annotations

import logging

from youthvoice.logs import RedactingFormatter


def _format(message: str, *args: object) -> str:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, message, args, None)
    return RedactingFormatter("%(message)s").format(record)


def test_a_bot_token_is_redacted_wherever_it_appears() -> None:
    line = _format("GET https://api.telegram.org/bot123456:AAH-secret_part/getMe")
    assert "AAH-secret_part" not in line and "bot<REDACTED>/getMe" in line


def test_line_breaks_in_values_cannot_forge_log_lines() -> None:
    line = _format("input was %s", "ok\n[ERROR] forged")
    assert "\n" not in line and "\\n[ERROR] forged" in line
