"""Who may call which console route: one declared table, deny by default (SEC-12, CC-19).

Every route is registered through `RULES`; a route missing from it cannot be mounted.
Roles are checked here, team scope inside each view (a team outside the user's teams is
a 404, so ids from elsewhere reveal nothing, SEC-13). Admins manage accounts and settings
but see no data; the safeguarding lead sees the help queue; no role sees one young
person's answers or a conversation, because no route returns them.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("worker", "manager", "reviewer", "dsl", "admin")
ROLE_NAMES = {
    "worker": "Worker",
    "manager": "Manager",
    "reviewer": "Reviewer",
    "dsl": "Safeguarding lead",
    "admin": "Administrator",
}
EVERYONE = frozenset(ROLES)
INVITERS = frozenset({"worker", "manager"})
READERS = frozenset({"manager", "reviewer"})
ADMIN = frozenset({"admin"})
DSL = frozenset({"dsl"})


@dataclass(frozen=True)
class Rule:
    """roles: who may call it. stage: the login stage it serves ("full" once logged in).
    audit: the audit action written for every call. limited: counts against the one hourly
    budget per person that report views and exports share (SEC-14, SDC-13)."""

    roles: frozenset[str]
    stage: str = "full"
    audit: str | None = None
    limited: bool = False


RULES: dict[str, Rule] = {
    "home": Rule(EVERYONE),
    "mfa": Rule(EVERYONE, stage="mfa"),
    "enrol": Rule(EVERYONE, stage="enrol"),
    "logout": Rule(EVERYONE, stage="any"),
    "password": Rule(EVERYONE),
    "guidance": Rule(EVERYONE),
    "invites": Rule(INVITERS),
    "invite_create": Rule(INVITERS, audit="invite.create"),
    "invite_show": Rule(INVITERS),
    "invite_poster": Rule(INVITERS),
    "invite_qr": Rule(INVITERS),
    "invite_revoke_ask": Rule(INVITERS),
    "invite_revoke": Rule(INVITERS, audit="invite.revoke"),
    "invite_unrevoke": Rule(INVITERS, audit="invite.unrevoke"),
    "dashboard": Rule(READERS, audit="report.view", limited=True),
    "dashboard_export": Rule(READERS, audit="report.export", limited=True),
    "report_board": Rule(READERS, audit="report.view", limited=True),
    "reports": Rule(READERS),
    "report_period": Rule(READERS, audit="report.view", limited=True),
    "report_compare": Rule(READERS, audit="report.view", limited=True),
    "report_trends": Rule(READERS, audit="report.view", limited=True),
    "report_themes": Rule(READERS, audit="report.view", limited=True),
    "report_safety": Rule(READERS | DSL, audit="report.view", limited=True),
    "report_export": Rule(READERS | DSL, audit="report.export", limited=True),
    "my_results": Rule(frozenset({"worker"}), audit="report.view", limited=True),
    "queue": Rule(DSL, audit="queue.view"),
    "queue_handled": Rule(DSL, audit="queue.handled"),
    # "You said, we did": managers write; a second manager or reviewer approves (four-eyes).
    "news": Rule(READERS),
    "news_write": Rule(frozenset({"manager"}), audit="news.write", limited=True),
    "news_approve": Rule(READERS, audit="news.approve", limited=True),
    # The question-set editor: admins write a new version; a second admin, manager or
    # reviewer approves it before any young person is asked it (four-eyes, issue 15).
    "questions": Rule(ADMIN | READERS),
    "questions_create": Rule(ADMIN, audit="questions.write"),
    "questions_edit": Rule(ADMIN | READERS),
    "questions_save": Rule(ADMIN, audit="questions.write"),
    "questions_approve": Rule(ADMIN | READERS, audit="questions.approve"),
    "questions_preview": Rule(ADMIN | READERS),
    "users": Rule(ADMIN),
    "user_create": Rule(ADMIN, audit="user.create"),
    "user_edit": Rule(ADMIN),
    "user_role": Rule(ADMIN, audit="user.role"),
    "user_disable": Rule(ADMIN, audit="user.disable"),
    "user_enable": Rule(ADMIN, audit="user.enable"),
    "user_reset_mfa": Rule(ADMIN, audit="user.reset_mfa"),
    "teams": Rule(ADMIN),
    "team_create": Rule(ADMIN, audit="team.create"),
    "team_edit": Rule(ADMIN),
    "team_rename": Rule(ADMIN, audit="team.rename"),
    "team_archive": Rule(ADMIN, audit="team.archive"),
    "team_restore": Rule(ADMIN, audit="team.restore"),
    "settings": Rule(ADMIN),
    "settings_save": Rule(ADMIN, audit="settings.change"),
    "logo_save": Rule(ADMIN, audit="settings.logo"),
    "logo_remove": Rule(ADMIN, audit="settings.logo"),
    "audit": Rule(ADMIN, audit="audit.view"),
    "wording": Rule(ADMIN | DSL),
    "alerts": Rule(ADMIN),
    "alert_release": Rule(ADMIN, audit="alert.release"),
    "alert_delete": Rule(ADMIN, audit="alert.delete"),
}


def allowed(rule: Rule, role: str) -> bool:
    return role in rule.roles
