"""Docs that cannot drift: every setting is in .env.example, and nothing stale is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage.sealing import Sealer, SealError
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


def test_a_local_pepper_is_made_once_and_kept_private_apart_from_the_data(
    tmp_path: Path,
) -> None:
    """AN-05, SEC-21: the pepper lives outside DATA_DIR, readable only by this user."""
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", secrets_dir=tmp_path / "s")
    first = settings.pepper_bytes()
    assert first == settings.pepper_bytes() and len(first) == 32
    assert (tmp_path / "s" / "pepper").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "s").stat().st_mode & 0o777 == 0o700
    assert not (tmp_path / "data").exists()


def test_a_pepper_left_in_the_data_folder_is_moved_out_unchanged(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pepper").write_text("cd" * 32)
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", secrets_dir=tmp_path / "s")
    assert settings.pepper_bytes() == bytes.fromhex("cd" * 32)
    assert not (tmp_path / "data" / "pepper").exists()


def test_production_refuses_a_missing_or_wrong_size_data_key(tmp_path: Path) -> None:
    """SEC-21: secrets sealed in the database need a key that is not in it."""
    prod = {"_env_file": None, "env": "prod", "pepper": "ab" * 32, "data_dir": tmp_path}
    with pytest.raises(SettingsError, match="DATA_KEY is required"):
        Settings(**prod).data_key_bytes()  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="exactly 32"):
        Settings(**prod, data_key="ab" * 16).data_key_bytes()  # type: ignore[arg-type]


def test_sealed_values_open_only_with_their_key(tmp_path: Path) -> None:
    sealer = Sealer(Settings(_env_file=None, secrets_dir=tmp_path).data_key_bytes())
    token = sealer.seal("07700 900123")
    assert b"07700" not in token and sealer.unseal(token) == "07700 900123"
    with pytest.raises(SealError):
        Sealer(b"\x01" * 32).unseal(token)
