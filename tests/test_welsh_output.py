"""Welsh output holds no English (CC-09): every string a young person can see, rendered in
Welsh with the default settings, on every channel's wording and in every region."""

from __future__ import annotations

import re

import pytest

from admin.webchat.privacy import load_notices
from admin.webchat.wording import Wording
from flows.kit import Kit
from flows.loader import load_copy, load_flows, load_helplines
from youthvoice.settings import Settings
from youthvoice.shown_values import young_people_values

# Words that are never Welsh. Names of services (Childline, Shout, Report Remove), the
# ICO's initials and web addresses are allowed: they are what a young person would type.
ENGLISH = frozenset(
    """the and you your years year months month ask with people link free call text
    any time only contact details who gave for our after deleted please here answers words
    send stop help now this that what when where will would can can't don't never""".split()
) - {"help"}  # Welsh has borrowed "help" ("Cael help nawr")
ALLOWED = re.compile(r"https?://\S+|\b[\w.-]+\.(?:org|uk|cymru)\S*|'Report Remove'|/delete")


# The web page's placeholders, with Welsh values (the /news page's among them).
WEB_FILL = {"number": "999", "name": "Meic", "org_name": "Gwasanaeth Ieuenctid Prawf"}
WEB_FILL |= {"said": "hyn", "did": "wedi newid", "first": "Ionawr", "last": "Fawrth"}
WEB_FILL |= {"year": "2026", "max": "500", "left": "9"}


def english_in(text: str) -> set[str]:
    plain = ALLOWED.sub(" ", text)
    return {word for word in re.findall(r"[a-z']+", plain.lower()) if word in ENGLISH}


def welsh_texts() -> list[tuple[str, str]]:
    settings = Settings(_env_file=None)
    copy = load_copy()
    names = young_people_values(settings, copy.languages)
    helplines = load_helplines(settings.country)
    out: list[tuple[str, str]] = []
    for region in ("", *helplines.regions):
        kit = Kit(copy, helplines, lambda _: None, str, names, region=region)
        out.append((f"safety block [{region or 'GB'}]", kit.safety_block("cy")))
    kit = Kit(copy, helplines, lambda _: None, str, names)
    fill = {"max": "500", "n": "1", "total": "9", "code": "ABCDE-23456", "lines": ""}
    fill |= {"emergency": "999", "name": "Meic", "phone": "0800", "sms": "8", "word": "SHOUT"}
    fill |= {"url": "meic.cymru", "hours": "bob dydd", "said": "hyn", "did": "wedi newid"}
    fill |= {"what": "Bod yn onest"}
    out += [(f"copy {key}", kit.t(key, "cy", **fill)) for key in copy.strings]
    for flow in load_flows(options=("co_design",)).values():
        for node in flow.nodes:
            out.append((f"{flow.id} {node.id}", node.text["cy"].format_map(kit.names_in("cy"))))
            if getattr(node, "short", None):
                out.append((f"{flow.id} {node.id} short", node.short["cy"]))  # type: ignore[attr-defined]
        for scale in flow.scales.values():
            out += [(f"{flow.id} scale", point.label["cy"]) for point in scale]
    wording = Wording.load(copy.languages)
    out += [(f"web {key}", wording.t(key, "cy", **WEB_FILL)) for key in wording.strings]
    shown = {**kit.names_in("cy"), "k": "10", "ttl_hours": "24"}
    notice = load_notices(["cy"], {"cy": shown})["cy"]
    out += [
        ("privacy", p) for section in notice.sections for p in (section.heading, *section.points)
    ]
    return out


def test_the_checker_finds_english_in_welsh() -> None:
    assert english_in("Mae atebion yn cael eu dileu ar ôl 2 years.") == {"years"}
    assert english_in("Cysyllta â ni: ask the person who gave you the link") >= {"ask", "the"}
    assert english_in("chwilia 'Report Remove' ar childline.org.uk") == set()


@pytest.mark.parametrize(("where", "text"), welsh_texts(), ids=lambda v: str(v)[:40])
def test_no_english_word_in_welsh_output(where: str, text: str) -> None:
    assert english_in(text) == set(), where
