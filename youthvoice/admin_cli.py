"""`youthvoice admin …` and `youthvoice demo logins`: console accounts from the command
line, for the first admin and for when nobody can sign in (a lost authenticator, the
last admin locked out). Every change is written to the audit log as done "via cli"."""

from __future__ import annotations

import argparse
import getpass
import sys

from storage import accounts, catalog
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

ROLES = ("worker", "manager", "reviewer", "dsl", "admin")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser("admin", help="console accounts")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser(
        "create-user", help="add a console account; the password is asked for twice"
    )
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--team", action="append", default=[], help="team name (repeatable)")
    create.add_argument("--worker-name", help="for a worker: the name young people know them by")
    admin_sub.add_parser("list-users", help="list console accounts, their roles and state")
    for name, text in (
        ("reset-mfa", "forget a lost authenticator; they set up a new one at next sign-in"),
        ("disable", "stop an account signing in and end its sessions"),
        ("enable", "let a disabled account sign in again"),
    ):
        admin_sub.add_parser(name, help=text).add_argument("username")
    demo = sub.add_parser("demo", help="the demo organisation")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    demo_sub.add_parser("logins", help="print the demo console logins and their password")


async def run_admin(settings: Settings, args: argparse.Namespace) -> int:
    if args.admin_command == "create-user":
        return await _create_user(settings, args)
    services = await bootstrap(settings)
    try:
        if args.admin_command == "list-users":
            return await _list_users(services)
        return await _change(services, args.admin_command, args.username.strip().lower())
    finally:
        await services.close()


async def _audit(services: Services, action: str, user_id: str) -> None:
    async with services.db.write() as conn:
        await accounts.audit(
            conn,
            at=services.clock(),
            actor_id=None,
            actor_role=None,
            action=action,
            outcome="ok",
            params={"user": user_id, "via": "cli"},
            request_id="cli",
        )


async def _list_users(services: Services) -> int:
    async with services.db.read() as conn:
        people = await accounts.users(conn)
    print(f"{'username':<24} {'role':<9} {'authenticator':<14} state")
    for user in people:
        factor = "set up" if user.totp_secret else "not set up"
        state = "disabled" if user.disabled else "active"
        print(f"{user.username:<24} {user.role:<9} {factor:<14} {state}")
    await _audit(services, "user.list", "")
    return 0


async def _change(services: Services, command: str, username: str) -> int:
    async with services.db.read() as conn:
        user = await accounts.user_by_name(conn, username)
    if user is None:
        print(f"no account named {username!r}", file=sys.stderr)
        return 1
    async with services.db.write() as conn:
        if command == "reset-mfa":
            await accounts.set_totp(conn, user.id, None)  # its recovery codes go too
        else:
            await accounts.set_disabled(
                conn, user.id, services.clock() if command == "disable" else None
            )
        await accounts.delete_user_sessions(conn, user.id)
    await _audit(services, "user." + command.replace("-", "_"), user.id)
    done = {
        "reset-mfa": "will set up a new authenticator app at their next sign-in",
        "disable": "is disabled and signed out everywhere",
        "enable": "may sign in again",
    }
    print(f"{username} {done[command]}.")
    return 0


def _read_password() -> str | None:
    """Twice via getpass on a terminal; one line from stdin otherwise (for scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Same password again: ") != first:
        print("The passwords are different.", file=sys.stderr)
        return None
    return first


async def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    from admin.console.passwords import PasswordPolicy, Passwords

    username = args.username.strip().lower()
    password = _read_password()
    if password is None:
        return 1
    problem = PasswordPolicy.load().problem(password, username, settings.org_name)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    services = await bootstrap(settings)
    try:
        async with services.db.read() as conn:
            teams = {name: team_id for team_id, name in await catalog.teams(conn)}
            taken = await accounts.user_by_name(conn, username) is not None
        missing = [t for t in args.team if t not in teams]
        if taken or missing:
            print(
                f"no team named {missing[0]!r}" if missing else "that username is taken",
                file=sys.stderr,
            )
            return 1
        team_ids = [teams[t] for t in args.team]
        password_hash = Passwords().hash(password)
        async with services.db.write() as conn:
            worker_id = None
            if args.worker_name and args.role == "worker" and team_ids:
                worker_id = await catalog.add_worker(conn, team_ids[0], args.worker_name)
            user_id = await accounts.add_user(
                conn,
                username=username,
                password_hash=password_hash,
                role=args.role,
                team_ids=team_ids,
                now=services.clock(),
                worker_id=worker_id,
            )
        await _audit(services, "user.create", user_id)
        extra = (
            " They will set up an authenticator app at first login."
            if args.role != "worker"
            else ""
        )
        print(f"created {args.role} {username!r}.{extra}")
        return 0
    finally:
        await services.close()


async def run_demo(settings: Settings) -> int:
    from youthvoice.demo import read_login

    login = read_login(settings)
    if login is None:
        print("No demo logins here: they are made on the first run with DEMO_DATA=true.")
        return 1
    print(f"demo console logins: {', '.join(login.usernames)}")
    print(f"demo password (the same for each): {login.password}")
    return 0
