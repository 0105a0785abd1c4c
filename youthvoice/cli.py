"""`youthvoice`: run the product, try a question set in a terminal, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from youthvoice import admin_cli, logs
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings


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
    admin_cli.add_parsers(sub)
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
        return asyncio.run(admin_cli.run_admin(settings, args))
    if args.command == "demo":
        return asyncio.run(admin_cli.run_demo(settings))
    if args.command in ("backup", "restore"):
        return _backup(settings, args)
    return asyncio.run(_purge(settings))


if __name__ == "__main__":
    sys.exit(main())
