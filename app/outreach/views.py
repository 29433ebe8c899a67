"""Outreach pages: inbox, preferences, unsubscribe, messages, segments, threads."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import public, roles_required, signed_in, staff_required
from app.auth.models import Role, User
from app.auth.tokens import InvalidToken
from app.errors import DomainError, show_on_form
from app.extensions import csrf, db
from app.mail import MailDeliveryError
from app.needs.models import Need
from app.outreach import access, direct, preferences, segments, services
from app.outreach.forms import (
    ConfirmForm,
    ConversationForm,
    MessageForm,
    PreviewAsForm,
    ReplyForm,
    ScheduleForm,
    SegmentForm,
    preference_form_class,
)
from app.outreach.models import (
    AlertFrequency,
    Channel,
    Conversation,
    InboxEntry,
    MessageStatus,
    ScheduleMode,
    Segment,
    Topic,
)
from app.outreach.rendering import links_as_text
from app.placements.models import Placement
from app.security import record_id

bp = Blueprint("outreach", __name__, url_prefix="/outreach")


@bp.app_context_processor
def inject_unread_count() -> dict[str, object]:
    """`inbox_unread()` for the header: the signed-in member's unread inbox entries."""

    def inbox_unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user.id)

    return {"inbox_unread": inbox_unread, "message_status_label": message_status_label}


def message_status_label(status: str) -> str:
    """The translated name of a message's status."""
    labels = {
        MessageStatus.DRAFT: _("Draft"),
        MessageStatus.SCHEDULED: _("Scheduled"),
        MessageStatus.SENT: _("Sent"),
    }
    return str(labels.get(MessageStatus(status), status))


# --------------------------------------------------------------------------- inbox


@bp.get("/inbox")
@signed_in
def inbox() -> ResponseReturnValue:
    entries = services.visible_inbox(current_user)
    return render_template("outreach/inbox.html", entries=entries)


@bp.get("/inbox/<int:entry_id>")
@signed_in
def inbox_entry(entry_id: int) -> ResponseReturnValue:
    entry = db.get_or_404(InboxEntry, entry_id)
    if not access.can_open_inbox_entry(current_user, entry):
        abort(404)
    services.open_entry(entry)
    subject, html, text = services.entry_content(entry, current_user)
    db.session.commit()
    return render_template(
        "outreach/inbox_entry.html", entry=entry, subject=subject, html=html, text=text
    )


# --------------------------------------------------------------------------- preferences


@bp.route("/preferences", methods=["GET", "POST"])
@signed_in
def preference_centre() -> ResponseReturnValue:
    form_class = preference_form_class()
    form = form_class()
    if form.validate_on_submit():
        choices = {
            (topic, channel): bool(getattr(form, f"{topic.value}__{channel.value}").data)
            for topic in Topic
            for channel in Channel
        }
        preferences.save_preferences(current_user, choices, AlertFrequency(form.frequency.data))
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("outreach.preference_centre"))
    if request.method == "GET":
        for (topic, channel), enabled in preferences.preference_grid(current_user).items():
            getattr(form, f"{topic.value}__{channel.value}").data = enabled
        form.frequency.data = preferences.alert_frequency(current_user.id).value
    return render_template(
        "outreach/preferences.html",
        form=form,
        topics=list(Topic),
        channels=list(Channel),
        topic_labels=preferences.TOPIC_LABELS,
        channel_labels=preferences.CHANNEL_LABELS,
    ), (400 if form.errors else 200)


# --------------------------------------------------------------------------- unsubscribe


@bp.get("/unsubscribe/<token>")
@public
def unsubscribe(token: str) -> ResponseReturnValue:
    try:
        _user_id, topic = preferences.read_unsubscribe_token(token)
    except InvalidToken:
        abort(404)
    return render_template(
        "outreach/unsubscribe.html",
        token=token,
        topic=topic,
        topic_label=preferences.TOPIC_LABELS.get(Topic(topic)) if topic != "all" else None,
        done=False,
        form=ConfirmForm(),
    )


