"""Demo surveys for `make run`: an open identified census with ~60 answers, a closed anonymous
survey with results, and a draft. Responses and answers are bulk-inserted."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from app.auth.models import Role, User
from app.database import utcnow
from app.extensions import db
from app.surveys.models import (
    AudienceKind,
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

CENSUS = "Diaspora skills census 2026"


def _choices(*labels: str) -> list[dict[str, str]]:
    return [{"key": str(i), "en": label} for i, label in enumerate(labels, start=1)]


def _question(survey: Survey, position: int, kind: QuestionKind, text: str, **kw: Any) -> None:
    survey.questions.append(
        SurveyQuestion(position=position, kind=kind, text=text, is_required=position < 3, **kw)
    )


def _census(staff_id: int | None, now: Any) -> Survey:
    survey = Survey(
        title=CENSUS,
        title_fr="Recensement des compétences de la diaspora 2026",
        intro="Ten questions, five minutes: help us see what the diaspora can offer Rwanda.",
        thank_you="Murakoze! Your answers shape the next calls for expertise.",
        audience_kind=AudienceKind.ALL,
        is_anonymous=False,
        status=SurveyStatus.OPEN,
        opens_at=now - timedelta(days=12),
        opened_at=now - timedelta(days=12),
        closes_at=now + timedelta(days=30),
        created_by_id=staff_id,
    )
    Q = QuestionKind
    _question(
        survey,
        0,
        Q.SINGLE,
        "In which sector do you mainly work?",
        choices=_choices("Health", "Education", "ICT", "Finance", "Agriculture"),
        allow_other=True,
    )
    _question(
        survey,
        1,
        Q.MULTIPLE,
        "In which ways could you contribute?",
        choices=_choices("Remote advice", "Short missions", "Teaching", "Mentoring", "Investment"),
    )
    _question(survey, 2, Q.COUNTRY, "Where do you live?")
    _question(survey, 3, Q.NUMBER, "Years of professional experience", min_value=0, max_value=60)
    _question(survey, 4, Q.RATING, "How well do you know Umuhuza's opportunities? (1–5)")
    _question(survey, 5, Q.YES_NO, "Would you travel to Rwanda for a mission in 2026?")
    _question(survey, 6, Q.SHORT_TEXT, "One skill Rwanda should know you have")
    return survey


def _closed_anonymous(staff_id: int | None, now: Any) -> Survey:
    survey = Survey(
        title="Experience of 2025 missions",
        intro="An anonymous survey of the professionals who went on a mission in 2025.",
        audience_kind=AudienceKind.ALL,
        is_anonymous=True,
        status=SurveyStatus.CLOSED,
        opens_at=now - timedelta(days=120),
        opened_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=60),
        closed_at=now - timedelta(days=60),
        created_by_id=staff_id,
    )
    _question(survey, 0, QuestionKind.RATING, "Overall, how useful was your mission?")
    _question(
        survey,
        1,
        QuestionKind.SINGLE,
        "What was the main difficulty?",
        choices=_choices("Logistics", "Unclear objectives", "Time", "None"),
    )
    _question(survey, 2, QuestionKind.YES_NO, "Would you go again?")
    return survey


def _draft(staff_id: int | None) -> Survey:
    survey = Survey(
        title="Alumni network interest",
        intro="Would you join an alumni network of Umuhuza missions?",
        status=SurveyStatus.DRAFT,
        created_by_id=staff_id,
    )
    _question(survey, 0, QuestionKind.YES_NO, "Would you join?")
    _question(survey, 1, QuestionKind.LONG_TEXT, "What would you expect from it?")
    return survey


def _census_answer(question: SurveyQuestion, rng: random.Random, country: str) -> Any:
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return rng.choice([c["key"] for c in question.choices])
    if kind == QuestionKind.MULTIPLE:
        keys = [c["key"] for c in question.choices]
        return sorted(rng.sample(keys, rng.randint(1, 3)))
    if kind == QuestionKind.COUNTRY:
        return country or "CA"
    if kind == QuestionKind.NUMBER:
        return rng.randint(2, 30)
    if kind == QuestionKind.RATING:
        return rng.randint(1, 5)
    if kind == QuestionKind.YES_NO:
        return rng.choice(["yes", "yes", "no"])
    return rng.choice(["Epidemiology", "Cloud architecture", "Midwifery", "Teaching physics"])


def _bulk_responses(survey: Survey, rows: list[tuple[int | None, Any, dict[int, Any]]]) -> None:
    """Insert final responses (user id or None, submitted_at, answers by question id)."""
    if not rows:
        return
    db.session.execute(
        insert(SurveyResponse),
        [
            {
                "survey_id": survey.id,
                "user_id": user_id,
                "status": ResponseStatus.SUBMITTED.value,
                "is_test": False,
                "submitted_at": at,
            }
            for user_id, at, _answers in rows
        ],
    )
    ids = list(
        db.session.scalars(
            select(SurveyResponse.id)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.id)
        )
    )
    db.session.execute(
        insert(SurveyAnswer),
        [
            {"response_id": rid, "question_id": qid, "value": value, "other_text": ""}
            for rid, (_u, _at, answers) in zip(ids, rows, strict=True)
            for qid, value in answers.items()
        ],
    )


def seed_surveys(seed: int, *, staff_email: str, census_responses: int = 60) -> int:
    """Create the demo surveys (flushes, never commits); return the number of responses."""
    rng = random.Random(seed + 11)  # noqa: S311 (demo data, not security)
    now = utcnow()
    staff_id = db.session.scalar(select(User.id).where(User.email == staff_email))
    census, closed, draft = (
        _census(staff_id, now),
        _closed_anonymous(staff_id, now),
        _draft(staff_id),
    )
    db.session.add_all([census, closed, draft])
    db.session.flush()

    from app.profiles.models import Profile

    members = db.session.execute(
        select(User.id, Profile.country)
        .join(Profile, Profile.user_id == User.id)
        .where(User.role == Role.PROFESSIONAL, User.is_enabled.is_(True))
        .order_by(User.id)
    ).all()
    if members:
        db.session.execute(
            insert(SurveyInvitation),
            [
                {
                    "survey_id": census.id,
                    "user_id": uid,
                    "invited_at": census.opened_at,
                    "by_email": False,
                    "in_app": True,
                }
                for uid, _country in members
            ],
        )
    respondents = rng.sample(members, min(census_responses, len(members)))
    census_rows = [
        (
            uid,
            now - timedelta(days=rng.randint(0, 11), hours=rng.randint(0, 23)),
            {q.id: _census_answer(q, rng, country) for q in census.questions},
        )
        for uid, country in respondents
    ]
    _bulk_responses(census, census_rows)

    closed_day = (now - timedelta(days=70)).replace(hour=0, minute=0, second=0, microsecond=0)
    anonymous_rows: list[tuple[int | None, Any, dict[int, Any]]] = []
    rating, difficulty, again = closed.questions
    for _ in range(34):
        anonymous_rows.append(
            (
                None,
                closed_day,
                {
                    rating.id: rng.choice([3, 4, 4, 5, 5]),
                    difficulty.id: rng.choice(["1", "1", "2", "3", "4"]),
                    again.id: rng.choice(["yes", "yes", "yes", "no"]),
                },
            )
        )
    _bulk_responses(closed, anonymous_rows)
    db.session.flush()
    return len(census_rows) + len(anonymous_rows)
