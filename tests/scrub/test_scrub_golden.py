"""Golden cases for the PII scrubber (AN-14), one or more per placeholder type, plus the
rules for names that are also words, and the Scrubbed figures (AN-18 uses the ratio)."""

from __future__ import annotations

import pytest

from flows.scrub.patterns import nhs_number_is_valid
from flows.scrub.scrubber import Scrubber

STAFF = ("Sarah Okafor", "Will Young", "Dave Pritchard")
PLACES = ("Hillside", "Beeston Youth Hub")


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber.load(staff_names=STAFF, place_names=PLACES)


def test_an14_example(scrubber: Scrubber) -> None:
    """AN-14's own golden example, with the organisation's place list."""
    text = "Sarah at the Hillside office never listens, call me 07700 900123"
    result = Scrubber.load(place_names=["Hillside"]).scrub(text)
    assert result.text == "[NAME] at the [PLACE] office never listens, call me [PHONE]"
    assert result.found == {"NAME": 1, "PLACE": 1, "PHONE": 1}


GOLDEN = [
    ("email me kez_99@example.com pls", "email me [EMAIL] pls"),
    ("its jaz dot k at gmail dot com", "its [EMAIL]"),
    ("my art is on https://example.com/jaz, have a look", "my art is on [URL], have a look"),
    ("linktr.ee/jazzyk has everything", "[URL] has everything"),
    ("follow me @jazzy_k.", "follow me [HANDLE]."),
    ("add me on snap jaz.k_22", "add me on snap [HANDLE]"),
    ("my snap is down today", "my snap is down today"),
    ("ring 07700 900123", "ring [PHONE]"),
    ("ring 07 700 900 123 after 6", "ring [PHONE] after 6"),
    ("ring +44 7700 900123", "ring [PHONE]"),
    ("the office is 0113 496 0123", "the office is [PHONE]"),
    ("the office is (0113) 496 0999", "the office is [PHONE]"),
    ("i live at LS6 2AB now", "i live at [POSTCODE] now"),
    ("postcode m14 5rt", "postcode [POSTCODE]"),
    ("see u b4 5pm, my m8 2nd time", "see u b4 5pm, my m8 2nd time"),
    ("NI number QQ 12 34 56 C", "NI number [NINO]"),
    ("my nhs number is 943 476 5919", "my nhs number is [NHS]"),
    ("it says 9434765919 on the letter", "it says [NHS] on the letter"),
    ("born 12/03/2009", "born [DATE]"),
    ("my birthday is 12th March", "my birthday is [DATE]"),
    ("born March 12 2009", "born [DATE]"),
    ("i was born in 2009", "i was born in [DATE]"),
    ("court is on 14 feb", "court is on [DATE]"),
    ("may 12th is my birthday", "[DATE] is my birthday"),
    ("may 2 of us come?", "may 2 of us come?"),
    ("i'd give it 8/10 at 3:30", "i'd give it 8/10 at 3:30"),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN, ids=[g[0][:30] for g in GOLDEN])
def test_golden(scrubber: Scrubber, text: str, expected: str) -> None:
    """AN-14: each identifier type becomes its typed placeholder; look-alikes do not."""
    assert scrubber.scrub(text).text == expected


NAMES = [
    ("sarah okafor is the best", "[NAME] is the best"),
    ("SARAH OKAFOR is the best", "[NAME] is the best"),
    ("okafor is always late", "[NAME] is always late"),
    ("Sarah's office is upstairs", "[NAME]'s office is upstairs"),
    ("dave p gets me", "[NAME] p gets me"),
    ("Mary-Jane Watson helped", "[NAME] helped"),
    ("zoë and Siân run it", "[NAME] and [NAME] run it"),
    ("Mr Smith at school", "Mr [NAME] at school"),
    ("the Beeston Youth Hub is cold", "the [PLACE] is cold"),
    ("beeston  youth hub is cold", "[PLACE] is cold"),
    # Staff "Will Young": the whole name always; "will" alone only where it is a name.
    ("will young sorted my flat", "[NAME] sorted my flat"),
    ("I will come next week", "I will come next week"),
    ("my worker will help me", "my worker will help me"),
    ("my worker will is sound", "my worker [NAME] is sound"),
    ("My worker Will is sound", "My worker [NAME] is sound"),
    ("talk to will about it", "talk to [NAME] about it"),
    ("Will said he'd ring", "[NAME] said he'd ring"),
    # Names that are words, from the general list.
    ("may be late", "may be late"),
    ("we went in May", "we went in May"),
    ("i hope so", "i hope so"),
    ("a session with Hope", "a session with [NAME]"),
    ("i forgot my kit", "i forgot my kit"),
    ("Kit from the office rang", "[NAME] from the office rang"),
    ("he takes the mick", "he takes the mick"),
    ("my worker tayla always gets it", "my worker [NAME] always gets it"),
    ("my worker hit me", "my worker hit me"),
]


@pytest.mark.parametrize(("text", "expected"), NAMES, ids=[n[0][:30] for n in NAMES])
def test_names(scrubber: Scrubber, text: str, expected: str) -> None:
    """AN-14/AN-16: staff deny-list (whole names, any case, each part), places, and the
    first-name list, with words like "will" and "may" left alone unless used as names."""
    assert scrubber.scrub(text).text == expected


def test_changed_ratio_and_counts(scrubber: Scrubber) -> None:
    """AN-18 needs the share of original characters replaced."""
    text = "call 07700 900123 or 07700 900124"
    result = scrubber.scrub(text)
    assert result.text == "call [PHONE] or [PHONE]"
    assert result.changed_ratio == pytest.approx(24 / len(text))
    assert result.found == {"PHONE": 2}
    untouched = scrubber.scrub("nothing to see here")
    assert (untouched.changed_ratio, dict(untouched.found)) == (0.0, {})
    assert scrubber.scrub("").changed_ratio == 0.0


def test_invisible_characters_do_not_hide_a_name(scrubber: Scrubber) -> None:
    assert scrubber.scrub("Sa\u200brah never listens").text == "[NAME] never listens"


def test_without_name_lists_only_shapes_are_scrubbed() -> None:
    """`first_names=None` means no general list: staff and shapes still go."""
    bare = Scrubber(staff_names=["Dave Pritchard"])
    assert bare.scrub("sarah and dave, 07700 900123").text == "sarah and [NAME], [PHONE]"
    custom = Scrubber(first_names=["Quilliam"])
    assert custom.scrub("quilliam said hi").text == "[NAME] said hi"


def test_region_is_used_for_phone_numbers() -> None:
    """AN-14: phone region comes from the deployment country."""
    text = "appelle-moi au 01 42 68 53 00"
    assert Scrubber(region="FR").scrub(text).text == "appelle-moi au [PHONE]"
    assert Scrubber(region="GB").scrub(text).text == text


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("9434765919", True), ("9434765918", False), ("2527601898", True), ("2537601898", False)],
)
def test_nhs_check_digit(digits: str, valid: bool) -> None:
    assert nhs_number_is_valid(digits) is valid


def test_a_bad_nhs_check_digit_is_only_a_long_number_unless_labelled(scrubber: Scrubber) -> None:
    """Issue 11: long digit strings go too, but only a valid or labelled one is an NHS number."""
    assert scrubber.scrub("ref 943 476 5918 on it").text == "ref [NUMBER] on it"
    assert scrubber.scrub("nhs no 943 476 5918").text == "nhs no [NHS]"
