"""flows/ is a pure engine: no framework, SQL, HTTP or I/O library anywhere in it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FLOWS = Path(__file__).resolve().parents[2] / "flows"
ALLOWED_THIRD_PARTY = {"pydantic", "yaml", "phonenumbers"}
FORBIDDEN_STDLIB = {
    "socket",
    "sqlite3",
    "http",
    "urllib",
    "asyncio",
    "subprocess",
    "random",
    "time",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_flows_imports_only_pure_libraries() -> None:
    offenders = {}
    for path in FLOWS.rglob("*.py"):
        for name in _imports(path):
            third_party = name not in sys.stdlib_module_names and name not in {
                "flows",
                "__future__",
            }
            if (third_party and name not in ALLOWED_THIRD_PARTY) or name in FORBIDDEN_STDLIB:
                offenders.setdefault(str(path.relative_to(FLOWS)), []).append(name)
    assert offenders == {}


def test_importing_the_engine_loads_no_framework() -> None:
    code = (
        "import sys, flows.engine, flows.loader, flows.safety.detector, flows.scrub.scrubber;"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy','telegram','starlette','httpx','jinja2','aiosqlite','asyncpg','uvicorn'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
