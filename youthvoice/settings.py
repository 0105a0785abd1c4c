"""All configuration, from the environment or a `.env` file (pydantic-settings).

Safe defaults for a local trial; `ENV=prod` turns missing secrets into a refusal to
start. Every field here is documented in `.env.example` (a test checks).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The demo organisation's name, in each language, while ORG_NAME is left as it is.
ORG_DEFAULT = {"en": "Demo Youth Service", "cy": "Gwasanaeth Ieuenctid Demo"}
# Said to young people when CONCERN_CONTACT is not set, in each language.
CONCERN_DEFAULT = {
    "en": "ask the person who gave you the link for our contact details",
    "cy": "gofynna i'r person roddodd y ddolen i ti am ein manylion cyswllt",
}
K_FLOOR = 5
MIN_PEPPER_BYTES = 32
DATA_KEY_BYTES = 32
MIN_METRICS_TOKEN = 32  # characters: a scraper's secret, not a password a person types


class SettingsError(ValueError):
    """A setting that makes it unsafe or impossible to start."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    env: Literal["dev", "prod"] = "dev"
    data_dir: Path = Path("var")
    database_url: str = ""
    secrets_dir: Path | None = None
    pepper: SecretStr | None = None
    data_key: SecretStr | None = None
    org_name: str = ORG_DEFAULT["en"]
    org_name_cy: str = ""
    concern_contact: str = CONCERN_DEFAULT["en"]
    concern_contact_cy: str = ""
    country: str = "GB"
    region: str = ""
    timezone: str = "Europe/London"
    report_period: Literal["month", "quarter"] = "quarter"
    k_threshold: int = Field(default=10)
    worker_results: bool = False
    co_design_question: bool = False
    retention_months: int = Field(default=24, ge=1, le=120)
    conversation_ttl_hours: int = Field(default=24, ge=1, le=72)
    place_names: str = ""
    staff_names: str = ""
    public_url: str = ""
    privacy_url: str = ""
    quick_exit_url: str = "https://www.bbc.co.uk/weather"
    host: str = "127.0.0.1"
    port: int = 8000
    demo_data: bool = True
    log_level: str = "INFO"
    log_file: Path | None = None
    telegram_bot_token: SecretStr | None = None
    telegram_bot_username: str = ""
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: SecretStr | None = None
    # WhatsApp Cloud API (issue 17): on when WHATSAPP_TOKEN is set.
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str = ""
    whatsapp_phone_number: str = ""
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_url: str = "https://graph.facebook.com"
    whatsapp_chat_rate: float = Field(default=0.5, gt=0)
    whatsapp_chat_burst: int = Field(default=10, ge=1)
    whatsapp_global_rate: float = Field(default=20.0, gt=0, le=80)
    session_idle_minutes: int = Field(default=30, ge=1, le=30)
    session_absolute_hours: int = Field(default=12, ge=1, le=12)
    report_views_per_hour: int = Field(default=60, ge=1, le=600)
    telegram_chat_rate: float = Field(default=1.0, gt=0)
    telegram_chat_burst: int = Field(default=3, ge=1)
    telegram_global_rate: float = Field(default=25.0, gt=0, le=30)
    # At rest (issue 11): what housekeeping deletes, and how soon deleted words leave the WAL.
    help_request_retention_days: int = Field(default=90, ge=1, le=730)
    audit_retention_months: int = Field(default=24, ge=6, le=120)
    wal_wipe_seconds: float = Field(default=5.0, ge=0, le=30)
    # Pacing check-ins (issue 10): per client in memory only; per invite and organisation
    # as counts per hour and day, beyond which a check-in is held out of every figure.
    pace_client_checkins_burst: int = Field(default=10, ge=1)
    pace_client_checkins_per_hour: float = Field(default=60.0, gt=0)
    pace_client_help_burst: int = Field(default=3, ge=1)
    pace_client_help_per_hour: float = Field(default=6.0, gt=0)
    pace_invite_per_hour: int = Field(default=6, ge=1)
    pace_invite_per_day: int = Field(default=20, ge=1)
    pace_org_per_hour: int = Field(default=60, ge=1)
    pace_org_per_day: int = Field(default=300, ge=1)
    # Safeguarding-lead alerts (SG-08): content-free notices by email, webhook or both.
    dsl_alert_smtp_host: str = ""
    dsl_alert_smtp_port: int = Field(default=587, ge=1, le=65535)
    dsl_alert_smtp_tls: Literal["starttls", "tls", "none"] = "starttls"
    dsl_alert_smtp_username: str = ""
    dsl_alert_smtp_password: SecretStr | None = None
    dsl_alert_from: str = ""
    dsl_alert_to: str = ""
    dsl_alert_webhook_url: str = ""
    dsl_alert_window_seconds: int = Field(default=240, ge=10, le=270)
    dsl_alert_overdue_hours: int = Field(default=24, ge=1, le=168)
    # Security (issue 12)
    receipt_tries_per_hour: int = Field(default=120, ge=1, le=10_000)
    # Outbox (issue 13): a reply not delivered within this many hours is dropped (a dead letter)
    outbox_max_age_hours: int = Field(default=24, ge=1, le=72)
    # Metrics (REL-18): /metrics for Prometheus, off unless a bearer token is set.
    metrics_token: SecretStr | None = None
    # Disclosure control (issue 10): ONS cell-key noise on every published count below
    # the organisation (SDC-14). Turning it off leaves the auditor and rounding alone.
    cell_key_noise: bool = True

    @field_validator(
        "telegram_bot_token",
        "telegram_webhook_secret",
        "whatsapp_token",
        "whatsapp_app_secret",
        "whatsapp_verify_token",
        "pepper",
        "data_key",
        "dsl_alert_smtp_password",
        "metrics_token",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `TELEGRAM_BOT_TOKEN=` as copied from .env.example means "no token", not "".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("metrics_token")
    @classmethod
    def _long_token(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < MIN_METRICS_TOKEN:
            raise ValueError(f"METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} characters")
        return token

    @field_validator("k_threshold")
    @classmethod
    def _k_floor(cls, k: int) -> int:
        if k < K_FLOOR:
            raise ValueError(f"k_threshold must be at least {K_FLOOR} (SDC-02 hard floor)")
        return k

    @model_validator(mode="after")
    def _public_url(self) -> Settings:
        # Unset: where this server listens, so a changed PORT still prints working links.
        if not self.public_url:
            self.public_url = f"http://{self.host}:{self.port}"
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'youthvoice.db'}"

    @property
    def session_idle(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.session_idle_minutes)

    @property
    def session_absolute(self) -> dt.timedelta:
        return dt.timedelta(hours=self.session_absolute_hours)

    @property
    def flow_options(self) -> tuple[str, ...]:
        """Question-set options this organisation turned on (nodes with `only_with`)."""
        return ("co_design",) if self.co_design_question else ()

    @property
    def privacy_link(self) -> str:
        return self.privacy_url or f"{self.public_url.rstrip('/')}/privacy"

    def places(self) -> list[str]:
        return _split(self.place_names)

    def staff(self) -> list[str]:
        return _split(self.staff_names)

    def dsl_rota(self) -> list[str]:
        return _split(self.dsl_alert_to)

    @property
    def secrets_path(self) -> Path:
        """Where a local trial keeps its generated secrets: apart from DATA_DIR, so a copy
        of the data folder (or a backup of it) alone cannot re-identify anyone."""
        if self.secrets_dir is not None:
            return self.secrets_dir
        config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(config) / "youthvoice"

    def pepper_bytes(self) -> bytes:
        """The HMAC key for every pseudonym (AN-05): >= 32 random bytes, never in the DB.

        In production it must be given; for a local trial one is made once into a file
        readable only by this user, outside DATA_DIR.
        """
        if self.pepper is not None:
            raw = _decode(self.pepper.get_secret_value(), "PEPPER")
        elif self.env == "prod":
            raise SettingsError(
                "PEPPER is required when ENV=prod (32+ random bytes, base64 or hex)"
            )
        else:
            raw = _local_secret(self.secrets_path / "pepper", legacy=self.data_dir / "pepper")
        if len(raw) < MIN_PEPPER_BYTES:
            raise SettingsError(f"PEPPER must be at least {MIN_PEPPER_BYTES} bytes")
        return raw

    def data_key_bytes(self) -> bytes:
        """The key that seals secrets kept in the database (TOTP secrets, help-request
        contacts, queued replies): 32 random bytes. Required when ENV=prod."""
        if self.data_key is not None:
            raw = _decode(self.data_key.get_secret_value(), "DATA_KEY")
        elif self.env == "prod":
            raise SettingsError("DATA_KEY is required when ENV=prod (32 random bytes, hex)")
        else:
            raw = _local_secret(self.secrets_path / "data-key")
        if len(raw) != DATA_KEY_BYTES:
            raise SettingsError(f"DATA_KEY must be exactly {DATA_KEY_BYTES} bytes")
        return raw


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _decode(value: str, name: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        pass
    try:
        return base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise SettingsError(f"{name} must be hex or base64") from exc


def _local_secret(path: Path, legacy: Path | None = None) -> bytes:
    """Read a generated secret, making it (0600, in a 0700 folder) on first use. A pepper
    left in DATA_DIR by an older version is moved out, so pseudonyms stay stable."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if legacy is not None and legacy.exists():
            legacy.replace(path)
        else:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())
