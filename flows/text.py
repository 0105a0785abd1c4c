"""Localised text: every string a young person sees exists in every language of its set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator


def _non_empty(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("needs at least one language")
    for lang, text in value.items():
        if not text.strip():
            raise ValueError(f"language '{lang}' is empty")
    return value


LocalText = Annotated[dict[str, str], AfterValidator(_non_empty)]


def pick(text: Mapping[str, str], lang: str, fallback: str = "en") -> str:
    """The text in `lang`, else the fallback language (validation makes this rare)."""
    return text.get(lang) or text.get(fallback) or next(iter(text.values()))
