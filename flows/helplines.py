"""Helplines as data (SG-12): which lines a young person is shown depends on where the
organisation is and the language of the conversation.

A country file lists every line once. A line can be limited to some of the country's
regions (Meic is for Wales) and to conversations in some languages (the Samaritans' Welsh
line), says which languages it answers in (Shout: English only) and when it is open; the
copy says "any time" only for lines that are always open. Names and hours are translatable.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flows.text import LocalText

ROLES = ("child_helpline", "young_people", "text_line", "general_listening")
ALWAYS = "always"


class Helpline(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    role: str
    name: LocalText
    phone: str | None = None
    sms: str | None = None
    sms_word: str | None = None
    url: str | None = None
    online_chat: bool = False
    hours: Literal["always"] | LocalText
    answers_in: list[str] = Field(min_length=1)
    show_in: list[str] = []  # conversation languages it is shown to; empty: all
    regions: list[str] = []  # where it serves; empty: the whole country
    ages: str = "any"
    free: bool
    verified_on: dt.date
    verified_by: str

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' (known: {', '.join(ROLES)})")
        return role

    @model_validator(mode="after")
    def _reachable(self) -> Helpline:
        if not (self.phone or self.sms):
            raise ValueError(f"line '{self.id}' needs a phone number or a text number")
        if self.online_chat and not self.url:
            raise ValueError(f"line '{self.id}' offers online chat but has no url")
        return self

    @property
    def always_open(self) -> bool:
        return self.hours == ALWAYS

    def serves(self, region: str, lang: str) -> bool:
        in_region = not self.regions or region in self.regions
        return in_region and (not self.show_in or lang in self.show_in)


class Helplines(BaseModel):
    """One country's helplines. An emergency number and a country-wide child helpline are
    required, so every young person anywhere in the country is shown one."""

    model_config = ConfigDict(extra="forbid")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    emergency_number: str
    regions: dict[str, str] = {}
    lines: list[Helpline]

    @model_validator(mode="after")
    def _complete(self) -> Helplines:
        if not any(line.role == "child_helpline" and not line.regions for line in self.lines):
            raise ValueError("needs a child_helpline entry that covers the whole country")
        for line in self.lines:
            unknown = [code for code in line.regions if code not in self.regions]
            if unknown:
                raise ValueError(f"line '{line.id}': unknown region {', '.join(unknown)}")
        return self

    def check_region(self, region: str) -> None:
        if region and region not in self.regions:
            known = ", ".join(self.regions) or "none"
            raise ValueError(f"unknown region '{region}' for {self.country} (known: {known})")

    def chosen(self, region: str, lang: str) -> list[Helpline]:
        """The lines for an organisation in `region` and a conversation in `lang`, in file
        order (the file lists the most relevant first)."""
        return [line for line in self.lines if line.serves(region, lang)]
