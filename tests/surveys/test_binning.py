"""Numeric survey answers are binned at round boundaries (1/2/5 × 10^k steps)."""

from __future__ import annotations

from decimal import Decimal

from app.surveys.results import _histogram, histogram_bins, nice_step


def _edges(numbers: list[float]) -> list[tuple[float, float, int]]:
    return [(float(lo), float(hi), n) for lo, hi, n in histogram_bins(numbers)]


def test_nice_steps_are_one_two_or_five_times_a_power_of_ten() -> None:
    assert [nice_step(x) for x in (0.7, 1, 1.3, 3, 4.33, 7, 12, 0.04)] == [
        Decimal(1),
        Decimal(1),
        Decimal(2),
        Decimal(5),
        Decimal(5),
        Decimal(10),
        Decimal(20),
        Decimal("0.05"),
    ]


def test_counts_get_whole_bins_that_start_at_a_multiple_of_the_step() -> None:
    assert _edges([0, 3, 4, 5, 9, 12, 14, 27]) == [
        (0, 4, 3),
        (5, 9, 2),
        (10, 14, 2),
        (15, 19, 0),
        (20, 24, 0),
        (25, 29, 1),
    ]


def test_small_integer_ranges_never_get_fractional_edges() -> None:
    bins = histogram_bins([1, 2, 2, 3])
    assert all(lo == lo.to_integral_value() and hi == hi.to_integral_value() for lo, hi, _ in bins)
    # A step of 1 makes one bin per value, labelled by the value alone.
    assert _histogram([1, 2, 2, 3]) == [("1", 1), ("2", 2), ("3", 1)]


def test_years_read_as_years() -> None:
    items = _histogram([1998, 2003, 2010, 2015, 2024])
    assert items == [
        ("1995–1999", 1),
        ("2000–2004", 1),
        ("2005–2009", 0),
        ("2010–2014", 1),
        ("2015–2019", 1),
        ("2020–2024", 1),
    ]


def test_decimals_get_half_open_round_bins_written_in_the_locale() -> None:
    assert _edges([0.3, 1.1, 2.4, 2.9]) == [
        (0, 0.5, 1),
        (0.5, 1, 0),
        (1, 1.5, 1),
        (1.5, 2, 0),
        (2, 2.5, 1),
        (2.5, 3, 1),
    ]
    assert _histogram([0.3, 2.9], "fr")[0] == ("0–0,5", 1)
    assert _histogram([0.3, 2.9], "en")[-1] == ("2.5–3", 1)


def test_a_single_value_is_one_bin_and_no_answer_no_bin() -> None:
    assert _histogram([7, 7, 7]) == [("7", 3)]
    assert _histogram([2.5]) == [("2.5", 1)]
    assert histogram_bins([]) == [] and _histogram([]) == []
