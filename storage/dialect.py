"""What differs between the databases we run on: INSERT … ON CONFLICT (SQLite and
PostgreSQL agree on it) and the time zone of datetimes read back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_for(conn: AsyncConnection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything we store is UTC (REL-16)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
