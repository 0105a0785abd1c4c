"""Read question sets, shared wording and helplines from YAML into validated models.

Validation errors are rewritten to name the file and the failing place, e.g.
``relationship-checkin.yml: node 'trust': unknown scale 'how_muhc'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from flows.helplines import Helplines
from flows.kit import Copy
from flows.model import NODE_KINDS, Flow


class FlowError(ValueError):
    """A data file that does not describe a valid question set, copy or helpline list."""


def data_dir() -> Path:
    return Path(str(resources.files("flows") / "data"))


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FlowError(f"{path.name}: {exc}") from exc


def _place(loc: tuple[Any, ...], data: Any) -> str:
    """Where an error is, naming a node by its id: "node 'heard' text", not "nodes.3.scale.text"."""
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        try:
            node_id = data["nodes"][loc[1]]["id"]
        except (KeyError, IndexError, TypeError):
            node_id = None
        if isinstance(node_id, str):
            rest = loc[3:] if len(loc) > 2 and loc[2] in NODE_KINDS else loc[2:]
            return " ".join([f"node '{node_id}'", ".".join(str(p) for p in rest)]).strip()
    return ".".join(str(p) for p in loc)


def _describe(exc: ValidationError, data: Any = None) -> str:
    parts = []
    for err in exc.errors():
        where = _place(tuple(err["loc"]), data)
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def _validate(model: type[BaseModel], path: Path, data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FlowError(f"{path.name}: {_describe(exc, data)}") from exc


def load_flow(path: Path) -> Flow:
    flow: Flow = _validate(Flow, path, _read(path))
    return flow


def parse_flow(text: str, name: str = "draft") -> Flow:
    """A question set written as YAML or JSON (a console draft), validated like a file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FlowError(f"{name}: {exc}") from exc
    return flow_from_data(data, name)


def flow_from_data(data: Any, name: str = "draft") -> Flow:
    flow: Flow = _validate(Flow, Path(name), data)
    return flow


def flow_files(directory: Path | None = None) -> dict[str, Flow]:
    """Every question set in a directory, by id, with every node (options not applied)."""
    folder = directory or data_dir() / "flows"
    flows: dict[str, Flow] = {}
    for path in sorted(folder.glob("*.yml")):
        flow = load_flow(path)
        if flow.id in flows:
            raise FlowError(f"{path.name}: question set id '{flow.id}' is used twice")
        flows[flow.id] = flow
    return flows


def load_flows(directory: Path | None = None, options: Iterable[str] = ()) -> dict[str, Flow]:
    """Every question set in a directory, by id, as asked with these options on (a node
    with `only_with` is left out unless its option is on)."""
    return {fid: flow.with_options(options) for fid, flow in flow_files(directory).items()}


def load_copy(path: Path | None = None) -> Copy:
    file = path or data_dir() / "copy.yml"
    copy: Copy = _validate(Copy, file, _read(file))
    try:
        copy.check_complete()
    except ValueError as exc:
        raise FlowError(f"{file.name}: {exc}") from exc
    return copy


def load_helplines(country: str, directory: Path | None = None) -> Helplines:
    file = (directory or data_dir() / "helplines") / f"{country.upper()}.yml"
    if not file.exists():
        raise FlowError(f"no helpline list for country '{country}' (looked for {file.name})")
    helplines: Helplines = _validate(Helplines, file, _read(file))
    return helplines
