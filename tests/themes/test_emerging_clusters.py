"""Emerging themes: a new topic surfaces without anyone defining it (issue 6, item 2)."""

import pytest

from themes.emerging import Cluster, emerging_clusters

MEETING_PLACE = [
    "the meeting room is always cold",
    "meeting room is freezing and cold",
    "the meeting place is too far from my house",
    "can we change the meeting place, its too far",
    "hate the meeting room its so cold",
    "the meeting place is too far on the bus",
]

UNRELATED = [
    "she helped me fill in my college application",
    "we went bowling and had pizza after",
    "my worker text me back really fast",
    "i dont like talking on the phone",
    "he got me a food bank voucher",
    "the art stuff on friday is good",
    "i want to learn to drive",
    "my sister came to one session with me",
    "seeing her at school is awkward",
    "i like that we walk and talk",
]


def _meeting_clusters(clusters: list[Cluster]) -> list[Cluster]:
    return [c for c in clusters if "meeting" in c.label]


def test_seeded_topic_surfaces_as_a_cluster() -> None:
    texts = UNRELATED[:5] + MEETING_PLACE + UNRELATED[5:]
    clusters = emerging_clusters(texts, min_size=3)
    [meeting] = _meeting_clusters(clusters)
    assert {texts[i] for i in meeting.members} == set(MEETING_PLACE)
    assert meeting.key_phrases[0].startswith("meeting")
    assert meeting.label == " / ".join(meeting.key_phrases)
    assert 1 <= len(meeting.key_phrases) <= 3


def test_topic_below_min_size_does_not_surface() -> None:
    texts = UNRELATED + MEETING_PLACE[:2]
    assert _meeting_clusters(emerging_clusters(texts, min_size=3)) == []
    texts = UNRELATED + MEETING_PLACE
    assert _meeting_clusters(emerging_clusters(texts, min_size=7)) == []


def test_unrelated_comments_form_no_cluster() -> None:
    assert emerging_clusters(UNRELATED, min_size=3) == []


def test_same_comments_give_the_same_clusters() -> None:
    texts = UNRELATED + MEETING_PLACE
    assert emerging_clusters(texts) == emerging_clusters(list(texts))


def test_labels_do_not_depend_on_comment_order() -> None:
    texts = UNRELATED + MEETING_PLACE
    forward = emerging_clusters(texts)
    backward = emerging_clusters(texts[::-1])
    assert [c.label for c in forward] == [c.label for c in backward]


def test_key_phrases_are_shared_by_at_least_two_members() -> None:
    """A label never quotes words only one young person used (SDC-11, AN-18)."""
    texts = [*MEETING_PLACE, "the meeting room smells of xylophones", *UNRELATED]
    [meeting] = _meeting_clusters(emerging_clusters(texts))
    for phrase in meeting.key_phrases:
        users = [i for i in meeting.members if phrase in texts[i]]
        assert len(users) >= 2, phrase
    assert "xylophones" not in meeting.label


def test_min_size_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="min_size"):
        emerging_clusters(MEETING_PLACE, min_size=1)


def test_empty_and_stopword_only_texts_are_handled() -> None:
    assert emerging_clusters([]) == []
    assert emerging_clusters(["nothing", "", "it was ok", "nothing really"]) == []
