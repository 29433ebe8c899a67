"""HTTP views of the surveys feature: staff builder and results, member answering."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import public, signed_in, staff_required
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.reference.countries import country_choices
from app.security import record_id
from app.surveys import access, results, services
from app.surveys.forms import QUESTION_KIND_LABELS, ConfirmForm, QuestionForm, SurveyForm
from app.surveys.models import (
    LANGUAGES,
    AudienceKind,
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def _locale() -> str:
    return str(get_locale() or "en")


def _survey_or_404(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def _question_or_404(survey: Survey, question_id: int) -> SurveyQuestion:
    question = db.get_or_404(SurveyQuestion, question_id)
    if question.survey_id != survey.id:
        abort(404)
    return question


# --------------------------------------------------------------------------- staff: builder


@bp.get("/staff")
@staff_required
def staff_list() -> ResponseReturnValue:
    surveys = services.list_surveys()
    counts = {s.id: services.count_responses(s, submitted_only=True) for s in surveys}
    return render_template("surveys/staff_list.html", surveys=surveys, counts=counts)


def _survey_form(survey: Survey | None) -> SurveyForm:
    from app.outreach.segments import list_segments

    form = SurveyForm(obj=survey)
    if survey is not None and request.method == "GET":
        form.placement_ids.data = ", ".join(str(p) for p in survey.placement_ids or [])
        form.segment_id.data = str(survey.segment_id or "")
        form.audience_kind.data = str(survey.audience_kind)
        for name in ("opens_at", "closes_at"):
            value = getattr(survey, name)
            getattr(form, name).data = value.replace(tzinfo=None) if value else None
    form.segment_id.choices = [("", _("— none —"))] + [(str(s.id), s.name) for s in list_segments()]
    return form


def _utc(value: Any) -> Any:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None else None


def _save_survey_form(form: SurveyForm, survey: Survey | None) -> Survey:
    placements = []
    for part in (form.placement_ids.data or "").replace(";", ",").split(","):
        part = part.strip().lstrip("#")
        if not part:
            continue
        if not part.isdigit():
            raise DomainError(_("Placement numbers must be whole numbers."), field="placement_ids")
        placements.append(int(part))
    segment = form.segment_id.data
    return services.save_survey(
        survey,
        author=current_user,
        opens_at=_utc(form.opens_at.data),
        closes_at=_utc(form.closes_at.data),
        audience_kind=form.audience_kind.data or AudienceKind.ALL,
        segment_id=int(segment) if segment and str(segment).isdigit() else None,
        placement_ids=placements,
        is_anonymous=form.is_anonymous.data,
        one_question_per_page=form.one_question_per_page.data,
        **{name: getattr(form, name).data or "" for name in services.SURVEY_TEXT_FIELDS},
    )


@bp.route("/staff/new", methods=["GET", "POST"])
@staff_required
def new_survey() -> ResponseReturnValue:
    form = _survey_form(None)
    if form.validate_on_submit():
        try:
            survey = _save_survey_form(form, None)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Survey created. Now add its questions."), "success")
            return redirect(url_for("surveys.staff_detail", survey_id=survey.id))
    status = 400 if request.method == "POST" else 200
    return render_template("surveys/survey_form.html", form=form, survey=None), status


@bp.route("/staff/<int:survey_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_survey(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    form = _survey_form(survey)
    if form.validate_on_submit():
        try:
            _save_survey_form(form, survey)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Survey saved."), "success")
            return redirect(url_for("surveys.staff_detail", survey_id=survey.id))
    status = 400 if request.method == "POST" else 200
    return render_template("surveys/survey_form.html", form=form, survey=survey), status


@bp.get("/staff/<int:survey_id>")
@staff_required
def staff_detail(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    return render_template(
        "surveys/staff_detail.html",
        survey=survey,
        questions=services.ordered_questions(survey),
        kind_labels=QUESTION_KIND_LABELS,
        locked=services.has_responses(survey),
        state=services.availability(survey),
        invited=services.count_invited(survey),
        submitted=services.count_responses(survey, submitted_only=True),
        confirm=ConfirmForm(),
    )


def _question_form(survey: Survey, question: SurveyQuestion | None) -> QuestionForm:
    form = QuestionForm(obj=question)
    if question is not None and request.method == "GET":
        form.choices_en.data = services.choices_as_text(question, "en")
        form.choices_fr.data = services.choices_as_text(question, "fr")
        form.choices_rw.data = services.choices_as_text(question, "rw")
        form.condition_question_id.data = str(question.condition_question_id or "")
        condition = question.condition_question_id and db.session.get(
            SurveyQuestion, question.condition_question_id
        )
        if condition and condition.kind == QuestionKind.SINGLE:
            form.condition_value.data = condition.choice_label(question.condition_value or "")
    earlier = [
        q
        for q in services.ordered_questions(survey)
        if q.kind in services.CONDITION_KINDS
        and (question is None or q.position < question.position)
    ]
    form.condition_question_id.choices = [("", _("— always show —"))] + [
        (str(q.id), f"{q.number}. {q.text[:80]}") for q in earlier
    ]
    return form


def _save_question_form(
    survey: Survey, question: SurveyQuestion | None, form: QuestionForm, *, locked: bool = False
) -> SurveyQuestion:
    condition = form.condition_question_id.data
    choice_labels = None
    if question is not None and question.kind in services.CHOICE_KINDS and locked:
        # A locked question's choices are reworded one input per key (see question_form.html).
        choice_labels = {
            c["key"]: {
                lang: request.form.get(f"choice-{c['key']}-{lang}", "")
                for lang in ("en", *LANGUAGES)
            }
            for c in question.choices
        }
    return services.save_question(
        survey,
        question,
        kind=form.kind.data,
        is_required=form.is_required.data,
        choices_en=form.choices_en.data or "",
        choices_fr=form.choices_fr.data or "",
        choices_rw=form.choices_rw.data or "",
        allow_other=form.allow_other.data,
        min_value=form.min_value.data,
        max_value=form.max_value.data,
        condition_question_id=int(condition) if condition and condition.isdigit() else None,
        condition_value=(form.condition_value.data or "").strip() or None,
        choice_labels=choice_labels,
        **{name: getattr(form, name).data or "" for name in services.QUESTION_TEXT_FIELDS},
    )


@bp.route("/staff/<int:survey_id>/questions/new", methods=["GET", "POST"])
@staff_required
def new_question(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    form = _question_form(survey, None)
    if form.validate_on_submit():
        try:
            _save_question_form(survey, None, form)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(url_for("surveys.staff_detail", survey_id=survey.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "surveys/question_form.html", form=form, survey=survey, question=None, locked=False
    ), status


@bp.route("/staff/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_question(survey_id: int, question_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    locked = services.has_responses(survey)
    form = _question_form(survey, question)
    if form.validate_on_submit():
        try:
            _save_question_form(survey, question, form, locked=locked)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Question saved."), "success")
            return redirect(url_for("surveys.staff_detail", survey_id=survey.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "surveys/question_form.html",
        form=form,
        survey=survey,
        question=question,
        locked=locked,
    ), status


def _staff_action(survey: Survey, action: Any, success: str) -> ResponseReturnValue:
    """Run a POST action; a refusal becomes a flash on the survey page (status 409/400)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("surveys.staff_detail", survey_id=survey.id), 303)
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("surveys.staff_detail", survey_id=survey.id), 303)


