"""Placement evaluation waves as identified surveys (built-in templates, opened at once).

app/placements/services.py asks for a wave (`send_evaluation_wave`); this module creates ONE
survey per respondent role (the professional's and the host supervisor's templates differ by one
question), invites exactly the given person, and on their final response hands the answers back
to the placement (`on_final_response`, called by services.submit_response).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.surveys.models import (
    AudienceKind,
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

PROFESSIONAL = "professional"
HOST = "host"

WAVE_TITLES = {
    "baseline": _l("Baseline evaluation: %(need)s"),
    "end": _l("End-of-mission evaluation: %(need)s"),
    "followup": _l("Follow-up evaluation: %(need)s"),
}
INTRO = _l(
    "A few questions about the placement “%(need)s”: two minutes. Your answers are not "
    "anonymous: the RCA team reads them to follow the placement."
)
THANK_YOU = _l("Thank you! Your evaluation helps RCA improve the placements.")


@dataclass(frozen=True, slots=True)
class TemplateQuestion:
    key: str
    kind: QuestionKind
    text: Any  # a lazy string
    required: bool = False
    min_value: float | None = None
    host_only: bool = False


TEMPLATE = (
    TemplateQuestion(
        "rating", QuestionKind.RATING, _l("Overall, how do you rate the placement?"), True
    ),
    TemplateQuestion("went_well", QuestionKind.LONG_TEXT, _l("What went well?")),
    TemplateQuestion("improve", QuestionKind.LONG_TEXT, _l("What could be improved?")),
    TemplateQuestion(
        "deliverables_achieved",
        QuestionKind.YES_NO,
        _l("Were the agreed deliverables achieved?"),
    ),
    TemplateQuestion(
        "people_trained",
        QuestionKind.NUMBER,
        _l("How many people were trained?"),
        min_value=0,
        host_only=True,
    ),
)


def template_for(respondent: str) -> list[TemplateQuestion]:
    """The questions of one respondent's template, in order (positions 1, 2, ...)."""
    return [q for q in TEMPLATE if respondent == HOST or not q.host_only]


def _texts(lazy: Any, **values: Any) -> dict[str, str]:
    """The text in English, French and Kinyarwanda (from the catalogs), for the *_fr/_rw columns."""
    texts = {}
    for lang in ("en", "fr", "rw"):
        with force_locale(lang):
            text = str(lazy) % values if values else str(lazy)
        texts[lang] = "" if lang != "en" and text == texts.get("en") else text
    return texts


def _set_texts(obj: Any, name: str, texts: dict[str, str], limit: int | None = None) -> None:
    for lang, text in texts.items():
        attr = name if lang == "en" else f"{name}_{lang}"
        setattr(obj, attr, text[:limit] if limit else text)


def create_evaluation_surveys(
    placement: Any, wave: str, respondents: Mapping[str, User], *, now: datetime | None = None
) -> list[Survey]:
    """Create, open and send one identified evaluation survey per respondent role.

    `respondents` maps "professional" / "host" to the person who answers. Each survey is
    answerable by exactly that person (invitation), and is linked to the placement and wave.
    """
    from app.surveys.services import _notify

    now = now or utcnow()
    need = placement.need.title
    surveys = []
    for respondent, user in respondents.items():
        survey = Survey(
            status=SurveyStatus.OPEN,
            opened_at=now,
            audience_kind=AudienceKind.PLACEMENTS,
            placement_ids=[placement.id],
            is_anonymous=False,
            placement_id=placement.id,
            evaluation_wave=str(wave),
            evaluation_respondent=str(respondent),
        )
        _set_texts(survey, "title", _texts(WAVE_TITLES[str(wave)], need=need), 200)
        _set_texts(survey, "intro", _texts(INTRO, need=need))
        _set_texts(survey, "thank_you", _texts(THANK_YOU))
        for position, item in enumerate(template_for(str(respondent)), start=1):
            question = SurveyQuestion(
                position=position,
                kind=item.kind,
                is_required=item.required,
                min_value=item.min_value,
                text="",
            )
            _set_texts(question, "text", _texts(item.text))
            survey.questions.append(question)
        db.session.add(survey)
        db.session.flush()
        db.session.execute(
            insert(SurveyInvitation),
            [{"survey_id": survey.id, "user_id": user.id, "invited_at": now}],
        )
        # Transactional (decided in _notify from survey.placement_id): answering the evaluation
        # is part of the placement the person agreed to, like the placement notifications, so
        # the broadcast "surveys" consent does not apply and there is no unsubscribe link.
        _notify(
            survey,
            [user],
            template="invitation",
            key_prefix=f"survey{survey.id}-inv",
            tokens={},
            now=now,
        )
        surveys.append(survey)
    db.session.flush()
    return surveys


def answers_by_key(survey: Survey, response: SurveyResponse) -> dict[str, Any]:
    """The response's answers keyed by the template's keys (matched by position and kind)."""
    values = response.answer_map()
    questions = sorted(survey.questions, key=lambda q: q.position)
    keyed: dict[str, Any] = {}
    for item, question in zip(
        template_for(survey.evaluation_respondent or ""), questions, strict=False
    ):
        if question.kind == item.kind and question.id in values:
            value = values[question.id]
            keyed[item.key] = value == "yes" if item.kind == QuestionKind.YES_NO else value
    return keyed


def on_final_response(survey: Survey, response: SurveyResponse) -> None:
    """A respondent submitted an evaluation survey: update the placement's summary row."""
    if survey.placement_id is None or not survey.evaluation_wave or response.user_id is None:
        return
    from app.placements import services as placement_services
    from app.placements.models import Placement

    placement = db.session.get(Placement, survey.placement_id)
    user = db.session.get(User, response.user_id)
    if placement is None or user is None:
        return
    placement_services.record_evaluation_answered(
        placement,
        survey.evaluation_wave,
        survey.evaluation_respondent or PROFESSIONAL,
        user,
        answers=answers_by_key(survey, response),
    )


def surveys_of_placement(placement_id: int) -> dict[tuple[str, str], Survey]:
    """{(wave, respondent): survey} of one placement."""
    rows = db.session.scalars(
        select(Survey).where(Survey.placement_id == placement_id).order_by(Survey.id)
    )
    return {(str(s.evaluation_wave), str(s.evaluation_respondent)): s for s in rows}


def pending_for(user: User, placement_id: int) -> list[Survey]:
    """The open evaluation surveys of the placement that the member still has to answer."""
    answered = select(SurveyResponse.survey_id).where(
        SurveyResponse.user_id == user.id, SurveyResponse.status == ResponseStatus.SUBMITTED
    )
    return list(
        db.session.scalars(
            select(Survey)
            .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
            .where(
                Survey.placement_id == placement_id,
                Survey.status == SurveyStatus.OPEN,
                SurveyInvitation.user_id == user.id,
                Survey.id.not_in(answered),
            )
            .order_by(Survey.id)
        )
    )
