"""Tables. Anonymity is built into the shape (requirements §0.1, AN-01..09):

- `conversations` is keyed by an HMAC of the channel id and holds drafts only; it has no
  link to anything else and is deleted on Send, Stop or expiry.
- `submissions`, `answers` and `comments` carry random 128-bit keys, a month bucket and
  the team (and optionally worker) they are about, never a person, pseudonym or timestamp.
  On SQLite they are WITHOUT ROWID, so storage order follows the random key.
- `participation` holds only an HMAC per invite to stop double sending; it shares no
  column with submissions.
- `deletion_receipts` holds only SHA-256 of a receipt code the young person chose (AN-19).
- `help_requests` holds what a young person chose to give for contact, sealed under
  DATA_KEY, with only its language, the invite's team and the hour it came in: unlinked to
  answers.
- `pace_counts` and `volume_alerts` hold counts per invite and hour or day, and the alerts
  they raise: nothing about who. A submission beyond its invite's pace carries its alert
  in `hold_id` (the held flag) until an admin releases or deletes it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
UTC = DateTime(timezone=True)
NO_ROWID = {"sqlite_with_rowid": False}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Team(Base):
    """A team; an archived one keeps its history in reports but takes no new invites."""

    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTC)


class Worker(Base):
    """A worker as young people know them: a display name, used for scoping and scrubbing."""

    __tablename__ = "workers"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(120))


class Invite(Base):
    """A shared link or QR code: a team (or worker) and a question set, never a young person."""

    __tablename__ = "invites"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    # Eight Crockford base32 characters for typing from a poster (storage.catalog).
    short_code: Mapped[str] = mapped_column(String(8), unique=True, index=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("workers.id"))
    flow_id: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[dt.datetime] = mapped_column(UTC)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTC)


class Conversation(Base):
    __tablename__ = "conversations"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[dt.datetime] = mapped_column(UTC, index=True)


class ProcessedUpdate(Base):
    """Channel update ids already handled (REL-01/02): membership, never "greater than"."""

    __tablename__ = "processed_updates"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UTC, index=True)


class Participation(Base):
    __tablename__ = "participation"
    pid: Mapped[str] = mapped_column(String(64), primary_key=True)
    purge_after: Mapped[str] = mapped_column(String(7), index=True)


HELD_ONLY = "hold_id IS NOT NULL"


def record_key() -> int:
    """A fresh record key (SDC-14): uniform on 0..255, from the OS's secure source."""
    return secrets.randbelow(256)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        # Partial: it finds the few held rows, and the planner can never pick it for the
        # report queries' `hold_id IS NULL` (that would walk every submission).
        Index(
            "ix_submissions_hold_id",
            "hold_id",
            sqlite_where=text(HELD_ONLY),
            postgresql_where=text(HELD_ONLY),
        ),
        NO_ROWID,
    )
    id: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("workers.id"))
    flow_id: Mapped[str] = mapped_column(String(32))
    flow_version: Mapped[int] = mapped_column(SmallInteger)
    # The held flag (issue 10): the volume alert this submission is held under, or NULL
    # when it counts. Every report and theme query excludes held submissions.
    hold_id: Mapped[str | None] = mapped_column(String(24))
    # ONS cell key method (SDC-14): a random 0..255 per submission, drawn at insert; a
    # published cell's noise is chosen by the sum of its records' keys, so the same cell
    # always gets the same noise and asking again cannot average it away.
    record_key: Mapped[int] = mapped_column(SmallInteger, default=record_key)


class Answer(Base):
    """One scale or choice item of a submission; `value` is NULL when skipped or withheld."""

    __tablename__ = "answers"
    __table_args__ = NO_ROWID
    submission_id: Mapped[bytes] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(24), primary_key=True)
    value: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(8))


class Comment(Base):
    """Scrubbed free text (AN-14). Linked to its submission only to count distinct respondents."""

    __tablename__ = "comments"
    __table_args__ = NO_ROWID
    id: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    submission_id: Mapped[bytes] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(7), index=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("workers.id"))
    question: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    # False for words kept after "I'm OK" at the calm question: feedback, never a quote.
    quotable: Mapped[bool] = mapped_column(Boolean, server_default=true())


