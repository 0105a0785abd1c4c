"""Emerging themes: cluster comments that fit no framework theme and name each cluster.

Comments become TF-IDF vectors (themes/tfidf.py). Two comments are neighbours when their
cosine similarity reaches `threshold`. Groups are then formed the Taylor-Butina way: take
the comment with the most still-ungrouped neighbours (ties: the earliest), make it and those
neighbours a group, repeat while any comment has an ungrouped neighbour. Groups whose broadest
defining term (one found in most members) is the same are one topic and are merged, so "the
meeting room is cold" and "the meeting place is too far" end up together although the two
sentences share only "meeting". Merged groups smaller than `min_size` are dropped. There is
no randomness, so the same comments always give the same clusters.

A cluster is labelled by its top key phrases: terms shared by many members and rare overall
(coverage x idf), bigrams included. A key phrase must occur in at least two members (and a
quarter of the cluster), so a label never quotes one person's words.

>>> texts = ["the meeting room is cold", "meeting room too cold", "cold meeting room again",
...          "she helps with forms", "bus was late today"]
>>> [(c.label, c.members) for c in emerging_clusters(texts)]
[('meeting room / cold', (0, 1, 2))]
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from themes.tfidf import Vectors, neighbours, vectorise

DEFAULT_THRESHOLD = 0.3
MAX_KEY_PHRASES = 3
MIN_PHRASE_SHARE = 0.25  # a key phrase must appear in this share of members (and in two)
DEFINING_SHARE = 0.8  # a term in this share of a group's members defines the group


@dataclass(frozen=True)
class Cluster:
    label: str
    key_phrases: tuple[str, ...]
    members: tuple[int, ...]  # indices into the texts given


def emerging_clusters(
    texts: Sequence[str], min_size: int = 3, *, threshold: float = DEFAULT_THRESHOLD
) -> list[Cluster]:
    """Clusters of at least `min_size` similar texts, biggest first."""
    if min_size < 2:
        raise ValueError("min_size must be at least 2: one comment is not a theme")
    vectors = vectorise(texts)
    linked = neighbours(vectors.rows, threshold)
    clusters = []
    for members in _merge_shared_topics(vectors, _butina(linked)):
        if len(members) < min_size:
            continue
        phrases = _key_phrases(vectors, members)
        if phrases:
            clusters.append(Cluster(" / ".join(phrases), phrases, members))
    clusters.sort(key=lambda c: (-len(c.members), c.label, c.members))
    return clusters


def _butina(linked: list[list[int]]) -> list[tuple[int, ...]]:
    assigned = [False] * len(linked)
    # Max-heap on the count of unassigned neighbours; counts are refreshed when popped.
    heap = [(-len(n), i) for i, n in enumerate(linked)]
    heapq.heapify(heap)
    groups = []
    while heap:
        negative_count, seed = heapq.heappop(heap)
        if assigned[seed]:
            continue
        free = [j for j in linked[seed] if not assigned[j]]
        if len(free) != -negative_count:
            heapq.heappush(heap, (-len(free), seed))
            continue
        if not free:
            break  # no other seed has a free neighbour either
        members = tuple(sorted([seed, *free]))
        for member in members:
            assigned[member] = True
        groups.append(members)
    return groups


def _merge_shared_topics(vectors: Vectors, groups: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    # Each group is keyed by its broadest defining term (lowest idf); groups with the same key
    # merge. One key per group, so merging cannot chain "team" to "visit" through a group
    # that happens to mention both.
    merged: dict[str, list[int]] = {}
    alone = []
    for members in groups:
        counts = Counter(t for m in members for t in vectors.terms_of[m] if t in vectors.idf)
        defining = [t for t, c in counts.items() if c >= DEFINING_SHARE * len(members)]
        if defining:
            key = min(defining, key=lambda t: (vectors.idf[t], t))
            merged.setdefault(key, []).extend(members)
        else:
            alone.append(members)
    return [tuple(sorted(members)) for members in merged.values()] + alone


def _key_phrases(vectors: Vectors, members: tuple[int, ...]) -> tuple[str, ...]:
    n = len(vectors.rows)
    needed = max(2, math.ceil(MIN_PHRASE_SHARE * len(members)))
    counts: dict[str, int] = {}
    for member in members:
        for term in vectors.terms_of[member]:
            if term in vectors.idf:
                counts[term] = counts.get(term, 0) + 1
    common = {term: count for term, count in counts.items() if count >= needed}
    # A word that nearly always comes inside one of the cluster's bigrams is said better by
    # the bigram ("meeting" inside "meeting room").
    absorbed = {
        word
        for term, count in common.items()
        if " " in term
        for word in term.split()
        if word in common and count >= 0.8 * common[word]
    }
    ranked = sorted(
        (term for term in common if term not in absorbed),
        key=lambda t: (
            -common[t] / len(members) * math.log(1 + n / vectors.doc_freq[t]),
            -len(t.split()),  # on a tie the bigram reads better
            t,
        ),
    )
    chosen: list[str] = []
    covered: set[str] = set()
    for term in ranked:
        words = set(term.split())
        if words <= covered:
            continue  # "room" adds nothing once "meeting room" is in
        chosen.append(term)
        covered |= words
        if len(chosen) == MAX_KEY_PHRASES:
            break
    return tuple(vectors.surface[term] for term in chosen)
