"""`youthvoice`: run the product, try a question set in a terminal, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

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
    sub.add_parser("purge", help="delete expired drafts and old update marks now")
    admin_cli.add_parsers(sub)
    return parser


async def _serve(settings: Settings) -> int:
    from youthvoice.serve import serve

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
            except EOFError:
                return None

        await chat(services.conversations, invite, lang, read, print)
        return 0
    finally:
        await services.close()


async def _db(settings: Settings, action: str) -> int:
    from storage import migrate

    if action == "upgrade":
        await migrate.upgrade(settings.db_url)
    else:
        await migrate.check(settings.db_url)
    print(f"database {action}: ok")
    return 0


async def _purge(settings: Settings) -> int:
    from storage.housekeeping import purge

    services = await bootstrap(settings)
    try:
        now = services.clock()
        counts = await purge(services.db, now, services.conversations.period(now))
        print(", ".join(f"{name}: {n}" for name, n in counts.items()))
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
        return asyncio.run(_chat(settings, args.invite, args.lang))
    if args.command == "db":
        return asyncio.run(_db(settings, args.action))
    if args.command == "admin":
        return asyncio.run(admin_cli.run_admin(settings, args))
    if args.command == "demo":
        return asyncio.run(admin_cli.run_demo(settings))
    return asyncio.run(_purge(settings))


if __name__ == "__main__":
    sys.exit(main())
