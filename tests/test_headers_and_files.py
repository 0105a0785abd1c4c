"""Headers and files (SEC-15, SEC-21, SEC-23), as the review found them: no
Permissions-Policy, COOP or CORP; HSTS over plain http; LOG_FILE made 0644 and the data
folder 0755; the demo password printed at every start."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import httpx
import pytest

from admin.app import create_app
from youthvoice import logs
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

ALWAYS = ("permissions-policy", "cross-origin-opener-policy", "cross-origin-resource-policy")
PATHS = ["/healthz", "/static/console.css", "/c/nope", "/helplines", "/admin/login", "/nothing"]


@pytest.mark.parametrize("public_url", ["https://yv.example", "http://127.0.0.1:8000"])
async def test_every_response_has_the_headers_and_hsts_only_over_https(tmp_path, public_url):
    settings = Settings(_env_file=None, data_dir=tmp_path, demo_data=False, public_url=public_url)
    services = await bootstrap(settings)
    try:
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="https://t") as client:
            responses = [await client.get(path) for path in PATHS]
            responses.append(await client.post("/delete", content=b"x" * 100_000))
    finally:
        await services.close()
    assert {r.status_code for r in responses} >= {200, 404, 413}
    for response in responses:
        assert all(response.headers.get(name) for name in ALWAYS), response.url
        assert "camera=()" in response.headers["permissions-policy"]
        assert response.headers["cross-origin-opener-policy"] == "same-origin"
        has_hsts = "strict-transport-security" in response.headers
        assert has_hsts is public_url.startswith("https:"), response.url


def test_the_log_file_is_private_even_if_it_was_not(tmp_path: Path):
    made = tmp_path / "logs" / "youthvoice.log"
    old = tmp_path / "old.log"
    old.write_text("")
    old.chmod(0o644)
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    opened: list[logging.Handler] = []
    try:
        for path in (made, old):
            logs.configure("INFO", path)
            opened += [h for h in root.handlers if isinstance(h, logging.FileHandler)]
            logging.getLogger("test").info("hello")
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        for handler in opened:
            handler.close()
        root.handlers[:], root.level = saved


async def test_the_data_folder_is_private(tmp_path: Path):
    fresh, loose = tmp_path / "fresh", tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    for folder in (fresh, loose):
        services = await bootstrap(Settings(_env_file=None, data_dir=folder, demo_data=False))
        await services.close()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
