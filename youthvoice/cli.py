"""`youthvoice`: run the product, try a question set in a terminal, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import shutil
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from youthvoice import logs
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

ROLES = ("worker", "manager", "reviewer", "dsl", "admin")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="youthvoice", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run web chat, console and (with a token) Telegram")
    chat = sub.add_parser("chat", help="answer a question set in this terminal")
    chat.add_argument("--invite", help="invite code (default: the first open invite)")
    chat.add_argument("--lang", help="language code, e.g. cy")
    db = sub.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "check"])
    sub.add_parser(
        "purge", help="delete now what is past its retention (drafts, marks, answers, ...)"
    )
    save = sub.add_parser("backup", help="write an encrypted backup of the SQLite database")
    save.add_argument("path", type=Path)
    load = sub.add_parser("restore", help="restore an encrypted backup (stop the server first)")
    load.add_argument("path", type=Path)
    load.add_argument("--replace", action="store_true", help="overwrite a database with data")
    admin = sub.add_parser("admin", help="console accounts")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser(
        "create-user", help="add a console account; the password is asked for twice"
    )
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--team", action="append", default=[], help="team name (repeatable)")
    create.add_argument("--worker-name", help="for a worker: the name young people know them by")
    return parser


async def _serve(settings: Settings) -> int:
    from youthvoice.serve import serve

    if _port_taken(settings.host, settings.port):
        print(
            f"Port {settings.port} on {settings.host} is already in use. Youth Voice may already "
            f"be running: open {settings.public_url}. Otherwise stop the program using it, "
            f"or choose another port, e.g. PORT={settings.port + 1} make run",
            file=sys.stderr,
        )
        return 1
    services = await bootstrap(settings)
    try:
        await serve(services)  # closes services itself on a signal, inside uvicorn's shutdown
    finally:
        await services.close()
    return 0


async def _chat(settings: Settings, invite: str | None, lang: str | None) -> int:
    from bot.terminal import chat
    from storage import catalog

    services = await bootstrap(settings)
    try:
        if settings.demo_data:  # `make chat` on a fresh clone has the demo to try, as serve does
            from storage.startup_lock import startup_lock
            from youthvoice.demo import seed_if_empty

            async with startup_lock(settings.db_url):
                await seed_if_empty(services)
        if invite is None:
            async with services.db.read() as conn:
                open_invites = [
                    i for i in await catalog.invites(conn) if i.usable(services.clock())
                ]
            if not open_invites:
                print("No open invites yet. Create one in the console, or run with demo data.")
                return 1
            invite = open_invites[-1].code

        def read() -> str | None:
            try:
                return input("> ")
            except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C: leave, keeping nothing
                print()
                return None

        # asyncio.run turns the first Ctrl-C into a cancellation that waits for input() to
        # return; a person pressing Ctrl-C at the prompt wants to leave now.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        width = min(shutil.get_terminal_size((80, 24)).columns, 100) - 1
        await chat(services.conversations, invite, lang, read, print, width=width)
        return 0
    finally:
        await services.close()


async def _db(settings: Settings, action: str) -> int:
    from storage import migrate

    if action == "upgrade":
        await migrate.upgrade(settings.db_url, data_key=settings.data_key_bytes())
    else:
        await migrate.check(settings.db_url)
    print(f"database {action}: ok")
    return 0


async def _purge(settings: Settings) -> int:
    from storage.housekeeping import purge

    services = await bootstrap(settings)
    try:
        now = services.clock()
        counts = await purge(services.db, now, services.conversations.period(now), services.keep)
        print(", ".join(f"{name}: {n}" for name, n in counts.items()))
        return 0
    finally:
        await services.close()


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    from storage.backup import BackupError, backup, restore
    from storage.db import is_sqlite
    from storage.sealing import Sealer, SealError

    if not is_sqlite(settings.db_url):
        print("On PostgreSQL, back up with pg_dump (see the README's Backups section).")
        return 2
    database = Path(str(make_url(settings.db_url).database))
    sealer = Sealer(settings.data_key_bytes())
    try:
        if args.command == "backup":
            size = backup(database, args.path, sealer)
            print(f"backup written to {args.path} ({size // 1024} KiB, encrypted with DATA_KEY)")
        else:
            count = restore(args.path, database, sealer, replace=args.replace)
            print(f"restored {count} submissions into {database}")
    except (BackupError, SealError, OSError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
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
    from storage import accounts, catalog

    username = args.username.strip().lower()
    password = _read_password()
    if password is None:
        return 1
    problem = PasswordPolicy.load().problem(password, username)
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
            await accounts.add_user(
                conn,
                username=username,
                password_hash=password_hash,
                role=args.role,
                team_ids=team_ids,
                now=services.clock(),
                worker_id=worker_id,
            )
        extra = (
            " They will set up an authenticator app at first login."
            if args.role != "worker"
            else ""
        )
        print(f"created {args.role} {username!r}.{extra}")
        return 0
    finally:
        await services.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    logs.configure(settings.log_level, settings.log_file)
    if args.command == "serve":
        return asyncio.run(_serve(settings))
    if args.command == "chat":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # nothing above the welcome
        try:
            return asyncio.run(_chat(settings, args.invite, args.lang))
        except KeyboardInterrupt:  # Ctrl-C while the bot was busy: leave quietly
            return 130
    if args.command == "db":
        return asyncio.run(_db(settings, args.action))
    if args.command == "admin":
        return asyncio.run(_create_user(settings, args))
    if args.command in ("backup", "restore"):
        return _backup(settings, args)
    return asyncio.run(_purge(settings))


if __name__ == "__main__":
    sys.exit(main())
