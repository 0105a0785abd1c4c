"""Times kept about young people are no finer than an hour (AN-08): an exact time could
match a message's timestamp on the channel, or link one table's row to another's."""

from __future__ import annotations

import datetime as dt

HOUR = dt.timedelta(hours=1)


def hour_down(moment: dt.datetime) -> dt.datetime:
    """The start of the (UTC) hour holding `moment`."""
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def hour_up(moment: dt.datetime) -> dt.datetime:
    """The first whole hour at or after `moment`: an expiry rounded up never comes early."""
    start = hour_down(moment)
    return start if start == moment.astimezone(dt.UTC) else start + HOUR


def day_of(moment: dt.datetime) -> dt.datetime:
    """Midnight (UTC) of the day holding `moment`: enough to forget an update id by."""
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