# CSRF exemption: RFC 8058 one-click unsubscribe is a POST sent by the recipient's mail client
# (Gmail, Apple Mail...) with body "List-Unsubscribe=One-Click" and no cookies, so it can never
# carry our CSRF token. That is safe here because the signed token in the URL is the credential:
# it names one member and one topic, cannot be forged, and the only effect is to stop mail.
@bp.post("/unsubscribe/<token>")
@public
@csrf.exempt
def unsubscribe_post(token: str) -> ResponseReturnValue:
    try:
        user_id, topic = preferences.read_unsubscribe_token(token)
    except InvalidToken:
        abort(404)
    if db.session.get(User, user_id) is None:
        abort(404)
    preferences.unsubscribe(user_id, topic)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "", 204
    return render_template(
        "outreach/unsubscribe.html",
        token=token,
        topic=topic,
        topic_label=preferences.TOPIC_LABELS.get(Topic(topic)) if topic != "all" else None,
        done=True,
        form=ConfirmForm(),
    )


# --------------------------------------------------------------------------- messages (staff)


def _segment_choices() -> list[tuple[str, str]]:
    return [("", _("All professionals"))] + [(str(s.id), s.name) for s in segments.list_segments()]


@bp.get("/messages")
@staff_required
def messages() -> ResponseReturnValue:
    return render_template("outreach/messages.html", messages=services.list_messages())


@bp.route("/messages/new", methods=["GET", "POST"])
@staff_required
def new_message() -> ResponseReturnValue:
    return _edit_message(None)


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_message(message_id: int) -> ResponseReturnValue:
    return _edit_message(services.get_message(message_id))


