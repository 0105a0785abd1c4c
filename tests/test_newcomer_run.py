"""A newcomer's first run: in a fresh copy of the repository, the README's run command
(`make run`) installs what it needs, creates the database with demo data and serves the
web chat and console; the printed chat link and the console answer 200 over HTTP.

The copy is a `git clone` of this checkout (committed files only), or, before the first
commit, the files git would commit. `make run` runs as written; only PORT is set (to a
free port) and pip is told to stay quiet, so this run cannot clash with another server.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.webchat.live import free_port

ROOT = Path(__file__).resolve().parents[1]
INSTALL_SECONDS = 900  # a fresh virtualenv with every dependency

pytestmark = pytest.mark.slow


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _fresh_copy(target: Path) -> None:
    has_commit = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=ROOT, capture_output=True
    )
    if has_commit.returncode == 0:
        _git("clone", "--quiet", str(ROOT), str(target))
        return
    files = _git("ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def test_make_run_in_a_fresh_clone_serves_chat_and_console(tmp_path: Path) -> None:
    clone = tmp_path / "youthvoice"
    clone.mkdir()
    _fresh_copy(clone)
    assert not (clone / ".venv").exists() and not (clone / "var").exists()
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "YV_", "DATABASE_URL", "DATA_DIR", "PUBLIC_URL"))
    }
    env.update(PORT=str(port), PYTHONUNBUFFERED="1", PIP_PROGRESS_BAR="off")
    process = subprocess.Popen(
        ["make", "run"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so the whole group (make, youthvoice) can be stopped
    )
    printed: list[str] = []
    link: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            printed.append(line)
            if "try the web chat:" in line:
                link.append(line.split("try the web chat:", 1)[1].strip())
            if "Telegram:" in line:  # the last line printed before serving
                found.set()
        found.set()  # output ended: the run failed

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert found.wait(INSTALL_SECONDS) and link, "no chat link printed:\n" + "".join(printed)
        output = "".join(printed)
        assert f"http://127.0.0.1:{port}/admin" in output
        assert "demo console logins:" in output and "demo password" in output
        with httpx.Client(timeout=10, follow_redirects=True) as client:
            chat = _get_when_up(client, link[0])
            console = client.get(f"http://127.0.0.1:{port}/admin")
            start = client.get(f"http://127.0.0.1:{port}/")
        assert chat.status_code == 200 and "2-minute check-in" in chat.text
        assert console.status_code == 200
        assert start.status_code == 200 and "Try the check-in (demo)" in start.text
        assert link[0].endswith(re.search(r'href="(/c/[^"]+)"', start.text).group(1))  # type: ignore[union-attr]
        assert (clone / "var" / "youthvoice.db").exists()
        again = subprocess.run(
            ["make", "run"], cwd=clone, env=env, capture_output=True, text=True, timeout=120
        )
        assert again.returncode != 0
        assert f"Port {port} on 127.0.0.1 is already in use" in again.stderr
        assert "Traceback" not in again.stdout + again.stderr
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _get_when_up(client: httpx.Client, url: str) -> httpx.Response:
    """The link is printed just before the server starts listening: retry briefly."""
    for _ in range(100):
        try:
            return client.get(url)
        except httpx.ConnectError:
            time.sleep(0.1)  # a poll of a port that is still opening
    return client.get(url)
