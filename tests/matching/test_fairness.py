"""Shortlist balancing and composition."""

from __future__ import annotations

from dataclasses import dataclass

from app.matching import balance_shortlist, composition


@dataclass(frozen=True)
class Item:
    cid: str
    score: float
    group: str | None


def _ranked() -> list[Item]:
    # Ten "m" items on top, then two qualified "f" items and one unqualified "x".
    items = [Item(f"m{i}", 0.95 - i * 0.01, "m") for i in range(10)]
    items += [Item("f1", 0.7, "f"), Item("f2", 0.65, "f"), Item("x1", 0.3, "x")]
    return items


def test_qualified_group_enters_top_n() -> None:
    out = balance_shortlist(_ranked(), lambda x: x.group, top_n=10, score_floor=0.5)
    top = out[:10]
    assert "f1" in {x.cid for x in top}
    assert "f2" not in {x.cid for x in top}  # one representative is enough
    assert "x1" not in {x.cid for x in top}  # below the floor: never promoted
    assert out[10].cid == "m9"  # the lowest "m" makes room, nothing is dropped
    assert sorted(x.cid for x in out) == sorted(x.cid for x in _ranked())
    assert [x.score for x in top] == sorted((x.score for x in top), reverse=True)


def test_no_change_when_groups_present_or_unqualified() -> None:
    ranked = _ranked()
    assert balance_shortlist(ranked, lambda x: x.group, 10, score_floor=0.8) == ranked
    mixed = [Item("f0", 0.99, "f"), *ranked]
    assert balance_shortlist(mixed, lambda x: x.group, 10, score_floor=0.5) == mixed


def test_composition_counts_shortlist_and_pool() -> None:
    ranked = _ranked()
    comp = composition(ranked[:10], ranked, lambda x: x.group)
    assert comp["m"]["shortlist"] == 10 and comp["m"]["pool"] == 10
    assert comp["f"]["shortlist"] == 0 and comp["f"]["pool"] == 2
    assert abs(comp["f"]["pool_share"] - 2 / 13) < 1e-12
