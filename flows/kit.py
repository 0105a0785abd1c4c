"""Everything the engine needs besides a question set: shared wording and helplines.

Loaded once by the composition root and passed to `step`, so the engine itself never
touches files. Safety wording refers to helpline *roles* (SG-12), filled from per-country
helpline data, so a deployment changes country without touching copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from flows.helplines import Helpline, Helplines
from flows.text import LocalText, pick


class Copy(BaseModel):
    """Shared wording (buttons, notices, safety text) keyed by id, then language."""

    model_config = ConfigDict(extra="forbid")
    languages: list[str]
    language_names: dict[str, str]
    # Keys of safety wording: never changed without the safeguarding lead (SG-14).
    safety: list[str] = []
    strings: dict[str, LocalText]

    def check_complete(self) -> None:
        unknown = [key for key in self.safety if key not in self.strings]
        if unknown:
            raise ValueError(f"copy: safety lists unknown strings {', '.join(unknown)}")
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
    # Deployment values shown to young people: one text, or one per language.
    names: Mapping[str, str | Mapping[str, str]]
    region: str = ""  # where the organisation is, e.g. GB-WLS: chooses the helplines
    # The latest published "You said, we did": {language: (said, did)}, figures already
    # filled in by the gateway and approved by a second person; empty when none is.
    news: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    _plain: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)
    _named: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def t(self, key: str, lang: str, **values: str) -> str:
        """Shared wording with the deployment's names (organisation, privacy link) filled in."""
        if values:
            return self.copy.t(key, lang, **self.names_in(lang), **values)
        # Buttons and notices are rendered on every step: fill them in once.
        text = self._plain.get((key, lang))
        if text is None:
            text = self._plain[(key, lang)] = self.copy.t(key, lang, **self.names_in(lang))
        return text

    def names_in(self, lang: str) -> dict[str, str]:
        named = self._named.get(lang)
        if named is None:
            named = self._named[lang] = {
                name: value if isinstance(value, str) else pick(value, lang)
                for name, value in self.names.items()
            }
        return named

    def news_line(self, lang: str) -> str | None:
        """ "Last time young people said …; we …" in this language, or None."""
        said_did = self.news.get(lang)
        if said_did is None:
            return None
        return self.t("news_line", lang, said=said_did[0], did=said_did[1])

    def safety_block(self, lang: str) -> str:
        """The help every safety message carries: every line for this place and language."""
        block = self._plain.get(("_safety_block", lang))
        if block is None:
            lines = self.helplines.chosen(self.region, lang)
            block = self._plain[("_safety_block", lang)] = self.t(
                "safety_block",
                lang,
                emergency=self.helplines.emergency_number,
                lines="\n".join(f"• {self.helpline_text(line, lang)}" for line in lines),
            )
        return block

    def helpline_text(self, line: Helpline, lang: str) -> str:
        """One line as a sentence: how to reach it, when, and in which language."""
        name = pick(line.name, lang)
        if line.phone and line.sms:
            how = self.t("line_call_or_text", lang, name=name, phone=line.phone, sms=line.sms)
        elif line.phone:
            how = self.t("line_call", lang, name=name, phone=line.phone)
        elif line.sms_word:
            how = self.t("line_text_word", lang, name=name, sms=line.sms or "", word=line.sms_word)
        else:
            how = self.t("line_text", lang, name=name, sms=line.sms or "")
        parts = [how]
        if line.online_chat and line.url:
            parts.append(self.helpline_online(line, lang))
        return " ".join([*parts, self.helpline_notes(line, lang)])

    def helpline_online(self, line: Helpline, lang: str) -> str:
        shown = (line.url or "").removeprefix("https://").removeprefix("www.")
        return self.t("line_online", lang, url=shown)

    def helpline_notes(self, line: Helpline, lang: str) -> str:
        """When a line is open (and free), and its language when it is not this one."""
        if line.always_open:
            parts = [self.t("line_free_always" if line.free else "line_always", lang)]
        else:
            hours = pick(line.hours, lang) if isinstance(line.hours, dict) else ""
            key = "line_free_hours" if line.free else "line_hours"
            parts = [self.t(key, lang, hours=hours)]
        if lang not in line.answers_in:
            parts.append(self.t(f"line_only_{line.answers_in[0]}", lang))
        return " ".join(parts)
