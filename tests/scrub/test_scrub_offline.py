"""AN-15: the scrubber needs no network and no model download."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from flows.scrub.scrubber import Scrubber

LABELLED = Path(__file__).with_name("labelled.tsv")


class _NoNetwork(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("the scrubber tried to open a socket")


def test_scrubber_runs_with_sockets_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    with pytest.raises(AssertionError, match="tried to open a socket"):
        socket.socket()  # the patch is live
    scrubber = Scrubber.load(staff_names=["Sarah Okafor"], place_names=["Hillside"])
    texts = [
        line.split("\t")[0]
        for line in LABELLED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    changed = sum(scrubber.scrub(text).found != {} for text in texts)
    assert changed > len(texts) // 2
    assert scrubber.scrub("call 07700 900123").text == "call [PHONE]"
