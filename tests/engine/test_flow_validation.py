"""Question sets are data: invalid ones fail with errors that name the failing place."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.loader import FlowError, data_dir, load_flow, load_helplines
from flows.model import NODE_KINDS

SOURCE = data_dir() / "flows" / "relationship-checkin.yml"


def _broken(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.yml"
    path.write_text(yaml.dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _node(data, node_id):  # type: ignore[no-untyped-def]
    return next(n for n in data["nodes"] if n["id"] == node_id)


CASES = {
    "unknown scale": (
        lambda d: _node(d, "trust").update(scale="how_muhc"),
        "node 'trust': unknown scale 'how_muhc'",
    ),
    "missing Welsh": (
        lambda d: _node(d, "heard")["text"].pop("cy"),
        "node 'heard' text: missing language cy",
    ),
    "scale point out of range": (
        lambda d: d["scales"]["how_much"][4].update(value=7),
        "less than or equal to 5",
    ),
    "duplicate id": (lambda d: _node(d, "power").update(id="trust"), "node 'trust': id used twice"),
    "no review before end": (lambda d: d["nodes"].pop(-2), "must be a review"),
    "unknown kind": (lambda d: _node(d, "agency").update(kind="slider"), "slider"),
    "too long limit": (lambda d: _node(d, "helps").update(max_length=99999), "max_length"),
}


@pytest.mark.parametrize("name", CASES)
def test_errors_name_the_place(tmp_path: Path, name: str) -> None:
    change, message = CASES[name]
    with pytest.raises(FlowError) as err:
        load_flow(_broken(tmp_path, change))
    assert message in str(err.value)
    assert "broken.yml" in str(err.value)


def test_the_default_set_has_six_dimensions_and_three_optional_texts() -> None:
    flow = load_flow(SOURCE).with_options(())  # as asked with no option turned on
    assert [n.id for n in flow.nodes if n.kind == "scale"] == [
        "trust",
        "relatability",
        "heard",
        "power",
        "agency",
        "aliveness",
    ]
    assert [n.id for n in flow.nodes if n.kind == "text"] == ["helps", "better", "tell"]
    assert set(flow.languages) >= {"en", "cy"}


def test_every_node_kind_has_a_test_case() -> None:
    """Registry test: a new node kind must come with its own tests (tests/engine/test_nodes.py)."""
    source = (Path(__file__).parent / "test_nodes.py").read_text(encoding="utf-8")
    missing = [kind for kind in NODE_KINDS if f"def test_{kind}_" not in source]
    assert missing == []


def test_helplines_need_a_child_helpline(tmp_path: Path) -> None:
    """SG-12."""
    (tmp_path / "XX.yml").write_text("country: XX\nemergency_number: '112'\nlines: []\n")
    with pytest.raises(FlowError, match="child_helpline"):
        load_helplines("XX", tmp_path)


def test_helplines_were_verified_in_the_last_180_days() -> None:
    """SG-12: an unverified number could send a child to a dead line."""
    import datetime as dt

    for path in (data_dir() / "helplines").glob("*.yml"):
        helplines = load_helplines(path.stem)
        for line in helplines.lines:
            age = dt.date.today() - line.verified_on
            assert age.days <= 180, f"{path.name}: {line.id} last verified {line.verified_on}"
            assert line.verified_by.strip(), f"{path.name}: {line.id} says nobody verified it"
