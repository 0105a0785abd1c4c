"""Everything the engine needs besides a question set: shared wording and helplines.

Loaded once by the composition root and passed to `step`, so the engine itself never
touches files. Safety wording refers to helpline *roles* (SG-12), filled from per-country
helpline data, so a deployment changes country without touching copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.text import LocalText, pick

ROLES = ("child_helpline", "text_line", "general_listening")


class Helpline(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str
    name: str
    phone: str | None = None
    sms: str | None = None
    url: str | None = None
    hours: str
    ages: str = "any"
    free: bool
    last_verified: dt.date
    verified_by: str

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' (known: {', '.join(ROLES)})")
        return role


class Helplines(BaseModel):
    """One country's helplines (SG-12). Emergency number and a child helpline are required."""

    model_config = ConfigDict(extra="forbid")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    emergency_number: str
    lines: list[Helpline]

    @field_validator("lines")
    @classmethod
    def _has_child_helpline(cls, lines: list[Helpline]) -> list[Helpline]:
        if not any(line.role == "child_helpline" for line in lines):
            raise ValueError("needs a child_helpline entry")
        return lines

    def fields(self) -> dict[str, str]:
        out = {"emergency": self.emergency_number}
        for line in self.lines:
            out.setdefault(line.role, line.phone or line.sms or line.url or "")
            out.setdefault(f"{line.role}_name", line.name)
        return out


class Copy(BaseModel):
    """Shared wording (buttons, notices, safety text) keyed by id, then language."""

    model_config = ConfigDict(extra="forbid")
    languages: list[str]
    language_names: dict[str, str]
    strings: dict[str, LocalText]

    def check_complete(self) -> None:
        for key, text in self.strings.items():
            missing = [lang for lang in self.languages if lang not in text]
            if missing:
                raise ValueError(f"copy '{key}': missing language {', '.join(missing)}")
        for lang in self.languages:
            if lang not in self.language_names:
                raise ValueError(f"copy: language '{lang}' has no name in language_names")

    def t(self, key: str, lang: str, **values: str) -> str:
        text = pick(self.strings[key], lang)
        return text.format(**values) if values else text


# How sure a detection is: "clear" pauses the check-in (SG-04); "possible" gets one calm
# question ("Are you safe right now?") and the young person decides.
CLEAR = "clear"
POSSIBLE = "possible"


class Detection(Protocol):
    @property
    def category(self) -> str: ...

    @property
    def tier(self) -> str: ...


@dataclass(frozen=True)
class Kit:
    """Shared wording, helplines, and the two text filters every free-text input meets."""

    copy: Copy
    helplines: Helplines
    detect: Callable[[str], Detection | None]
    scrub: Callable[[str], str]
    names: Mapping[str, str]
    _plain: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)

    def t(self, key: str, lang: str, **values: str) -> str:
        """Shared wording with the deployment's names (organisation, privacy link) filled in."""
        if values:
            return self.copy.t(key, lang, **self.names, **values)
        # Buttons and notices are rendered on every step: fill them in once.
        text = self._plain.get((key, lang))
        if text is None:
            text = self._plain[(key, lang)] = self.copy.t(key, lang, **self.names)
        return text

    def safety_block(self, lang: str) -> str:
        return self.t("safety_block", lang, **self.helplines.fields())
