"""Logging that cannot leak: tokens redacted on every handler, HTTP client request logs
silenced (they carry the bot token in the URL), and line breaks escaped so input cannot
forge log lines (SEC-18, SEC-20). Nothing here logs text a young person typed."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

TOKEN = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
# PTB logs request parameters (chat ids, message text) at DEBUG: keep it at WARNING.
QUIET = ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite")


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        text = TOKEN.sub("bot<REDACTED>", text)
        return text.replace("\r", "\\r").replace("\n", "\\n")


def configure(level: str = "INFO", log_file: Path | None = None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        # Readable by the service user only (SEC-21), created so and kept so.
        os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(log_file, 0o600)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
