"""The packaged name lists: clean provenance (AN-16) and ordinary text left alone."""

from __future__ import annotations

from pathlib import Path

from flows.scrub.names import fold
from flows.scrub.scrubber import Scrubber, read_word_list

ORDINARY = Path(__file__).with_name("ordinary.txt")
PACKAGE = Path(__file__).resolve().parents[2] / "flows" / "scrub"


def test_first_name_list_states_its_provenance_and_is_not_names_dataset() -> None:
    """AN-16: compiled by the project, no personal data, not from the Facebook leak."""
    header = (PACKAGE / "first_names.txt").read_text(encoding="utf-8").split("\n\n")[0]
    assert "compiled by the project" in header
    assert "contains no personal data" in header
    assert "not from names-dataset" in header
    names = read_word_list("first_names.txt")
    assert 1000 <= len(names) <= 1600
    assert len({fold(n) for n in names}) == len(names), "no duplicates"


def test_every_word_name_given_name_is_on_the_first_name_list() -> None:
    """word_names.txt only narrows matching; a given name there must also be listed."""
    names = {fold(n) for n in read_word_list("first_names.txt")}
    words = read_word_list("word_names.txt")
    given = words[: words.index("baker")]  # the surname block starts at "baker"
    assert [w for w in given if fold(w) not in names] == []


def test_ordinary_sentences_are_left_alone() -> None:
    """AN-14 precision: feedback with no identifying detail comes back unchanged, even
    with staff whose names are words ("Will Young", "Grace Lewis")."""
    scrubber = Scrubber.load(staff_names=["Will Young", "Grace Lewis"], place_names=["Hillside"])
    lines = [
        line
        for line in ORDINARY.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) >= 80
    changed = [(line, out) for line in lines if (out := scrubber.scrub(line).text) != line]
    assert changed == []
