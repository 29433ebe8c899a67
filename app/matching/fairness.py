"""Shortlist fairness: keep qualified members of every group visible in the top N."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Protocol, TypeVar


class _Scored(Protocol):
    @property
    def score(self) -> float: ...


T = TypeVar("T", bound=_Scored)


def balance_shortlist(
    ranked: Sequence[T],
    group_of: Callable[[T], Hashable | None],
    top_n: int = 10,
    score_floor: float = 0.5,
) -> list[T]:
    """Reorder so each group with a qualified item (score >= floor) appears in the top_n.

    Promoted items are each group's best qualified item, taking the top_n slots of the
    lowest-ranked items of over-represented groups; relative order is otherwise kept and
    nothing is dropped. Items whose group is None are never promoted.
    """
    items = list(ranked)
    if top_n <= 0 or len(items) <= top_n:
        return items
    head = items[:top_n]
    tail = items[top_n:]
    present = {group_of(x) for x in head}
    promote: list[T] = []
    seen: set[Hashable] = set()
    for x in tail:
        g = group_of(x)
        if g is None or g in present or g in seen or x.score < score_floor:
            continue
        promote.append(x)
        seen.add(g)
    if not promote:
        return items
    # Never empty a group from the head to make room: only items whose group keeps at
    # least one other member in the head can be pushed down, lowest first.
    promote = promote[:top_n]
    counts = Counter(group_of(x) for x in head)
    demoted: list[T] = []
    for x in reversed(head):
        if len(demoted) == len(promote):
            break
        g = group_of(x)
        if counts[g] > 1:
            counts[g] -= 1
            demoted.append(x)
    promote = promote[: len(demoted)]
    demoted_ids = {id(x) for x in demoted}
    promoted_ids = {id(x) for x in promote}
    new_head = sorted(
        [x for x in head if id(x) not in demoted_ids] + promote, key=lambda x: -x.score
    )
    rest = [
        x for x in items if id(x) not in promoted_ids and id(x) not in {id(y) for y in new_head}
    ]
    return new_head + rest


def composition(
    shortlist: Iterable[T],
    pool: Iterable[T],
    group_of: Callable[[T], Hashable | None],
) -> dict[Hashable | None, dict[str, float]]:
    """Per group: count and share in the shortlist and in the pool."""
    s = Counter(group_of(x) for x in shortlist)
    p = Counter(group_of(x) for x in pool)
    ns, np_ = sum(s.values()) or 1, sum(p.values()) or 1
    return {
        g: {
            "shortlist": s.get(g, 0),
            "pool": p.get(g, 0),
            "shortlist_share": s.get(g, 0) / ns,
            "pool_share": p.get(g, 0) / np_,
        }
        for g in sorted(set(s) | set(p), key=lambda g: (g is None, str(g)))
    }
