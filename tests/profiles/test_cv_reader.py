"""The CV reader on plain text: French and English headings, date formats, levels, skills."""

from __future__ import annotations

from datetime import date

import pytest

from app.profiles.cv_reader import find_range, read_cv

TODAY = date(2026, 6, 1)

FRENCH_CV = """Marie Uwase
marie.uwase@gmail.com | +32 470 12 34 56 | linkedin.com/in/marie-uwase
EXPÉRIENCE PROFESSIONNELLE
Ingénieure hydraulicienne — Tractebel, Bruxelles (Belgique)
janv. 2019 – présent
- Modélisation hydraulique des digues, gestion de projet
Chargée d'études, Bureau Greisch, Liège
03/2015 - 12/2018
- Alimentation en eau potable de communes rurales
FORMATION
Master en génie civil, Université libre de Bruxelles, 2014
COMPÉTENCES
Gestion de projet, hydrologie, AutoCAD
LANGUES
Français : langue maternelle ; Anglais : courant ; Kinyarwanda : bilingue ; Allemand : notions
"""


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("janv. 2019 – présent", date(2019, 1, 1), None, True),
        ("depuis 2018", date(2018, 1, 1), None, True),
        ("2015 - aujourd'hui", date(2015, 1, 1), None, True),
        ("03/2019 – 11/2021", date(2019, 3, 1), date(2021, 11, 1), False),
        ("de septembre 2018 à août 2020", date(2018, 9, 1), date(2020, 8, 1), False),
        ("04.2017 – à ce jour", date(2017, 4, 1), None, True),
        ("March 2019 to Present", date(2019, 3, 1), None, True),
        ("Since 2020", date(2020, 1, 1), None, True),
        ("2019-03 – 2020-07", date(2019, 3, 1), date(2020, 7, 1), False),
        ("févr. 2012 - déc. 2014", date(2012, 2, 1), date(2014, 12, 1), False),
    ],
)
def test_find_range_reads_french_and_english_dates(
    text: str, start: date, end: date | None, current: bool
) -> None:
    found = find_range(text)
    assert found is not None
    assert (found.start, found.end, found.is_current) == (start, end, current)


def test_find_range_rejects_backwards_ranges_and_plain_text() -> None:
    assert find_range("2019 – 2015") is None
    assert find_range("Gestion de projet") is None


def test_read_cv_reads_a_french_cv() -> None:
    reading = read_cv(FRENCH_CV, today=TODAY)
    assert reading.language == "fr"
    first, second = reading.experience
    assert (first.title, first.employer, first.country) == (
        "Ingénieure hydraulicienne",
        "Tractebel",
        "BE",
    )
    assert (first.start, first.end, first.is_current) == (date(2019, 1, 1), None, True)
    assert (second.title, second.employer, second.country) == (
        "Chargée d'études",
        "Bureau Greisch",
        "BE",
    )
    assert (second.start, second.end) == (date(2015, 3, 1), date(2018, 12, 1))
    (education,) = reading.education
    assert (education.degree, education.field, education.year) == ("Master", "génie civil", 2014)
    assert education.institution == "Université libre de Bruxelles"
    assert {(x.code, x.level) for x in reading.languages} == {
        ("fr", "native"),
        ("en", "C1"),
        ("rw", "C2"),
        ("de", "A2"),
    }
    assert reading.contacts.email == "marie.uwase@gmail.com"
    assert reading.contacts.phone == "+32 470 12 34 56"
    assert reading.contacts.linkedin == "https://www.linkedin.com/in/marie-uwase"


def test_skills_get_years_and_level_from_the_entries_that_name_them() -> None:
    skills = {s.name: s for s in read_cv(FRENCH_CV, today=TODAY).skills}
    # Named in the 2019 – present entry only: seven years and five months.
    assert (skills["project management"].years, skills["project management"].level) == (
        7,
        "advanced",
    )
    # French "alimentation en eau potable" is the water supply concept, from 2015 to 2018.
    assert skills["water supply engineering"].years == 3
    # Listed but never placed in an entry: no years claimed, a neutral level.
    assert (skills["hydrology"].years, skills["hydrology"].level) == (0, "intermediate")
    assert skills["hydrology"].confidence > skills["water supply engineering"].confidence


def test_overlapping_entries_count_their_years_once() -> None:
    text = """EXPERIENCE
Data Analyst, Acme Ltd, Kigali
2010 – 2016
- SQL reporting
Data Engineer, Beta Ltd, Kigali
2014 – 2018
- SQL pipelines
"""
    (sql,) = [s for s in read_cv(text, today=TODAY).skills if s.name == "sql"]
    assert (sql.years, sql.level) == (8, "advanced")


def test_chef_de_projet_is_not_a_cook_and_theatre_is_not_the_stage() -> None:
    text = "EXPÉRIENCE\nChef de projet, WASAC, Kigali\n2016 – 2020\nTheatre nurse support\n"
    names = {s.name for s in read_cv(text, today=TODAY).skills}
    assert "culinary arts" not in names
    assert "performing arts" not in names


def test_confident_suggestions_and_uncertain_ones_differ() -> None:
    reading = read_cv(FRENCH_CV, today=TODAY)
    assert all(entry.confidence >= 0.7 for entry in reading.experience)
    assert reading.to_dict()["experience"][0]["start"] == "2019-01-01"


def test_read_cv_never_raises_on_odd_text() -> None:
    for text in ("", "\x00\x01", "2019 – 2020\n" * 50, "EXPERIENCE\n| | |\n", "é" * 10_000):
        read_cv(text, today=TODAY)
