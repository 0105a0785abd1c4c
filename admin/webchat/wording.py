"""The web page's own wording (buttons, quick exit, clearing history) in every language.

The conversation's wording stays in the engine's copy; this holds only what a web page
adds around it, so a language is added in data files, not code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from flows.text import pick


class WordingError(ValueError):
    """The wording file is missing a key in one of the languages the chat speaks."""


@dataclass(frozen=True)
class Wording:
    strings: dict[str, dict[str, str]]

    @classmethod
    def load(cls, languages: Sequence[str], path: Path | None = None) -> Wording:
        """Read and check the wording: every key in every one of `languages`."""
        file = path or Path(str(resources.files("admin.webchat") / "wording.yml"))
        strings = yaml.safe_load(file.read_text(encoding="utf-8"))
        for key, texts in strings.items():
            missing = [lang for lang in languages if not str(texts.get(lang, "")).strip()]
            if missing:
                raise WordingError(f"{file.name}: '{key}' has no {', '.join(missing)} text")
        return cls(strings)

    def t(self, key: str, lang: str, **values: str) -> str:
        text = pick(self.strings[key], lang)
        return text.format(**values) if values else text

    def lines(self, key: str, lang: str) -> list[str]:
        return [line for line in self.t(key, lang).splitlines() if line.strip()]
