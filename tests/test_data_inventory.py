"""CC-15: every column that holds young people's data has a stated purpose."""

from __future__ import annotations

from pathlib import Path

import yaml

from storage.schema import Base

INVENTORY = Path(__file__).resolve().parents[1] / "docs" / "data_inventory.yml"


def test_every_column_has_a_purpose() -> None:
    inventory = yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))
    for table, columns in inventory.items():
        actual = {c.name for c in Base.metadata.tables[table].columns}
        assert actual == set(columns), f"{table}: update docs/data_inventory.yml"
        assert all(isinstance(p, str) and len(p) > 10 for p in columns.values()), table
