"""`make chat` in a real pseudo-terminal, as a newcomer would use it: numbered choices,
text wrapped to the terminal, the receipt code left on screen after Send, and Ctrl-C or
Ctrl-D leave cleanly without a traceback (and keep nothing)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT

CODE = re.compile(r"[A-Z0-9]{5}-[A-Z0-9]{5}")


@pytest.fixture
def terminal(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATA_DIR": str(tmp_path),
        "DEMO_DATA": "true",
        "LOG_LEVEL": "INFO",
        "COLUMNS": "50",
        "LINES": "40",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "youthvoice.cli", "chat"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 50),
    )
    yield child
    child.close(force=True)


def test_a_whole_check_in_keeps_the_receipt_on_screen(terminal) -> None:  # type: ignore[no-untyped-def]
    terminal.expect("Want to start")
    before_welcome = terminal.before
    assert "alembic" not in before_welcome and "INFO" not in before_welcome
    terminal.expect("Type a number and press Enter")
    for answer in ["1", "4", "4", "4", "4", "4", "4", "more trips please", "2", "2"]:
        terminal.expect("> ")
        terminal.sendline(answer)
    terminal.expect("> ")
    screen = terminal.before
    terminal.sendline("2")  # "Send and get a code"
    terminal.expect("Press Enter to leave")
    sent = terminal.before
    assert CODE.search(sent), "the receipt code is on screen"
    widest = max(len(line.rstrip("\r")) for line in (screen + sent).split("\n"))
    assert widest <= 50, f"text is wrapped to the terminal (widest line {widest})"
    terminal.expect("> ")
    terminal.sendline("")
    terminal.expect(pexpect.EOF)
    assert "Traceback" not in terminal.before


@pytest.mark.parametrize("key", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_leave_cleanly(terminal, key: str) -> None:  # type: ignore[no-untyped-def]
    terminal.expect("> ")
    terminal.sendline("1")
    terminal.expect("Question 1 of 9")
    terminal.expect("> ")
    terminal.send(key)
    terminal.expect("Stopped. Nothing you answered has been kept.")
    terminal.expect(pexpect.EOF)
    assert "Traceback" not in terminal.before
    terminal.close()
    assert terminal.exitstatus == 0
