"""Pure-Python TF-IDF over word unigrams and bigrams, and thresholded cosine neighbours.

Used by the emerging-theme clusterer on comments that matched no framework theme. Terms are
stems (so "meeting"/"meetings" are one term); bigrams join two adjacent content words, never
across a stop word or punctuation ("the meeting room is cold" -> meet, room, cold, "meet
room"). Each term remembers how comments spelled it, so labels read as real words.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from themes.text import stem, tokenise

# Function words plus words that say how someone feels overall but not about what; without
# the latter, "good / great" would be the biggest emerging "theme".
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each even ever every
few for from further get got had has have having he her here hers herself him himself his how
i if in into is it its itself just me more most much my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some still such than that
the their theirs them themselves then there these they this those through to too under until
up us very was we were what when where which while who whom why will with would you your
yours yourself yourselves im ive dont didnt cant wont isnt wasnt nothing anything something
everything thing things lot lots really quite bit always never sometimes maybe also ok okay
good great nice lovely excellent brilliant amazing fantastic happy thank thanks thankyou
well better best bad fine yes like would could think feel felt way one two make made
""".split())

_SPARSE = dict[str, float]


@dataclass(frozen=True)
class Vectors:
    rows: tuple[_SPARSE, ...]  # one L2-normalised sparse vector per text
    idf: dict[str, float]
    doc_freq: dict[str, int]
    terms_of: tuple[frozenset[str], ...]  # every term a text contains, kept or not
    surface: dict[str, str]  # most common spelling of each kept term


def content_terms(text: str) -> list[tuple[str, str]]:
    """(term, surface) pairs: stems of content words and of adjacent content-word pairs."""
    terms: list[tuple[str, str]] = []
    previous: tuple[str, str] | None = None
    for token in tokenise(text):
        if not token.isalpha() or len(token) < 2 or token in STOP_WORDS:
            previous = None
            continue
        key = stem(token)
        terms.append((key, token))
        if previous is not None:
            terms.append((f"{previous[0]} {key}", f"{previous[1]} {token}"))
        previous = (key, token)
    return terms


def vectorise(texts: Sequence[str], min_df: int = 2) -> Vectors:
    """TF-IDF vectors; a term seen in fewer than `min_df` texts cannot link texts and is dropped."""
    per_text = [content_terms(text) for text in texts]
    doc_freq: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for terms in per_text:
        doc_freq.update({term for term, _ in terms})
        for term, spelling in terms:
            spellings[term][spelling] += 1
    n = len(texts)
    idf = {
        term: math.log((1 + n) / (1 + df)) + 1.0 for term, df in doc_freq.items() if df >= min_df
    }
    rows = []
    for terms in per_text:
        counts = Counter(term for term, _ in terms if term in idf)
        row = {term: (1.0 + math.log(c)) * idf[term] for term, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in row.values()))
        rows.append({term: w / norm for term, w in row.items()} if norm else {})
    # Ties broken alphabetically so labels do not depend on input order.
    surface = {t: min(spellings[t].items(), key=lambda kv: (-kv[1], kv[0]))[0] for t in idf}
    return Vectors(
        rows=tuple(rows),
        idf=idf,
        doc_freq=dict(doc_freq),
        terms_of=tuple(frozenset(term for term, _ in terms) for terms in per_text),
        surface=surface,
    )


def neighbours(rows: Sequence[_SPARSE], threshold: float) -> list[list[int]]:
    """For each row, the other rows whose cosine similarity is at least `threshold`.

    Uses an inverted index, so only pairs that share a term are ever compared.
    """
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, row in enumerate(rows):
        for term, weight in row.items():
            postings[term].append((index, weight))
    result: list[list[int]] = [[] for _ in rows]
    for index, row in enumerate(rows):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in row.items():
            # Postings are in index order: walk back only over the rows after this one.
            for other, other_weight in reversed(postings[term]):
                if other <= index:
                    break
                scores[other] += weight * other_weight
        for other, score in scores.items():
            if score >= threshold:
                result[index].append(other)
                result[other].append(index)
    for linked in result:
        linked.sort()
    return result