class CommentTheme(Base):
    __tablename__ = "comment_themes"
    __table_args__ = NO_ROWID
    comment_id: Mapped[bytes] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(24), primary_key=True)
    polarity: Mapped[str] = mapped_column(String(8))


class DeletionReceipt(Base):
    """A receipt the young person chose at Send (AN-19): only SHA-256 of their code, so the
    database alone can never show or rebuild it. Goes with its submission."""

    __tablename__ = "deletion_receipts"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    submission_id: Mapped[bytes] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )


class SafetyCount(Base):
    """Unlinked counters (CC-20): how often the safety block was shown, by month and reason."""

    __tablename__ = "safety_counts"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    reason: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class HelpRequest(Base):
    """ "Talk to a person" (SG-07) or a concern (CC-25): only the way to reach them the young
    person typed, sealed (a copied database file does not show it), the language, the
    invite's team (so the lead knows which service to call) and the hour, never a time."""

    __tablename__ = "help_requests"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, index=True)
    kind: Mapped[str] = mapped_column(String(8), server_default="person")
    lang: Mapped[str] = mapped_column(String(8), server_default="en")
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    sealed_contact: Mapped[bytes] = mapped_column(LargeBinary)
    notified: Mapped[bool] = mapped_column(Boolean, server_default=false())
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    handled_by: Mapped[str | None] = mapped_column(String(24))
    sealed_outcome: Mapped[bytes | None] = mapped_column(LargeBinary)


class AlertMark(Base):
    """Alerts to the safeguarding rota, shared by every process: "dsl" holds since when
    requests have waited for a notice (SG-08), so requests in a short window make one, and
    goes when the notice does; "overdue" holds when the rota was last reminded of a
    request past its target (CC-25). Neither names a request."""

    __tablename__ = "alert_marks"
    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    marked_at: Mapped[dt.datetime] = mapped_column(UTC)


class PaceCount(Base):
    """Completed check-ins per invite (or "org") per UTC clock hour ("2026-12-05T11") or day
    ("2026-12-05"): counts only, deleted after two days (issue 10)."""

    __tablename__ = "pace_counts"
    scope: Mapped[str] = mapped_column(String(24), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(13), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class VolumeAlert(Base):
    """ "Unusual volume on invite X" (issue 10, SEC-25): which invite (NULL: the whole
    organisation) and the clock hour it was raised; who resolved it and how. Never who sent."""

    __tablename__ = "volume_alerts"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    invite_id: Mapped[str | None] = mapped_column(ForeignKey("invites.id"), index=True)
    raised_hour: Mapped[str] = mapped_column(String(13))
    status: Mapped[str] = mapped_column(String(10))
    resolved_by: Mapped[str | None] = mapped_column(String(24))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTC)


# --- Admin console (issue 4): staff accounts, sessions, audit. None of it is about a young
# person; none of it links to submissions, comments or help requests.


class ConsoleUser(Base):
    """A member of staff. `worker_id` links a worker account to the name young people know
    (for invites "about me" and, if enabled, their own banded results)."""

    __tablename__ = "console_users"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("workers.id"))
    # Sealed with DATA_KEY (SEC-21): a copied database alone reveals no secret.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTC)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    # The second factor was locked by wrong codes: say so (without detail) at next sign-in.
    mfa_lock_notice: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Made by the demo seed; with DEMO_DATA=true only these may skip the second factor.
    demo: Mapped[bool] = mapped_column(Boolean, server_default=false())