@bp.post("/staff/<int:survey_id>/questions/<int:question_id>/delete")
@staff_required
def delete_question(survey_id: int, question_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.delete_question(question)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_template(
            "surveys/refused.html", survey=survey, message=error.message
        ), error.status_code
    db.session.commit()
    flash(_("Question removed."), "success")
    return redirect(url_for("surveys.staff_detail", survey_id=survey.id), 303)


@bp.post("/staff/<int:survey_id>/questions/<int:question_id>/move")
@staff_required
def move_question(survey_id: int, question_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    direction = "up" if request.form.get("direction") == "up" else "down"
    return _staff_action(
        survey, lambda: services.move_question(question, direction), _("Order saved.")
    )


@bp.post("/staff/<int:survey_id>/reorder")
@staff_required
def reorder(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    try:
        ids = [int(i) for i in request.form.get("order", "").split(",") if i.strip()]
    except ValueError:
        abort(400)
    return _staff_action(survey, lambda: services.reorder_questions(survey, ids), _("Order saved."))


@bp.post("/staff/<int:survey_id>/open")
@staff_required
def open_survey(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    return _staff_action(
        survey,
        lambda: services.open_survey(survey),
        _("Survey opened: invitations are on their way."),
    )


@bp.post("/staff/<int:survey_id>/remind")
@staff_required
def remind(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    return _staff_action(
        survey, lambda: services.send_reminder(survey), _("Reminder sent to non-respondents.")
    )


@bp.post("/staff/<int:survey_id>/close")
@staff_required
def close_survey(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    return _staff_action(survey, lambda: services.close_survey(survey), _("Survey closed."))


@bp.post("/staff/<int:survey_id>/duplicate")
@staff_required
def duplicate(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    copy = services.duplicate_survey(survey, author=current_user)
    db.session.commit()
    flash(_("Survey duplicated."), "success")
    return redirect(url_for("surveys.staff_detail", survey_id=copy.id), 303)


# --------------------------------------------------------------------------- answering


def _page_questions(survey: Survey, response: SurveyResponse) -> list[SurveyQuestion]:
    questions = services.ordered_questions(survey)
    values = response.answer_map()
    return [q for q in questions if services.is_visible(q, values, questions)]


def _answer(
    survey: Survey,
    response: SurveyResponse,
    *,
    self_url: str,
    token: str | None = None,
    preview: bool = False,
) -> ResponseReturnValue:
    """The answering form of any kind (identified, anonymous, staff preview)."""
    locale = _locale()
    paged = survey.one_question_per_page
    visible = _page_questions(survey, response)
    total = len(visible)
    page = max(1, min(request.values.get("page", 1, type=int) or 1, max(total, 1)))
    shown = [visible[page - 1]] if paged and visible else services.ordered_questions(survey)
    errors: dict[int, str] = {}
    values = response.answer_map()
    others = {a.question_id: a.other_text for a in response.answers}
    status = 200
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        action = request.form.get("action", "submit")
        try:
            if action in ("save", "back"):
                services.save_answers(
                    survey, response, request.form, page_questions=shown, require=False
                )
            else:
                services.save_answers(survey, response, request.form, page_questions=shown)
            db.session.flush()
            db.session.refresh(response)
            visible = _page_questions(survey, response)
            if action == "save":
                db.session.commit()
                flash(_("Your answers are saved. You can come back and finish later."), "success")
                return redirect(f"{self_url}?page={page}" if paged else self_url, 303)
            if paged and action == "back":
                db.session.commit()
                return redirect(f"{self_url}?page={max(page - 1, 1)}", 303)
            if paged and action == "next" and page < len(visible):
                db.session.commit()
                return redirect(f"{self_url}?page={page + 1}", 303)
            services.submit_response(survey, response, token=token)
        except services.AnswerErrors as failure:
            db.session.rollback()
            errors, values, others = failure.errors, failure.values, failure.others
            if paged and not set(errors) & {q.id for q in shown}:
                # A required question on another page is missing: show the first such page.
                first = next((i for i, q in enumerate(visible) if q.id in errors), 0)
                page, shown = first + 1, [visible[first]]
            status = 400
        else:
            db.session.commit()
            if preview:
                flash(_("Test answer accepted (not counted in the results)."), "success")
                session.pop(f"survey-test-{survey.id}", None)
                return redirect(url_for("surveys.staff_detail", survey_id=survey.id), 303)
            return redirect(url_for("surveys.thanks", survey_id=survey.id, t=token), 303)
    return render_template(
        "surveys/answer.html",
        survey=survey,
        questions=shown,
        all_questions=services.ordered_questions(survey),
        values=values,
        others=others,
        errors=errors,
        locale=locale,
        paged=paged,
        page=page,
        total=total,
        action_url=self_url,
        preview=preview,
        form=ConfirmForm(),
        country_choices=country_choices,
    ), status


def _unavailable(survey: Survey) -> ResponseReturnValue:
    state = services.availability(survey)
    code = 409 if request.method == "POST" else 200
    return render_template(
        "surveys/unavailable.html", survey=survey, state=state, locale=_locale()
    ), code


@bp.get("/")
@signed_in
def index() -> ResponseReturnValue:
    return render_template(
        "surveys/index.html", surveys=services.open_surveys_for(current_user), locale=_locale()
    )


@bp.route("/<int:survey_id>/answer", methods=["GET", "POST"])
@signed_in
def answer(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    if not access.can_answer_identified(current_user, survey):
        abort(404)
    if not services.availability(survey).is_open:
        return _unavailable(survey)
    response = services.start_response(survey, user=current_user)
    return _answer(survey, response, self_url=url_for("surveys.answer", survey_id=survey.id))


@bp.route("/<int:survey_id>/a/<token>", methods=["GET", "POST"])
@public
def answer_token(survey_id: int, token: str) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    if not survey.is_anonymous or survey.status == SurveyStatus.DRAFT:
        abort(404)
    if not services.availability(survey).is_open:
        return _unavailable(survey)
    response = services.start_response(survey, token=token)
    return _answer(
        survey,
        response,
        self_url=url_for("surveys.answer_token", survey_id=survey.id, token=token),
        token=token,
    )


@bp.get("/<int:survey_id>/thanks")
@public
def thanks(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    # Anonymous surveys carry the answering link's token (`t`): it proves the visitor had one.
    if not access.can_see_thanks(current_user, survey, request.args.get("t")):
        abort(404)
    return render_template("surveys/thanks.html", survey=survey, locale=_locale())


@bp.route("/staff/<int:survey_id>/preview", methods=["GET", "POST"])
@staff_required
def preview(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    key = f"survey-test-{survey.id}"
    response = db.session.get(SurveyResponse, session.get(key) or 0)
    if response is None or not response.is_test or response.status != ResponseStatus.DRAFT:
        response = services.start_response(survey, is_test=True)
        db.session.commit()
        session[key] = response.id
    return _answer(
        survey,
        response,
        self_url=url_for("surveys.preview", survey_id=survey.id),
        preview=True,
    )


# --------------------------------------------------------------------------- results


@bp.get("/staff/<int:survey_id>/results")
@staff_required
def results_page(survey_id: int) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    responses = results.submitted_responses(survey)
    searches = {
        int(k[7:]): v
        for k, v in request.args.items()
        if k.startswith("search_") and k[7:].isdigit()
    }
    crosstab = None
    crosstab_error = None
    question_id = request.args.get("question", type=record_id)
    by = request.args.get("by", "")
    if question_id and by:
        question = _question_or_404(survey, question_id)
        try:
            crosstab = results.crosstab(survey, question, by, responses, _locale())
        except DomainError as error:
            crosstab_error = error.message
    return render_template(
        "surveys/results.html",
        survey=survey,
        rate=results.response_rate(survey, responses),
        items=results.question_results(survey, responses, _locale(), searches),
        crosstab=crosstab,
        crosstab_error=crosstab_error,
        crosstab_questions=[
            q for q in services.ordered_questions(survey) if q.kind in results.BAR_KINDS
        ],
        attributes=results.CROSSTAB_ATTRIBUTES,
        selected_question=question_id,
        selected_by=by,
        locale=_locale(),
    ), (400 if crosstab_error else 200)


@bp.get("/staff/<int:survey_id>/export.<fmt>")
@staff_required
def export(survey_id: int, fmt: str) -> ResponseReturnValue:
    survey = _survey_or_404(survey_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    responses = results.submitted_responses(survey)
    header, rows = results.export_table(survey, responses)
    results.audit_export(survey, responses, fmt)
    db.session.commit()
    filename = f"survey-{survey.id}-responses.{fmt}"
    if fmt == "csv":
        body: Any = results.to_csv(header, rows)
        mimetype = "text/csv"
    else:
        body = results.to_xlsx(header, rows, survey.title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
