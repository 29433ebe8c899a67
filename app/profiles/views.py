"""HTTP views of the profiles feature: dashboard, wizard, section pages, CV import, freshness,
the profile card and the staff's duplicates list."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many

from app.audit import actions
from app.audit.services import record_audit
from app.auth.access import public, roles_required, signed_in, staff_required
from app.auth.models import Role
from app.auth.tokens import InvalidToken
from app.errors import DomainError
from app.extensions import db, limiter
from app.privacy.models import ConsentKind
from app.privacy.services import current_consents
from app.profiles import access, cv, cv_review, queries, services
from app.profiles.forms import (
    AvailabilityForm,
    ConfirmForm,
    ConsentForm,
    CVUploadForm,
    EducationForm,
    ExperienceForm,
    IdentityForm,
    InterestsForm,
    LanguageForm,
    LocationForm,
    MergeForm,
    SkillForm,
    WindowForm,
)
from app.profiles.models import (
    CVDocument,
    CVStatus,
    DuplicateCandidate,
    Profile,
    SkillLevel,
    WorkMode,
)
from app.ranking.services import recommended_needs_for
from app.reference import skills as vocabulary
from app.reference.countries import (
    country_name,
    country_timezones,
    default_timezone,
    timezone_by_country,
)
from app.reference.languages import LEVEL_LABELS, language_name
from app.reference.sectors import sector_label

bp = Blueprint("profiles", __name__, url_prefix="/profile")
professional_required = roles_required(Role.PROFESSIONAL)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "country_name": country_name,
        "language_name": language_name,
        "level_label": lambda level: LEVEL_LABELS.get(level, level),
        "sector_label": sector_label,
        # Stored skills are canonical (English) names: shown in the viewer's language.
        "skill_label": lambda name: vocabulary.label_for(name, str(get_locale() or "en")),
        "missing_sections_of": services.missing_sections,
        "next_section_of": services.next_section,
        "consent_labels": {
            ConsentKind.PRIVACY_NOTICE: _("Privacy notice"),
            ConsentKind.MATCHING: _("Matching and contact by institutions"),
            ConsentKind.NEWSLETTERS: _("Newsletters and surveys"),
            ConsentKind.STATISTICS: _("Anonymous statistics"),
        },
        "skill_levels": {
            SkillLevel.BEGINNER: _("Beginner"),
            SkillLevel.INTERMEDIATE: _("Intermediate"),
            SkillLevel.ADVANCED: _("Advanced"),
            SkillLevel.EXPERT: _("Expert"),
        },
        "mode_labels": {
            WorkMode.REMOTE: _("Remotely"),
            WorkMode.ONSITE: _("On site in Rwanda"),
            WorkMode.BOTH: _("Remotely and on site"),
        },
    }


def _mine() -> Profile:
    return services.get_or_create_profile(current_user._get_current_object())


def _add_problems(form: Any, problems: Mapping[str, str]) -> list[str]:
    """Show each problem next to its field, unless the form already flagged that field; return
    the messages that have no field on this form."""
    unplaced = []
    for name, message in problems.items():
        target = form._fields.get(name)
        if target is None:
            unplaced.append(message)
        elif not target.errors:
            target.errors = [*target.errors, message]
    return unplaced


def _attach(form: Any, error: DomainError) -> None:
    db.session.rollback()
    problems = getattr(error, "errors", None) or (
        {error.field: error.message} if error.field else {}
    )
    unplaced = _add_problems(form, problems) if problems else [error.message]
    for message in unplaced:
        form.form_errors.append(message)
        flash(message, "error")


def _validate(form: Any, check: Callable[[], Mapping[str, str]]) -> bool:
    """Validate the form; when it fails, also run the service's rules on what was typed, so a
    member with several mistakes sees every one of them in one round."""
    if form.validate_on_submit():
        return True
    if form.is_submitted():
        _add_problems(form, check())
    return False


def _in_wizard() -> bool:
    return request.args.get("wizard") == "1"


def _after_save(section: str) -> ResponseReturnValue:
    db.session.commit()
    if _in_wizard():
        following = services.next_section(section, _mine())
        if following:
            return redirect(_section_url(following, wizard=True))
        flash(_("Your profile is ready. Thank you!"), "success")
        return redirect(url_for("profiles.dashboard"))
    flash(_("Saved."), "success")
    return redirect(_section_url(section))


def _section_url(section: str, wizard: bool = False) -> str:
    args = {"wizard": "1"} if wizard else {}
    return url_for(f"profiles.edit_{section}", **args)


def _page(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("profile", _mine())
    context.setdefault("sections", services.SECTIONS)
    return render_template(template, wizard=_in_wizard(), **context), status


# --------------------------------------------------------------------------- dashboard & wizard


@bp.get("/")
@professional_required
def dashboard() -> ResponseReturnValue:
    profile = _mine()
    db.session.commit()
    return render_template(
        "profiles/dashboard.html",
        profile=profile,
        percent=services.completeness(profile),
        missing=services.missing_sections(profile),
        needs=recommended_needs_for(profile, limit=5),
        reconfirm_due=services.reconfirmation_due(profile) or not profile.is_confirmed,
        confirm_form=ConfirmForm(),
        inbox=queries.get_inbox_summary(current_user._get_current_object()),
    )


@bp.get("/wizard")
@professional_required
def wizard() -> ResponseReturnValue:
    profile = _mine()
    db.session.commit()
    section = services.next_section(None, profile)
    if section is None:
        return redirect(url_for("profiles.dashboard"))
    return redirect(_section_url(section, wizard=True))


# --------------------------------------------------------------------------- single-form sections


def _identity_values(form: IdentityForm) -> dict[str, Any]:
    return {
        "full_name": form.full_name.data or "",
        "preferred_name": form.preferred_name.data or "",
        "gender": form.gender.data or None,
        "birth_year": form.birth_year.data,
        "phone": form.phone.data or "",
    }


@bp.route("/edit/identity", methods=["GET", "POST"])
@professional_required
def edit_identity() -> ResponseReturnValue:
    profile = _mine()
    form = IdentityForm(obj=profile if request.method == "GET" else None)
    upload = request.files.get("photo")
    photo = upload.read() if upload is not None and upload.filename else None
    photo_name = upload.filename if upload is not None else None
    values = _identity_values(form)
    if _validate(
        form,
        lambda: {**services.check_identity(**values), **services.check_photo(photo, photo_name)},
    ):
        try:
            services.save_identity(profile, **values)
            if form.remove_photo.data:
                services.remove_photo(profile)
            elif photo is not None:
                services.save_photo(profile, photo, photo_name)
        except DomainError as error:
            _attach(form, error)
            if error.field != "photo":
                _add_problems(form, services.check_photo(photo, photo_name))
        else:
            return _after_save("identity")
    return _page("profiles/identity.html", 400 if form.errors else 200, form=form)


def _location_values(form: LocationForm) -> dict[str, Any]:
    return {
        "country": form.country.data or "",
        "city": form.city.data or "",
        "timezone": (form.timezone.data or "").strip(),
        "tie_to_rwanda": form.tie_to_rwanda.data or None,
        "tie_note": form.tie_note.data or "",
    }


@bp.route("/edit/location", methods=["GET", "POST"])
@professional_required
def edit_location() -> ResponseReturnValue:
    profile = _mine()
    form = LocationForm(obj=profile if request.method == "GET" else None)
    values = _location_values(form)
    if _validate(form, lambda: services.check_location(**values)):
        try:
            services.save_location(profile, **values)
        except DomainError as error:
            _attach(form, error)
        else:
            return _after_save("location")
    country = (form.country.data or "").upper()
    suggested_zone = default_timezone(country) if country else None
    if suggested_zone and not (form.timezone.data or "").strip() and not form.timezone.errors:
        # Pre-filled from the country; the member can change it (profiles.js does the same
        # when the country changes in the browser).
        form.timezone.data = suggested_zone
    return _page(
        "profiles/location.html",
        400 if form.errors else 200,
        form=form,
        suggested_zone=suggested_zone,
        country_zones=country_timezones(country) if country else [],
        zones_json=json.dumps(timezone_by_country()),
    )


@bp.route("/edit/interests", methods=["GET", "POST"])
@professional_required
def edit_interests() -> ResponseReturnValue:
    profile = _mine()
    form = InterestsForm(obj=profile if request.method == "GET" else None)
    values = {
        "sectors": list(form.sectors.data or []),
        "headline": form.headline.data or "",
        "bio": form.bio.data or "",
    }
    if _validate(form, lambda: services.check_interests(**values)):
        try:
            services.save_interests(profile, **values)
        except DomainError as error:
            _attach(form, error)
        else:
            return _after_save("interests")
    return _page("profiles/interests.html", 400 if form.errors else 200, form=form)


@bp.route("/edit/availability", methods=["GET", "POST"])
@professional_required
def edit_availability() -> ResponseReturnValue:
    profile = _mine()
    form = AvailabilityForm(obj=profile if request.method == "GET" else None)
    if request.method == "GET" and profile.mode is None:
        form.mode.data = None
    values = {
        "mode": form.mode.data or "",
        "hours_per_week": form.hours_per_week.data,
        "onsite_weeks": form.onsite_weeks.data,
        "willing_to_mentor": bool(form.willing_to_mentor.data),
        "open_to_paid": bool(form.open_to_paid.data),
        "open_to_unpaid": bool(form.open_to_unpaid.data),
    }
    if _validate(form, lambda: services.check_availability(**values)):
        try:
            services.save_availability(profile, **values)
        except DomainError as error:
            _attach(form, error)
        else:
            return _after_save("availability")
    return _page(
        "profiles/availability.html",
        400 if form.errors else 200,
        form=form,
        window_form=WindowForm(formdata=None),
    )


@bp.post("/windows")
@professional_required
def add_window() -> ResponseReturnValue:
    profile = _mine()
    window_form = WindowForm()
    if window_form.validate_on_submit():
        try:
            services.add_window(profile, window_form.start.data, window_form.end.data)
        except DomainError as error:
            _attach(window_form, error)
        else:
            db.session.commit()
            flash(_("Dates added."), "success")
            return redirect(_section_url("availability", _in_wizard()))
    return _page(
        "profiles/availability.html",
        400,
        form=AvailabilityForm(obj=profile),
        window_form=window_form,
    )


@bp.post("/windows/<int:window_id>/remove")
@professional_required
def remove_window(window_id: int) -> ResponseReturnValue:
    services.remove_window(_mine(), window_id)
    db.session.commit()
    flash(_("Dates removed."), "success")
    return redirect(_section_url("availability", _in_wizard()))


@bp.route("/edit/consent", methods=["GET", "POST"])
@professional_required
def edit_consent() -> ResponseReturnValue:
    profile = _mine()
    form = ConsentForm()
    if request.method == "GET":
        latest = current_consents(profile.user)
        for kind in services.PROFILE_CONSENTS:
            record = latest.get(kind)
            getattr(form, kind.value).data = bool(record and record.granted)
    if form.validate_on_submit():
        services.save_consents(
            profile,
            {kind: bool(getattr(form, kind.value).data) for kind in services.PROFILE_CONSENTS},
        )
        return _after_save("consent")
    return _page(
        "profiles/consent.html",
        400 if form.errors else 200,
        form=form,
        history=services.consent_history(profile.user),
    )


# --------------------------------------------------------------------------- languages


@bp.get("/edit/languages")
@professional_required
def edit_languages() -> ResponseReturnValue:
    form = LanguageForm(formdata=None)
    return _page("profiles/languages.html", form=form)


@bp.post("/languages")
@professional_required
def add_language() -> ResponseReturnValue:
    profile = _mine()
    form = LanguageForm()
    typed = (form.other.data or "").strip()
    code, level = typed or form.code.data or "", form.level.data or ""

    def problems() -> dict[str, str]:
        # A language typed in the free field is checked there, not in the list.
        found = services.check_language(code, level)
        if typed and "code" in found:
            found["other"] = found.pop("code")
        return found

    if _validate(form, problems):
        try:
            services.add_language(profile, code, level)
        except services.InvalidProfileData as error:
            _attach(form, services.InvalidProfileData(error.message, errors=problems()))
        else:
            db.session.commit()
            flash(_("Language saved."), "success")
            return redirect(_section_url("languages", _in_wizard()))
    return _page("profiles/languages.html", 400, form=form)


@bp.post("/languages/<int:language_id>/remove")
@professional_required
def remove_language(language_id: int) -> ResponseReturnValue:
    services.remove_language(_mine(), language_id)
    db.session.commit()
    flash(_("Language removed."), "success")
    return redirect(_section_url("languages", _in_wizard()))


# --------------------------------------------------------------------------- education & work


@bp.get("/edit/background")
@professional_required
def edit_background() -> ResponseReturnValue:
    return _page(
        "profiles/background.html",
        education_form=EducationForm(formdata=None),
        experience_form=ExperienceForm(formdata=None),
    )


def _save_education(entry_id: int | None) -> ResponseReturnValue:
    profile = _mine()
    entry = services._owned(profile.education, entry_id) if entry_id else None
    form = EducationForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET" and entry is not None:
        form.field_of_study.data = entry.field
    values = {
        "degree": form.degree.data or "",
        "field_of_study": form.field_of_study.data or "",
        "institution": form.institution.data or "",
        "country": form.country.data or "",
        "year": form.year.data,
    }
    if _validate(form, lambda: services.check_education(**values)):
        try:
            services.save_education(profile, **values, entry_id=entry_id)
        except DomainError as error:
            _attach(form, error)
        else:
            db.session.commit()
            flash(_("Education saved."), "success")
            return redirect(_section_url("background", _in_wizard()))
    if entry_id is None:
        return _page(
            "profiles/background.html",
            400,
            education_form=form,
            experience_form=ExperienceForm(formdata=None),
        )
    status = 400 if form.errors else 200
    return _page("profiles/entry.html", status, form=form, kind="education", entry=entry)


def _save_experience(entry_id: int | None) -> ResponseReturnValue:
    profile = _mine()
    entry = services._owned(profile.experience, entry_id) if entry_id else None
    form = ExperienceForm(obj=entry if request.method == "GET" else None)
    values = {
        "title": form.title.data or "",
        "employer": form.employer.data or "",
        "country": form.country.data or "",
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "description": form.description.data or "",
    }
    if _validate(form, lambda: services.check_experience(**values)):
        try:
            services.save_experience(profile, **values, entry_id=entry_id)
        except DomainError as error:
            _attach(form, error)
        else:
            db.session.commit()
            flash(_("Experience saved."), "success")
            return redirect(_section_url("background", _in_wizard()))
    if entry_id is None:
        return _page(
            "profiles/background.html",
            400,
            education_form=EducationForm(formdata=None),
            experience_form=form,
        )
    status = 400 if form.errors else 200
    return _page("profiles/entry.html", status, form=form, kind="experience", entry=entry)


@bp.post("/education")
@professional_required
def add_education() -> ResponseReturnValue:
    return _save_education(None)


@bp.route("/education/<int:entry_id>/edit", methods=["GET", "POST"])
@professional_required
def edit_education(entry_id: int) -> ResponseReturnValue:
    return _save_education(entry_id)


@bp.post("/education/<int:entry_id>/remove")
@professional_required
def remove_education(entry_id: int) -> ResponseReturnValue:
    services.remove_education(_mine(), entry_id)
    db.session.commit()
    flash(_("Education removed."), "success")
    return redirect(_section_url("background", _in_wizard()))


@bp.post("/experience")
@professional_required
def add_experience() -> ResponseReturnValue:
    return _save_experience(None)


@bp.route("/experience/<int:entry_id>/edit", methods=["GET", "POST"])
@professional_required
def edit_experience(entry_id: int) -> ResponseReturnValue:
    return _save_experience(entry_id)


@bp.post("/experience/<int:entry_id>/remove")
@professional_required
def remove_experience(entry_id: int) -> ResponseReturnValue:
    services.remove_experience(_mine(), entry_id)
    db.session.commit()
    flash(_("Experience removed."), "success")
    return redirect(_section_url("background", _in_wizard()))


# --------------------------------------------------------------------------- skills


@bp.get("/edit/skills")
@professional_required
def edit_skills() -> ResponseReturnValue:
    return _page(
        "profiles/skills.html",
        form=SkillForm(formdata=None),
        datalist=services.suggest_skills(request.args.get("q", ""))
        if request.args.get("q")
        else [],
    )


@bp.post("/skills")
@professional_required
def add_skill() -> ResponseReturnValue:
    profile = _mine()
    form = SkillForm()
    values = (form.name.data or "", form.level.data or "", form.years.data)
    if _validate(form, lambda: services.check_skill(*values)):
        try:
            saved = services.add_skill(profile, *values)
        except DomainError as error:
            _attach(form, error)
        else:
            db.session.commit()
            if saved.was_renamed:
                flash(_("Skill saved as “%(name)s”.", name=saved.skill.name), "success")
            else:
                flash(_("Skill saved."), "success")
            return redirect(_section_url("skills", _in_wizard()))
    return _page("profiles/skills.html", 400, form=form, datalist=[])


@bp.post("/skills/<int:skill_id>/remove")
@professional_required
def remove_skill(skill_id: int) -> ResponseReturnValue:
    services.remove_skill(_mine(), skill_id)
    db.session.commit()
    flash(_("Skill removed."), "success")
    return redirect(_section_url("skills", _in_wizard()))


@bp.get("/skills/suggest")
@signed_in
def suggest_skills() -> ResponseReturnValue:
    query = request.args.get("q", "")
    canonical = services.canonical_skill(query) if query.strip() else ""
    return jsonify(suggestions=services.suggest_skills(query), canonical=canonical)


# --------------------------------------------------------------------------- CV import


def _cv_upload_limit() -> str:
    return str(current_app.config["CV_UPLOAD_RATE_LIMIT"])


def _account_key() -> str:
    # Per account, not per address: members behind one NAT do not share a budget.
    user_id = current_user.get_id() if current_user.is_authenticated else None
    return f"user:{user_id}" if user_id else f"ip:{get_remote_address()}"


def _cv_upload_wait() -> timedelta | None:
    """Count this upload against the account's budget (CV_UPLOAD_RATE_LIMIT, in the limiter's
    storage); return how long to wait when it is spent, None when the upload may go ahead.

    Checked in the view rather than by a limiter decorator so that a refusal is the upload page
    with the reason next to the field (and the member's CVs), not the generic 429 page."""
    if not limiter.enabled:
        return None
    strategy = limiter.limiter
    key = _account_key()
    items = parse_many(_cv_upload_limit())
    spent = [item for item in items if not strategy.test(item, key, "cv-upload")]
    if spent:
        reset_at = max(
            strategy.get_window_stats(item, key, "cv-upload").reset_time for item in spent
        )
        return timedelta(seconds=max(1, math.ceil(reset_at - time.time())))
    for item in items:
        strategy.hit(item, key, "cv-upload")
    return None


@bp.route("/cv", methods=["GET", "POST"])
@professional_required
def upload_cv() -> ResponseReturnValue:
    profile = _mine()
    form = CVUploadForm()
    wait = _cv_upload_wait() if request.method == "POST" else None
    if wait is not None:
        form.cv.errors = [
            _(
                "You have uploaded many CVs in a short time; try again in %(wait)s.",
                wait=format_timedelta(wait),
            )
        ]
        return _page("profiles/cv_upload.html", 429, form=form, cvs=cv.list_cvs(profile))
    if form.validate_on_submit():
        upload = request.files.get("cv")
        try:
            if upload is None or not upload.filename:
                raise cv.CVRejected(_("Choose a file to upload."))
            document = cv.import_cv(profile, upload.read(), upload.filename)
        except DomainError as error:
            _attach(form, error)
        else:
            db.session.commit()
            return redirect(url_for("profiles.cv_progress", cv_id=document.id))
    return _page(
        "profiles/cv_upload.html",
        400 if form.errors else 200,
        form=form,
        cvs=cv.list_cvs(profile),
    )


@bp.get("/cv/<int:cv_id>/reading")
@professional_required
def cv_progress(cv_id: int) -> ResponseReturnValue:
    profile, document = _my_cv(cv_id)
    if document.status == CVStatus.READY:
        return redirect(url_for("profiles.review_cv", cv_id=document.id))
    if document.status == CVStatus.FAILED:
        # The worker refused the file (and deleted it): the upload form again, the reason next
        # to the field.
        form = CVUploadForm()
        form.cv.errors = [cv.refusal_message(document.failure or "")]
        return _page("profiles/cv_upload.html", form=form, cvs=cv.list_cvs(profile))
    return _page("profiles/cv_progress.html", cv=document)


@bp.get("/cv/<int:cv_id>/status")
@professional_required
def cv_status(cv_id: int) -> ResponseReturnValue:
    _, document = _my_cv(cv_id)
    return jsonify(
        status=str(document.status),
        url=url_for("profiles.cv_progress", cv_id=document.id),
    )


def _my_cv(cv_id: int) -> tuple[Profile, CVDocument]:
    profile = _mine()
    document = db.session.get(CVDocument, cv_id)
    if (
        document is None
        or not access.can_edit_profile(current_user, profile)
        or (document.profile_id != profile.id)
    ):
        abort(404)
    return profile, document


@bp.route("/cv/<int:cv_id>/review", methods=["GET", "POST"])
@professional_required
def review_cv(cv_id: int) -> ResponseReturnValue:
    profile, document = _my_cv(cv_id)
    if document.status != CVStatus.READY:
        return redirect(url_for("profiles.cv_progress", cv_id=document.id))
    form = ConfirmForm()
    review = cv_review.build_review(profile, document)
    if form.validate_on_submit():
        review.rows = cv_review.read_submission(request.form)
        added = cv_review.accept_rows(profile, document, review.rows)
        if not review.has_errors:
            db.session.commit()
            flash(_("%(n)s suggestions added to your profile.", n=added), "success")
            return redirect(url_for("profiles.dashboard"))
        db.session.rollback()
    return _page(
        "profiles/cv_review.html",
        400 if review.has_errors else 200,
        form=form,
        cv=document,
        has_text=cv.has_text(document),
        review=review,
        **cv_review.form_choices(),
    )


@bp.get("/cv/<int:cv_id>/download")
@signed_in
def download_cv(cv_id: int) -> ResponseReturnValue:
    document = db.get_or_404(CVDocument, cv_id)
    profile = db.get_or_404(Profile, document.profile_id)
    if not access.can_download_cv(current_user, document, profile):
        abort(404)
    path = cv.cv_path(document)
    if not path.exists():
        abort(404)
    if profile.user_id != current_user.id:
        record_audit(actions.CV_DOWNLOADED, target=document, subject=profile.user_id)
        db.session.commit()
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- viewing a profile


def _visible_or_404(profile: Profile | None) -> Profile:
    """The profile when the viewer may see it; 404 whether it is missing or hidden."""
    if profile is None or not access.can_view_profile(current_user, profile):
        abort(404)
    return profile


def _show(profile: Profile) -> ResponseReturnValue:
    show_contact = access.can_see_contact_details(current_user, profile)
    if profile.user_id != current_user.id and (show_contact or current_user.is_staff):
        # Who looked at whose personal data is kept (Law No 058/2021): staff views, and any
        # view that showed contact details.
        action = actions.PROFILE_CONTACT_VIEWED if show_contact else actions.PROFILE_VIEWED
        record_audit(action, target=profile, subject=profile.user_id)
        db.session.commit()
    return render_template(
        "profiles/view.html",
        profile=profile,
        full=access.can_edit_profile(current_user, profile) or current_user.is_staff,
        show_contact=show_contact,
        cvs=cv.list_cvs(profile) if current_user.is_staff else [],
    )


def _send_photo(profile: Profile) -> ResponseReturnValue:
    path = services.photo_path(profile)
    if path is None or not path.exists():
        abort(404)
    response = send_file(path, mimetype=profile.photo_content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# The owner's and staff's links carry the row id; institutions' links carry the random public
# id. Both answer through the same rule, and 404 alike for a missing or a hidden profile.


@bp.get("/<int:profile_id>")
@signed_in
def view(profile_id: int) -> ResponseReturnValue:
    return _show(_visible_or_404(db.session.get(Profile, profile_id)))


@bp.get("/<int:profile_id>/photo")
@signed_in
def photo(profile_id: int) -> ResponseReturnValue:
    return _send_photo(_visible_or_404(db.session.get(Profile, profile_id)))


@bp.get("/p/<public_id>")
@signed_in
def card(public_id: str) -> ResponseReturnValue:
    return _show(_visible_or_404(queries.get_profile_by_public_id(public_id)))


@bp.get("/p/<public_id>/photo")
@signed_in
def card_photo(public_id: str) -> ResponseReturnValue:
    return _send_photo(_visible_or_404(queries.get_profile_by_public_id(public_id)))


# --------------------------------------------------------------------------- freshness


@bp.post("/confirm")
@professional_required
def confirm() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        services.confirm_availability(_mine())
        db.session.commit()
        flash(_("Thank you, your availability is confirmed."), "success")
    return redirect(url_for("profiles.dashboard"))


@bp.get("/confirm/<token>")
@public
def confirm_link(token: str) -> ResponseReturnValue:
    # One click from the email, no log-in: the signed token names the profile, and confirming
    # only refreshes a date, so a repeated or prefetched visit does no harm.
    try:
        services.confirm_by_token(token)
    except (InvalidToken, DomainError):
        db.session.rollback()
        return render_template("profiles/confirmed.html", ok=False), 400
    db.session.commit()
    return render_template("profiles/confirmed.html", ok=True)


# --------------------------------------------------------------------------- staff: duplicates


@bp.get("/staff/duplicates")
@staff_required
def duplicates() -> ResponseReturnValue:
    return render_template(
        "profiles/duplicates.html", candidates=services.list_open_duplicates(), form=MergeForm()
    )


@bp.post("/staff/duplicates/<int:candidate_id>/dismiss")
@staff_required
def dismiss_duplicate(candidate_id: int) -> ResponseReturnValue:
    candidate = db.get_or_404(DuplicateCandidate, candidate_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.dismiss_duplicate(candidate, staff=current_user._get_current_object())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Marked as different people."), "success")
    return redirect(url_for("profiles.duplicates"))


@bp.post("/staff/duplicates/<int:candidate_id>/merge")
@staff_required
def merge_duplicate(candidate_id: int) -> ResponseReturnValue:
    candidate = db.get_or_404(DuplicateCandidate, candidate_id)
    form = MergeForm()
    if form.validate_on_submit():
        try:
            services.merge_duplicate(
                candidate, keep_id=form.keep.data, staff=current_user._get_current_object()
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Profiles merged; the other account is disabled."), "success")
    else:
        flash(_("Choose one of the two profiles to keep."), "error")
    return redirect(url_for("profiles.duplicates"))
