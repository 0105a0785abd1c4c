"""What a lock-screen preview must never show (CC-12): the first 60 characters of every
message a young person gets stay neutral. Welsh words change their first letter after
some words (mutation): "dy weithiwr" (your worker), "fy ngham-drin" (abusing me), so
every form is listed."""

from __future__ import annotations

PREVIEW_CHARS = 60
PREVIEW_DENY = (
    "abuse",
    "worker",
    "trust",
    "feedback about",
    *("gweithiwr", "weithiwr", "ngweithiwr", "gweithwyr", "weithwyr", "ngweithwyr"),
    *("cam-drin", "gam-drin", "ngham-drin", "cham-drin", "camdriniaeth", "gamdriniaeth"),
    *("ymddiried", "adborth am"),
)


def preview_is_neutral(text: str) -> bool:
    preview = text[:PREVIEW_CHARS].lower()
    return not any(word in preview for word in PREVIEW_DENY)
