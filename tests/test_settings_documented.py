"""Docs that cannot drift: every setting is in .env.example, and nothing stale is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from youthvoice.settings import Settings, SettingsError

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", EXAMPLE.read_text(), flags=re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "document these in .env.example"
    assert documented - fields == set(), "these are documented but not read"


def test_k_below_the_floor_is_refused() -> None:
    """SDC-02: 5 is a hard floor no configuration can go under."""
    with pytest.raises(ValueError, match="at least 5"):
        Settings(_env_file=None, k_threshold=4)


def test_production_refuses_a_missing_or_short_pepper(tmp_path: Path) -> None:
    """AN-05(a)."""
    with pytest.raises(SettingsError, match="required"):
        Settings(_env_file=None, env="prod", data_dir=tmp_path).pepper_bytes()
    with pytest.raises(SettingsError, match="at least 32"):
        Settings(_env_file=None, env="prod", pepper="ab" * 16, data_dir=tmp_path).pepper_bytes()


def test_a_local_pepper_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)
    first = settings.pepper_bytes()
    assert first == settings.pepper_bytes() and len(first) == 32
    assert (tmp_path / "pepper").stat().st_mode & 0o777 == 0o600
