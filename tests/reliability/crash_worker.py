"""A process that answers the first questions of a check-in, then dies with SIGKILL-like
abruptness (os._exit: no cleanup, no close) right after a step was committed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from flows.inputs import Choose, Start
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings


async def main(data_dir: str, code: str, person: str) -> None:
    services = await bootstrap(Settings(_env_file=None, data_dir=Path(data_dir), demo_data=False))
    service = services.conversations
    await service.handle("t", person, Start((("invite", code),)))
    await service.handle("t", person, Choose("intro", "next"))
    await service.handle("t", person, Choose("trust", "4"))
    await service.handle("t", person, Choose("relatability", "2"))
    print("committed", flush=True)
    os._exit(9)  # no close, no checkpoint: as if the machine lost the process


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
