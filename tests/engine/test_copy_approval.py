"""Copy approval (SG-14, CC-09): safety wording and questions never change without a
recorded approval, and the console can list what each reviewer still has to approve."""

from __future__ import annotations

import datetime as dt

from flows.approvals import (
    Approval,
    Pending,
    awaiting,
    entry,
    fingerprint,
    guarded,
    load_approvals,
    strings,
    unapproved,
)
from flows.kit import Kit
from flows.model import Flow


def test_every_safety_string_and_question_is_approved_as_worded(
    checkin: Flow, kit: Kit
) -> None:
    texts = strings(kit.copy, {checkin.id: checkin})
    protected = guarded(kit.copy, texts)
    missing = unapproved({s: texts[s] for s in protected}, load_approvals())
    today = dt.date.today()
    add = "\n".join(entry(p, "ROLE", "NAME", today) for p in missing)
    assert missing == [], f"changed without approval; once approved, add to approvals.yml:\n{add}"


def test_a_changed_safety_string_is_caught(checkin: Flow, kit: Kit) -> None:
    texts = strings(kit.copy, {checkin.id: checkin})
    texts["copy.pause"] = {**texts["copy.pause"], "en": "What you wrote sounds serious!"}
    missing = unapproved({"copy.pause": texts["copy.pause"]}, load_approvals())
    assert [(p.string, p.lang) for p in missing] == [("copy.pause", "en")]


def test_safety_wording_is_guarded_and_ordinary_buttons_are_not(checkin: Flow, kit: Kit) -> None:
    protected = guarded(kit.copy, strings(kit.copy, {checkin.id: checkin}))
    assert {"copy.safety_block", "copy.pause", "copy.contact_prompt"} <= protected
    assert f"{checkin.id}.trust" in protected  # every question
    assert "copy.back" not in protected


def test_welsh_waits_for_a_welsh_speaker_and_safety_for_the_lead() -> None:
    texts = {"copy.pause": {"en": "Sounds serious.", "cy": "Swnio'n ddifrifol."}}
    before = awaiting(texts, {"copy.pause"}, [])
    assert {(p.lang, p.role) for p in before} == {
        ("en", "safeguarding_lead"),
        ("cy", "safeguarding_lead"),
        ("cy", "welsh_reviewer"),
    }
    signed = Approval(
        string="copy.pause",
        lang="cy",
        sha256=fingerprint("Swnio'n ddifrifol."),
        role="welsh_reviewer",
        by="Welsh reviewer",
        date=dt.date(2026, 12, 5),
    )
    after = awaiting(texts, {"copy.pause"}, [signed])
    assert ("cy", "welsh_reviewer") not in {(p.lang, p.role) for p in after}


def test_the_printed_entry_is_a_valid_approval() -> None:
    import yaml

    pending = Pending("copy.pause", "cy", "any", "Swnio'n ddifrifol.")
    line = entry(pending, "safeguarding_lead", "A. Lead", dt.date(2026, 12, 5))
    (parsed,) = yaml.safe_load(line)
    approval = Approval.model_validate(parsed)
    assert approval.sha256 == fingerprint("Swnio'n ddifrifol.")