class RecoveryCode(Base):
    """Single-use recovery codes for a lost authenticator (SEC-05): SHA-256 of 60 random
    bits each, so the table alone cannot be turned back into codes."""

    __tablename__ = "recovery_codes"
    user_id: Mapped[str] = mapped_column(
        ForeignKey("console_users.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class UserTeam(Base):
    """The teams a member of staff is scoped to (SEC-12)."""

    __tablename__ = "user_teams"
    user_id: Mapped[str] = mapped_column(
        ForeignKey("console_users.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), primary_key=True)


class ConsoleSession(Base):
    """A server-side session (SEC-06/07). Only a SHA-256 of the cookie value is stored, so a
    copy of the database cannot be replayed as a login. `stage` is "mfa" or "enrol" until
    the second factor is done, then "full"."""

    __tablename__ = "console_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("console_users.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(8))
    csrf_token: Mapped[str] = mapped_column(String(64))
    pending_totp: Mapped[str | None] = mapped_column(String(255))  # sealed, as totp_secret
    created_at: Mapped[dt.datetime] = mapped_column(UTC)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTC)


class LoginAttempt(Base):
    """A failed login, keyed by a hash of the account name typed (known or not), for
    throttling that behaves the same whether or not the account exists (SEC-03)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTC)


class AuditEvent(Base):
    """Append-only security and access log (SEC-17); triggers refuse UPDATE and DELETE.
    `params` is JSON of catalogue values only (period, scope, ids): never free text."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTC, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(24), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    params: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str] = mapped_column(String(24))


class ConsoleSetting(Base):
    """Settings an admin changes in the console (e.g. a stricter k), audited on change."""

    __tablename__ = "console_settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UTC)
    updated_by: Mapped[str | None] = mapped_column(String(24))


class OrgLogo(Base):
    """The organisation's logo for posters (issue 15): only ever the PNG re-encoded from an
    admin's upload, never the uploaded bytes."""

    __tablename__ = "org_logo"
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC)
    updated_by: Mapped[str | None] = mapped_column(String(24))


# --- Outbox (issue 13): replies waiting for delivery, written with the step they answer.


class OutboxMessage(Base):
    """One Bot API call still to make (REL-04). The chat id and the call are sealed under
    DATA_KEY; `lane` (an HMAC of the chat) keeps one chat's calls in `seq` order. A row is
    deleted the moment its call succeeds. `born` is the hour it was written (enough for the
    maximum age); `owner` and `lease` say which process is delivering it, until when."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lane: Mapped[str] = mapped_column(String(64), index=True)
    chat: Mapped[bytes] = mapped_column(LargeBinary)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    urgent: Mapped[bool] = mapped_column(Boolean)
    born: Mapped[dt.datetime] = mapped_column(UTC)
    owner: Mapped[str | None] = mapped_column(String(16))
    lease: Mapped[dt.datetime | None] = mapped_column(UTC)


# --- "You said, we did" (issue 15): managers' answers, published by a second person.


class NewsItem(Base):
    """One response for a closed period. `wording` is JSON {language: {said, did}} as the
    author wrote it, figures as placeholders; `shown` is the same with the gateway's figures
    filled in when a second person approves it (four-eyes: the database refuses the author
    as approver). No free text from young people is ever copied here."""

    __tablename__ = "news"
    __table_args__ = (
        CheckConstraint("approved_by IS NULL OR approved_by <> written_by", name="four_eyes"),
    )
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    topic: Mapped[str | None] = mapped_column(String(48))
    wording: Mapped[str] = mapped_column(Text)
    shown: Mapped[str | None] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(24))
    written_at: Mapped[dt.datetime] = mapped_column(UTC)
    approved_by: Mapped[str | None] = mapped_column(String(24))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTC, index=True)


class QuestionSet(Base):
    """One version of a question set written in the console (issue 15): `body` is the JSON of
    the same `flows.model.Flow` the YAML files hold, validated before it is saved. A draft
    until a second person approves it; then published, and the newest published version is
    the one new check-ins use (four-eyes: the database refuses the author as approver)."""

    __tablename__ = "question_sets"
    __table_args__ = (
        CheckConstraint("approved_by IS NULL OR approved_by <> written_by", name="four_eyes"),
        UniqueConstraint("flow_id", "version"),
    )
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(24))
    written_at: Mapped[dt.datetime] = mapped_column(UTC)
    approved_by: Mapped[str | None] = mapped_column(String(24))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTC, index=True)
