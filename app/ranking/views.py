"""HTTP views of the ranking feature: a need's ranked candidates, shortlisting from it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.models import Role
from app.auth.sessions import is_safe_redirect
from app.errors import DomainError
from app.extensions import db
from app.needs.models import Need
from app.profiles.queries import get_profile_by_public_id
from app.ranking import access, services
from app.ranking.forms import CandidateFilterForm, ShortlistForm
from app.ranking.wording import explanation_words, filter_sentence

bp = Blueprint("ranking", __name__, url_prefix="/matching")

PER_PAGE = 20


def _need_or_404(need_id: int) -> Need:
    need = db.get_or_404(Need, need_id)
    if not access.can_see_ranked_candidates(current_user, need):
        abort(404)
    return need


@bp.get("/needs/<int:need_id>/candidates")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def candidates(need_id: int) -> ResponseReturnValue:
    need = _need_or_404(need_id)
    form = CandidateFilterForm(request.args)
    valid = form.validate()
    filters = services.CandidateFilters(
        country=form.country.data or "" if not form.country.errors else "",
        language=form.language.data or "" if not form.language.errors else "",
        mode=form.mode.data or "" if not form.mode.errors else "",
        available_from=form.available_from.data if valid else None,
        available_to=form.available_to.data if valid else None,
    )
    ranking = services.rank_for_need(
        need,
        filters,
        page=max(1, request.args.get("page", 1, type=int) or 1),
        per_page=PER_PAGE,
        balanced=bool(form.balanced.data),
        include_filtered=access.can_see_filtered_out(current_user, need),
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "ranking/candidates.html",
        need=need,
        form=form,
        ranking=ranking,
        # Staff and institutions see a model change's re-embedding progress (None otherwise).
        model_update=services.model_update_progress() if ranking.ready else None,
        words=explanation_words,
        filter_sentence=filter_sentence,
        page_url=lambda n: url_for("ranking.candidates", need_id=need.id, page=n, **args),
        shortlist_form=ShortlistForm(),
    ), (200 if valid else 400)


@bp.post("/needs/<int:need_id>/candidates/<public_id>/<any(shortlist, invite):action>")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def shortlist(need_id: int, public_id: str, action: str) -> ResponseReturnValue:
    need = _need_or_404(need_id)
    # Only a professional the ranked list shows (a random id, never a row id to walk).
    profile = get_profile_by_public_id(public_id)
    if profile is None or not access.can_shortlist_candidate(current_user, need, profile):
        abort(404)
    target = request.form.get("next")
    back = target if is_safe_redirect(target) else url_for("ranking.candidates", need_id=need.id)
    if not ShortlistForm().validate_on_submit():
        flash(_("Your form expired. Please try again."), "error")
        return redirect(back)
    try:
        services.shortlist_candidate(need, profile, current_user, invite=action == "invite")
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Invitation sent.") if action == "invite" else _("Added to the shortlist."))
    return redirect(back)
