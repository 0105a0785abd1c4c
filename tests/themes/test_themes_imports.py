"""The theme package stays light and offline (issue 6, item 3; CC-17).

Run in a fresh interpreter so modules other tests imported cannot hide what `themes`
itself pulls in.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "tensorflow", "jax", "numpy")

PROBE = """
import builtins, io, json, socket, sys

opened = []
real_open = builtins.open
def spy_open(file, *args, **kwargs):
    opened.append(str(file))
    return real_open(file, *args, **kwargs)
builtins.open = spy_open
io.open = spy_open

def no_network(*args, **kwargs):
    raise AssertionError("network used at import")
socket.socket.connect = no_network

import themes, themes.framework, themes.emerging, themes.lexicon, themes.tfidf

print(json.dumps({
    "modules": sorted(sys.modules),
    "opened": [f for f in opened if "lexicon" in f or f.endswith((".yml", ".yaml", ".csv"))],
}))
"""


def _probe() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_importing_themes_pulls_in_no_deep_learning_framework_or_numpy() -> None:
    modules = _probe()["modules"]
    loaded = [m for m in modules if m.split(".")[0] in HEAVY]
    assert loaded == []
    assert "themes.framework" in modules  # the probe really imported the package


def test_importing_themes_reads_no_data_file() -> None:
    """Nothing is built at import time: the lexicon is read only by ThemeTagger.load()."""
    assert _probe()["opened"] == []
