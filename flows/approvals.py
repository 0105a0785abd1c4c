"""Who approved each string a young person sees (SG-14, CC-09).

Every string, in every language, is fingerprinted (SHA-256 of its text as written, before
settings are filled in). `flows/data/approvals.yml` records who approved which fingerprint,
in which role, and when. Safety wording and every question must carry an approval of their
current text (a test fails otherwise, naming the entry to add); the console lists what still
waits for the safeguarding lead or a Welsh-speaking reviewer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from flows.kit import Copy
from flows.loader import data_dir
from flows.model import Flow

ROLES = ("project_team", "safeguarding_lead", "welsh_reviewer", "data_protection_officer")
# A language whose strings also wait for a reviewer who speaks it.
LANGUAGE_REVIEWERS = {"cy": "welsh_reviewer"}


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    string: str
    lang: str
    sha256: str = Field(pattern=r"^[0-9a-f]{16}$")
    role: str = Field(pattern="^(" + "|".join(ROLES) + ")$")
    by: str
    date: dt.date


@dataclass(frozen=True)
class Pending:
    string: str
    lang: str
    role: str
    text: str


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entry(pending: Pending, role: str, by: str, on: dt.date) -> str:
    """The approvals.yml line that records `by` approving this text."""
    digest = fingerprint(pending.text)
    return (
        f"- {{string: {pending.string}, lang: {pending.lang}, sha256: '{digest}',"
        f' role: {role}, by: "{by}", date: {on.isoformat()}}}'
    )


def strings(copy: Copy, flows: Mapping[str, Flow]) -> dict[str, dict[str, str]]:
    """Every string of the conversation by a stable id, as written, per language."""
    out = {f"copy.{key}": dict(text) for key, text in copy.strings.items()}
    for flow in flows.values():
        out[f"{flow.id}.title"] = dict(flow.title)
        for name, points in flow.scales.items():
            for point in points:
                out[f"{flow.id}.scale.{name}.{point.value}"] = dict(point.label)
        for node in flow.nodes:
            out[f"{flow.id}.{node.id}"] = dict(node.text)
            short = getattr(node, "short", None)
            if short is not None:
                out[f"{flow.id}.{node.id}.short"] = dict(short)
            for option in getattr(node, "options", []):
                out[f"{flow.id}.{node.id}.{option.value}"] = dict(option.label)
    return out


def guarded(copy: Copy, all_strings: Iterable[str]) -> set[str]:
    """Safety wording and the question sets: these never change without an approval."""
    safety = {f"copy.{key}" for key in copy.safety}
    return safety | {s for s in all_strings if not s.startswith("copy.")}


def load_approvals(path: Path | None = None) -> list[Approval]:
    file = path or data_dir() / "approvals.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or []
    return [Approval.model_validate(entry) for entry in data]


def unapproved(
    texts: Mapping[str, Mapping[str, str]], approvals: Iterable[Approval]
) -> list[Pending]:
    """Strings whose current text has no approval at all, by anyone."""
    seen = {(a.string, a.lang, a.sha256) for a in approvals}
    return [
        Pending(string, lang, "any", text)
        for string, by_lang in sorted(texts.items())
        for lang, text in sorted(by_lang.items())
        if (string, lang, fingerprint(text)) not in seen
    ]


def awaiting(
    texts: Mapping[str, Mapping[str, str]], safety: set[str], approvals: Iterable[Approval]
) -> list[Pending]:
    """What each required reviewer has not yet approved in its current wording: safety
    strings wait for the safeguarding lead, strings in Welsh for a Welsh speaker."""
    seen = {(a.string, a.lang, a.sha256, a.role) for a in approvals}
    out = []
    for string, by_lang in sorted(texts.items()):
        for lang, text in sorted(by_lang.items()):
            needs = [LANGUAGE_REVIEWERS[lang]] if lang in LANGUAGE_REVIEWERS else []
            if string in safety:
                needs.append("safeguarding_lead")
            out += [
                Pending(string, lang, role, text)
                for role in needs
                if (string, lang, fingerprint(text), role) not in seen
            ]
    return out
