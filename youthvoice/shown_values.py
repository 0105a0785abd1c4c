"""The deployment's settings as young people read them, in each language (CC-09).

Copy holds placeholders such as {org_name} and {retention}; an English phrase pasted into
Welsh copy ("dileu ar ôl 2 years") is a defect, so every value here is given per language,
either from a per-language setting or worded by the copy's own rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.durations import months_in_words
from flows.kit import Kit
from youthvoice.settings import CONCERN_DEFAULT, ORG_DEFAULT, Settings

_WELSH_VOWELS = tuple("aeiouwyâêîôûŵŷáéíóúàèìòùAEIOUWYÂÊÎÔÛŴŶ")


def young_people_values(settings: Settings, languages: Sequence[str]) -> dict[str, dict[str, str]]:
    """{placeholder: {language: text}} for every value copy may show a young person."""
    values: dict[str, dict[str, str]] = {
        "org_name": {},
        "with_org": {},
        "concern_contact": {},
        "retention": {},
        "privacy_url": {},
    }
    for lang in languages:
        org = _org(settings, lang)
        values["org_name"][lang] = org
        values["with_org"][lang] = _with(org, lang)
        values["concern_contact"][lang] = _concern(settings, lang)
        values["retention"][lang] = months_in_words(settings.retention_months, lang)
        values["privacy_url"][lang] = _privacy(settings, lang)
    return values


def news_languages(settings: Settings, kit: Kit) -> tuple[str, ...]:
    """The languages a "You said, we did" is written in: the organisation's own, i.e.
    English, and Welsh when it has a Welsh name (ORG_NAME_CY)."""
    wanted = ("en", "cy") if settings.org_name_cy else ("en",)
    return tuple(lang for lang in wanted if lang in kit.copy.languages)


def _org(settings: Settings, lang: str) -> str:
    if lang == "cy" and settings.org_name_cy:
        return settings.org_name_cy
    if settings.org_name == ORG_DEFAULT["en"]:
        return ORG_DEFAULT.get(lang, settings.org_name)
    return settings.org_name


def _with(org: str, lang: str) -> str:
    """ "Contact X": Welsh says "â X", but "ag X" before a vowel."""
    if lang != "cy":
        return org
    return f"ag {org}" if org.startswith(_WELSH_VOWELS) else f"â {org}"


def _concern(settings: Settings, lang: str) -> str:
    if lang == "cy" and settings.concern_contact_cy:
        return settings.concern_contact_cy
    if settings.concern_contact == CONCERN_DEFAULT["en"]:
        return CONCERN_DEFAULT.get(lang, CONCERN_DEFAULT["en"])
    return settings.concern_contact  # an email or a number reads the same in any language


def _privacy(settings: Settings, lang: str) -> str:
    if settings.privacy_url or lang == "en":
        return settings.privacy_link
    return f"{settings.privacy_link}?lang={lang}"
