"""Cross-tab small-cell suppression: primary ("<5") and secondary ("*"), nothing recoverable."""

from __future__ import annotations

import itertools

import pytest

from app.surveys.results import PRIMARY, SECONDARY, suppress_cells


def _hidden_per_line(shown: list[list[str]]) -> list[int]:
    rows = [sum(c in (PRIMARY, SECONDARY) for c in row) for row in shown]
    columns = [sum(c in (PRIMARY, SECONDARY) for c in col) for col in zip(*shown, strict=True)]
    return rows + columns


def _recoverable(counts: list[list[int]], shown: list[list[str]]) -> bool:
    """Whether some hidden cell is the only hidden one of its row or column, so that the
    row/column total (public) minus the shown cells gives it back."""
    height, width = len(counts), len(counts[0])
    for i, j in itertools.product(range(height), range(width)):
        if shown[i][j] not in (PRIMARY, SECONDARY):
            continue
        row_hidden = sum(shown[i][x] in (PRIMARY, SECONDARY) for x in range(width))
        col_hidden = sum(shown[y][j] in (PRIMARY, SECONDARY) for y in range(height))
        if (row_hidden == 1 and width > 1) or (col_hidden == 1 and height > 1):
            return True
    return False


def test_single_small_cell_in_a_row_gets_a_partner() -> None:
    counts = [[2, 9, 12], [7, 8, 6]]
    shown = suppress_cells(counts, 5)
    assert shown[0][0] == PRIMARY
    # Row 0 hides its smallest other cell (9); column 0 then pairs the 2 with the 7, and
    # column 1 the 9 with the 8; row 1 then has two hidden cells: done.
    assert shown == [[PRIMARY, SECONDARY, "12"], [SECONDARY, SECONDARY, "6"]]
    assert not _recoverable(counts, shown)


def test_the_totals_cannot_give_a_small_cell_back() -> None:
    counts = [[1, 5], [0, 1], [0, 0]]
    shown = suppress_cells(counts, 5)
    assert shown[0] == [PRIMARY, SECONDARY] and shown[1] == [SECONDARY, PRIMARY]
    assert shown[2] == ["0", "0"]
    assert not _recoverable(counts, shown)
    # Only the pairs' sums are known from the totals: (row 0) 1 + 5 = 6, (column 1) 5 + 1 = 6.


def test_no_small_cells_shows_every_count() -> None:
    assert suppress_cells([[5, 0], [12, 30]], 5) == [["5", "0"], ["12", "30"]]
    assert suppress_cells([], 5) == []


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_never_leave_a_lone_hidden_cell(seed: int) -> None:
    import random

    rng = random.Random(seed)
    height, width = rng.randint(1, 6), rng.randint(1, 6)
    counts = [
        [rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 20]) for _ in range(width)] for _ in range(height)
    ]
    shown = suppress_cells(counts, 5)
    assert not _recoverable(counts, shown)
    for row, cells in zip(counts, shown, strict=True):
        for n, cell in zip(row, cells, strict=True):
            assert cell in (PRIMARY, SECONDARY) or cell == str(n)
            if 0 < n < 5:
                assert cell == PRIMARY
