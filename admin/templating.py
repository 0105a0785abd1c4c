"""Jinja2 templates with autoescaping always on (SEC-10): user text renders as text."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates


def templates() -> Jinja2Templates:
    folder = str(resources.files("admin") / "templates")
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)
