"""Golden conversations: whole conversations as readable files, replayed through the pure
engine. `pytest --update-golden` rewrites the expected replies; review them as diffs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from flows.kit import Kit
from flows.loader import load_flows
from flows.model import Flow
from tests.engine.script import run, with_possible

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FILES = sorted(GOLDEN.glob("*.yml"))


class _Literal(str):
    pass


def _literal(dumper: yaml.Dumper, data: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.add_representer(_Literal, _literal)


def test_golden_files_exist() -> None:
    names = {p.stem for p in FILES}
    wanted = {
        "full-checkin",
        "skip-everything",
        "stop-midway",
        "back",
        "help-and-privacy",
        "safety-help-now",
        "safety-talk-to-person",
        "safety-carry-on",
        "safety-stop",
        "welsh",
        "possible-im-ok",
        "possible-help-now",
        "possible-talk-to-a-person",
        "person-from-help-everywhere",
        "person-stop-here",
        "concern-contact",
        "person-after-send",
        "news-after-send",
        "news-after-send-welsh",
        "news-command",
        "co-design",
    }
    assert wanted <= names, f"missing golden conversations: {sorted(wanted - names)}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden(
    path: Path, flows: dict[str, Flow], kit: Kit, request: pytest.FixtureRequest
) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    commands = [step["in"] for step in spec["steps"]]
    # `possible`: phrases a stand-in detector calls "possible", for the calm question.
    kit = with_possible(kit, spec.get("possible", []))
    # `news`: the latest published "You said, we did", {language: [said, did]}.
    if "news" in spec:
        news = {lang: (said, did) for lang, (said, did) in spec["news"].items()}
        kit = replace(kit, news=news)
    # `options`: question-set options the deployment turned on, e.g. [co_design].
    options = spec.get("options", [])
    flow = load_flows(options=options)[spec["flow"]] if options else flows[spec["flow"]]
    transcript = run(flow, kit, commands)
    if request.config.getoption("--update-golden"):
        spec["steps"] = [
            {"in": t["in"], "out": [_Literal(o) if "\n" in o else o for o in t["out"]]}
            for t in transcript
        ]
        path.write_text(
            yaml.dump(spec, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
        return
    for expected, actual in zip(spec["steps"], transcript, strict=True):
        assert actual["out"] == expected.get("out"), f"{path.name}: step {expected['in']!r}"
