"""The full privacy notice, in every language, with the deployment's own figures filled in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Section:
    heading: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    title: str
    intro: str
    sections: tuple[Section, ...]


def load_notices(
    languages: Sequence[str], values: Mapping[str, Mapping[str, str]], path: Path | None = None
) -> dict[str, Notice]:
    """The notice in each of `languages`, filled with that language's `values`; a missing
    language or section is an error."""
    file = path or Path(str(resources.files("admin.webchat") / "privacy.yml"))
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    notices = {}
    for lang in languages:
        if lang not in data:
            raise ValueError(f"{file.name}: no notice in '{lang}'")
        raw, filled = data[lang], values[lang]
        notices[lang] = Notice(
            title=raw["title"].format_map(filled),
            intro=raw["intro"].format_map(filled),
            sections=tuple(
                Section(s["heading"], tuple(p.format_map(filled) for p in s["points"]))
                for s in raw["sections"]
            ),
        )
    counts = {lang: len(n.sections) for lang, n in notices.items()}
    if len(set(counts.values())) > 1:
        raise ValueError(f"{file.name}: languages have different sections: {counts}")
    return notices