def _edit_message(message: services.OutreachMessage | None) -> ResponseReturnValue:
    form = MessageForm(obj=message if request.method == "GET" else None)
    form.segment_id.choices = _segment_choices()
    if request.method == "GET" and message is not None:
        form.links.data = links_as_text(message.links)
        form.segment_id.data = message.segment_id
    if form.validate_on_submit():
        try:
            saved = services.save_message(
                message,
                author=current_user,
                topic=Topic(form.topic.data),
                segment_id=form.segment_id.data,
                subject=form.subject.data or "",
                body=form.body.data or "",
                subject_fr=form.subject_fr.data or "",
                body_fr=form.body_fr.data or "",
                subject_rw=form.subject_rw.data or "",
                body_rw=form.body_rw.data or "",
                links_text=form.links.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Message saved. Check it, then send or schedule it."), "success")
            return redirect(url_for("outreach.message_detail", message_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("outreach/message_form.html", form=form, message=message), status


@bp.get("/messages/<int:message_id>")
@staff_required
def message_detail(message_id: int) -> ResponseReturnValue:
    message = services.get_message(message_id)
    return _render_detail(message, ScheduleForm(), 200)


def _render_detail(
    message: services.OutreachMessage, schedule_form: ScheduleForm, status: int
) -> ResponseReturnValue:
    preview_form = PreviewAsForm(request.args)
    members = services.professionals_for_preview()
    preview_form.user_id.choices = [(u.id, f"{u.display_name} <{u.email}>") for u in members]
    preview_user = None
    if request.args.get("user_id", type=record_id):
        preview_user = db.session.get(User, request.args.get("user_id", type=record_id))
    preview = services.render_message_for(message, preview_user or current_user)
    audience = None
    if message.status != MessageStatus.SENT:
        audience = services.resolve_audience(message, services.utcnow())
    report = services.delivery_report(message) if message.status == MessageStatus.SENT else None
    return render_template(
        "outreach/message_detail.html",
        message=message,
        preview=preview,
        preview_user=preview_user,
        preview_form=preview_form,
        schedule_form=schedule_form,
        confirm_form=ConfirmForm(),
        audience=audience,
        report=report,
        left_out_label=services.left_out_label,
        topic_labels=preferences.TOPIC_LABELS,
        parse_iso=datetime.fromisoformat,
    ), status


@bp.post("/messages/<int:message_id>/test")
@staff_required
def test_send(message_id: int) -> ResponseReturnValue:
    message = services.get_message(message_id)
    try:
        services.send_test(message, current_user)
    except MailDeliveryError:
        flash(_("The test email could not be sent. Check the mail server and try again."), "error")
    else:
        flash(_("A test email was sent to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("outreach.message_detail", message_id=message.id))


@bp.post("/messages/<int:message_id>/send")
@staff_required
def send(message_id: int) -> ResponseReturnValue:
    message = services.get_message(message_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _render_detail(message, form, 400)
    mode = ScheduleMode(form.mode.data)
    try:
        if mode == ScheduleMode.NOW:
            audience = services.send_message(message)
        else:
            services.schedule_message(
                message,
                mode=mode,
                at_kigali=form.send_at.data,
                local_day=form.local_date.data,
                local_at=form.local_time.data,
            )
    except DomainError as error:
        db.session.rollback()
        show_on_form(form, error)
        return _render_detail(services.get_message(message_id), form, 400)
    db.session.commit()
    if mode == ScheduleMode.NOW:
        flash(
            _(
                "Sent to %(n)s members (%(e)s by email); %(left)s left out.",
                n=len(audience.recipient_ids),
                e=len(audience.email_ids),
                left=sum(
                    v for k, v in audience.left_out.items() if k in ("no_consent", "already_sent")
                ),
            ),
            "success",
        )
        if audience.held_back:
            flash(
                _(
                    "%(n)s of them reached the weekly limit of broadcasts: the message is held "
                    "back and reaches them when the limit allows (by %(until)s at the latest).",
                    n=len(audience.held_back),
                    until=format_datetime(audience.held_back_until),
                ),
                "warning",
            )
    else:
        flash(_("Message scheduled."), "success")
    return redirect(url_for("outreach.message_detail", message_id=message.id))


@bp.post("/messages/<int:message_id>/unschedule")
@staff_required
def unschedule(message_id: int) -> ResponseReturnValue:
    message = services.get_message(message_id)
    services.cancel_schedule(message)
    db.session.commit()
    flash(_("The schedule is cancelled; the message is a draft again."), "success")
    return redirect(url_for("outreach.message_detail", message_id=message.id))


@bp.post("/messages/<int:message_id>/resend-failed")
@staff_required
def resend_failed(message_id: int) -> ResponseReturnValue:
    message = services.get_message(message_id)
    count = services.resend_failed(message, resent_by=current_user)
    db.session.commit()
    flash(_("%(n)s failed emails queued again.", n=count), "success")
    return redirect(url_for("outreach.message_detail", message_id=message.id))


# --------------------------------------------------------------------------- segments (staff)


def _segment_form(segment: Segment | None) -> SegmentForm:
    from app.reference.countries import country_choices
    from app.reference.languages import language_choices
    from app.reference.sectors import sector_choices

    form = SegmentForm(obj=segment if request.method == "GET" else None)
    form.countries.choices = country_choices()
    form.sectors.choices = sector_choices()
    form.languages.choices = language_choices()
    if request.method == "GET" and segment is not None:
        form.load(segment.filters)
    return form


@bp.get("/segments")
@staff_required
def segment_list() -> ResponseReturnValue:
    return render_template("outreach/segments.html", segments=segments.list_segments())


@bp.route("/segments/new", methods=["GET", "POST"])
@staff_required
def new_segment() -> ResponseReturnValue:
    return _edit_segment(None)


@bp.route("/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_segment(segment_id: int) -> ResponseReturnValue:
    return _edit_segment(db.get_or_404(Segment, segment_id))


def _edit_segment(segment: Segment | None) -> ResponseReturnValue:
    form = _segment_form(segment)
    preview = None
    status = 200
    if request.method == "POST":
        previewing = "preview" in request.form
        if previewing:
            form.name.validators = []
        if form.validate_on_submit() or (previewing and not _other_errors(form)):
            try:
                filters = segments.clean_filters(form.filters())
                if previewing:
                    preview = segments.preview_filters(filters)
                else:
                    saved = segments.save_segment(
                        segment, name=form.name.data or "", filters=filters, author=current_user
                    )
                    db.session.commit()
                    flash(_("Segment saved."), "success")
                    return redirect(url_for("outreach.segment_list", saved=saved.id))
            except DomainError as error:
                db.session.rollback()
                show_on_form(form, error)
                status = 400
        else:
            status = 400
    elif segment is not None:
        preview = segments.preview_filters(segment.filters)
    return render_template(
        "outreach/segment_form.html", form=form, segment=segment, preview=preview
    ), status


def _other_errors(form: SegmentForm) -> bool:
    return any(errors for name, errors in form.errors.items() if name != "name")


# --------------------------------------------------------------------------- direct messages


@bp.get("/conversations")
@signed_in
def conversations() -> ResponseReturnValue:
    return render_template(
        "outreach/conversations.html", conversations=direct.list_conversations(current_user)
    )


@bp.route("/conversations/new/<int:professional_id>", methods=["GET", "POST"])
@roles_required(Role.RCA_STAFF, Role.INSTITUTION_MEMBER)
def new_conversation(professional_id: int) -> ResponseReturnValue:
    professional = db.get_or_404(User, professional_id)
    if not access.can_write_to(current_user, professional):
        abort(404)
    need_id = request.args.get("need_id", type=record_id)
    placement_id = request.args.get("placement_id", type=record_id)
    need = db.get_or_404(Need, need_id) if need_id else None
    placement = db.get_or_404(Placement, placement_id) if placement_id else None
    if not access.can_write_about(current_user, need, placement):
        abort(404)
    form = ConversationForm()
    # Named in the link (profile card of a need's candidates, placement): fixed; otherwise an
    # institution member picks one of their needs (staff write freely).
    needs = [] if need or placement else direct.list_needs_to_write_about(current_user)
    form.need_id.choices = [("", _("Choose a need"))] + [(str(n.id), n.title) for n in needs]
    if form.validate_on_submit():
        try:
            conversation = direct.start_conversation(
                current_user,
                professional,
                subject=form.subject.data or "",
                body=form.body.data or "",
                need_id=need_id or form.need_id.data,
                placement_id=placement_id,
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Message sent."), "success")
            return redirect(url_for("outreach.conversation", conversation_id=conversation.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "outreach/conversation_new.html",
        form=form,
        professional=professional,
        need=need,
        placement=placement,
        choose_need=not (current_user.is_staff or need or placement),
        withdrawn=None
        if access.institutions_may_contact(current_user, professional, need_id, placement_id)
        else direct.consent_withdrawn_message(),
    ), status


@bp.route("/conversations/<int:conversation_id>", methods=["GET", "POST"])
@signed_in
def conversation(conversation_id: int) -> ResponseReturnValue:
    thread = db.get_or_404(Conversation, conversation_id)
    if not access.can_view_conversation(current_user, thread):
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            direct.reply(thread, current_user, form.body.data or "")
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            return redirect(url_for("outreach.conversation", conversation_id=thread.id))
    direct.mark_thread_read(thread, current_user)
    db.session.commit()
    status = 400 if request.method == "POST" else 200
    contact_allowed = access.institutions_may_contact(
        thread.started_by, thread.professional, thread.need_id, thread.placement_id
    )
    return render_template(
        "outreach/conversation.html",
        thread=thread,
        form=form,
        withdrawn=None if contact_allowed else _withdrawn_notice(thread),
    ), status


def _withdrawn_notice(thread: Conversation) -> str:
    """Why institutions cannot answer this thread, said to whoever reads it."""
    if current_user.id == thread.professional_id:
        return _(
            "You withdrew your consent to be contacted by institutions: they cannot answer this "
            "conversation until you give it again on your profile's consent page."
        )
    return direct.consent_withdrawn_message()
