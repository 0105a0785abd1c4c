"""One Debian Chromium per test module, launched the one way this machine allows
(never a downloaded browser; --no-sandbox as root; no background networking)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.webchat.live import launch


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
