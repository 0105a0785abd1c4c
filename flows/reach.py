"""Whether a reply to "How can we reach you?" gives a person a way to reach them (SG-07).

Generous on purpose: a phone number, an email address, or a place to ask for them ("ask
for me at the youth club", "find me at the hostel", Welsh "gofyn amdana i yn …"). What
it refuses is a reply nobody could act on: blank, "ok", "idk", "just text me".

Example::

    reachable("07700 900456 after 4")      # True
    reachable("ask for Sam at the drop-in")  # True
    reachable("idk")                        # False
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Runs of digits with the spacing people type; 10 to 15 digits is a phone number (UK 11).
PHONE_RUN = re.compile(r"\+?\d[\d\s().-]*\d")
PHONE_DIGITS = range(10, 16)
# "ask for me at", "ask for Sam at", "find me at", "I live at", "come to", in English and
# Welsh, followed by a place of at least two letters.
PLACE = re.compile(
    r"\b(?:ask(?:\s+for)?\s+(?:me|\w+)\s+(?:at|in)"
    r"|ask\s+(?:at|in)|find\s+me\s+(?:at|in)"
    r"|i\s+(?:live|stay|go)\s+(?:at|in|to)|come\s+to|see\s+me\s+at|meet\s+me\s+at"
    r"|gofyn(?:na)?\s+am\w*\s+(?:\w+\s+)?(?:yn|yng|ym|wrth)"
    r"|ffeindia\s+fi\s+(?:yn|yng|ym|wrth)|dere\s+i)"
    r"(?:\s+\w+)*?\s+\w{2,}",
    re.IGNORECASE,
)


def reachable(text: str) -> bool:
    """True if `text` holds a phone number, an email address or a place to ask for them."""
    if EMAIL.search(text) or PLACE.search(text):
        return True
    for run in PHONE_RUN.finditer(text):
        if sum(ch.isdigit() for ch in run.group()) in PHONE_DIGITS:
            return True
    return False
