"""Institution logic: registration, verification by staff, invitations and members."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import actions
from app.audit.services import record_audit
from app.auth.models import Role, User
from app.auth.tokens import InvalidToken, make_token, read_token
from app.database import utcnow
from app.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from app.extensions import db
from app.institutions.models import (
    Institution,
    InstitutionMembership,
    InstitutionStatus,
    InstitutionType,
)
from app.institutions.queries import get_membership
from app.mail import MailDeliveryError, render_email, send_email
from app.reference.districts import is_district
from app.reference.sectors import is_sector

log = logging.getLogger("umuhuza.institutions")

INVITATION_PURPOSE = "institution-invitation"


class AlreadyMember(Conflict):
    pass


def external_url(endpoint: str, **values: Any) -> str:
    """Return an absolute URL, also outside a request (CLI, worker) from APP_BASE_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = str(current_app.config.get("APP_BASE_URL") or "http://localhost")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def normalise_domain(domain: str) -> str:
    """Return an email domain as stored: trimmed, lower-case, without a leading '@'."""
    return domain.strip().lower().lstrip("@")


def email_matches_domain(email: str, domain: str) -> bool:
    """Return True when the address belongs to the domain (or one of its subdomains)."""
    if not domain:
        return False
    host = email.rsplit("@", 1)[-1].lower()
    return host == domain or host.endswith("." + domain)


def _notify(user: User, subject: str, template: str, **context: Any) -> None:
    # A mail outage must not undo a staff decision: log it, the dashboard shows the status anyway.
    try:
        send_email(
            render_email(user.email, subject, template, locale=user.locale, user=user, **context)
        )
    except MailDeliveryError:
        log.exception("Could not email %s (%s)", user.email, template)


def register_institution(
    user: User,
    *,
    name: str,
    type: str,
    sector: str,
    district: str,
    address: str = "",
    website: str = "",
    email_domain: str = "",
) -> Institution:
    """Create a pending institution with the user as its admin member.

    Raises NotAllowed for accounts that are not institution members and AlreadyMember when the
    user already belongs to an institution.
    """
    if user.role != Role.INSTITUTION_MEMBER:
        raise NotAllowed(_("Only institution accounts can register an organisation."))
    if get_membership(user.id) is not None:
        raise AlreadyMember(_("You already belong to an organisation."))
    if type not in set(InstitutionType):
        raise DomainError(_("Choose the kind of organisation."), field="type")
    if not is_sector(sector):
        raise DomainError(_("Choose a sector from the list."), field="sector")
    if not is_district(district):
        raise DomainError(_("Choose a district from the list."), field="district")
    institution = Institution(
        name=" ".join(name.split()),
        type=InstitutionType(type),
        sector=sector,
        district=district,
        address=address.strip(),
        website=website.strip(),
        email_domain=normalise_domain(email_domain),
        status=InstitutionStatus.PENDING,
        created_by_id=user.id,
    )
    db.session.add(institution)
    db.session.flush()
    db.session.add(
        InstitutionMembership(institution_id=institution.id, user_id=user.id, is_admin=True)
    )
    db.session.flush()
    return institution


def _admins(institution: Institution) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(InstitutionMembership, InstitutionMembership.user_id == User.id)
            .where(
                InstitutionMembership.institution_id == institution.id,
                InstitutionMembership.is_admin.is_(True),
            )
        )
    )


def approve_institution(institution: Institution, *, reviewed_by: User) -> None:
    """Verify a pending (or previously rejected) institution and email its admins.

    It may publish needs directly from then on when NEEDS_DIRECT_PUBLISH_FOR_VERIFIED is on
    (staff can change that per organisation). Raises InvalidTransition when already verified.
    """
    if institution.status == InstitutionStatus.VERIFIED:
        raise InvalidTransition(_("This organisation is already verified."))
    institution.status = InstitutionStatus.VERIFIED
    institution.rejection_reason = ""
    institution.reviewed_at = utcnow()
    institution.reviewed_by_id = reviewed_by.id
    if current_app.config.get("NEEDS_DIRECT_PUBLISH_FOR_VERIFIED"):
        institution.can_publish_directly = True
    db.session.flush()
    record_audit(
        actions.ORGANISATION_VERIFIED,
        target=institution,
        actor=reviewed_by,
        details={"decision": "verified", "can_publish_directly": institution.can_publish_directly},
    )
    link = external_url("institutions.dashboard")
    for admin in _admins(institution):
        _notify(
            admin,
            _("Your organisation is verified on Umuhuza"),
            "institution_approved",
            institution=institution,
            link=link,
        )


def reject_institution(institution: Institution, *, reviewed_by: User, reason: str) -> None:
    """Reject a pending institution with a reason and email its admins.

    Raises DomainError (field "reason") without a reason and InvalidTransition unless pending.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the organisation is rejected."), field="reason")
    if institution.status != InstitutionStatus.PENDING:
        raise InvalidTransition(_("Only pending organisations can be rejected."))
    institution.status = InstitutionStatus.REJECTED
    institution.rejection_reason = reason
    institution.reviewed_at = utcnow()
    institution.reviewed_by_id = reviewed_by.id
    db.session.flush()
    record_audit(
        actions.ORGANISATION_VERIFIED,
        target=institution,
        actor=reviewed_by,
        details={"decision": "rejected"},
    )
    link = external_url("institutions.dashboard")
    for admin in _admins(institution):
        _notify(
            admin,
            _("Your organisation's registration on Umuhuza"),
            "institution_rejected",
            institution=institution,
            reason=reason,
            link=link,
        )


def set_direct_publishing(institution: Institution, allowed: bool, *, changed_by: User) -> bool:
    """Let a verified institution publish needs without staff review, or take that back.

    Records the change in the audit log and returns True when something changed. Raises
    NotAllowed unless changed_by is RCA staff and InvalidTransition unless it is verified.
    """
    if not changed_by.is_staff:
        raise NotAllowed(_("Only RCA staff decide which organisations publish directly."))
    if allowed and not institution.is_verified:
        raise InvalidTransition(_("Verify the organisation before letting it publish directly."))
    if institution.can_publish_directly == allowed:
        return False
    institution.can_publish_directly = allowed
    db.session.flush()
    record_audit(
        actions.ORGANISATION_DIRECT_PUBLISHING,
        target=institution,
        actor=changed_by,
        details={"can_publish_directly": allowed},
    )
    return True


def invite_colleague(institution: Institution, email: str, *, invited_by: User) -> str:
    """Email a signed invitation link to join the institution and return the link."""
    email = email.strip().lower()
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        membership = get_membership(existing.id)
        if membership is not None and membership.institution_id == institution.id:
            raise AlreadyMember(_("This person is already a member."), field="email")
    token = make_token(INVITATION_PURPOSE, {"institution_id": institution.id, "email": email})
    link = external_url("institutions.join", token=token)
    send_email(
        render_email(
            email,
            _("%(name)s invites you to Umuhuza", name=institution.name),
            "institution_invitation",
            locale=invited_by.locale,
            institution=institution,
            invited_by=invited_by,
            link=link,
        )
    )
    return link


def read_invitation(token: str) -> tuple[Institution, str]:
    """Return (institution, invited email) of a valid invitation; raises InvalidToken."""
    payload = read_token(
        INVITATION_PURPOSE, token, current_app.config["INSTITUTION_INVITATION_MAX_AGE"]
    )
    institution = db.session.get(Institution, payload.get("institution_id"))
    if institution is None or institution.status == InstitutionStatus.REJECTED:
        raise InvalidToken("stale")
    return institution, str(payload.get("email", ""))


def join_institution(user: User, token: str) -> InstitutionMembership:
    """Add the signed-in user to the institution of an invitation.

    Raises InvalidToken for a bad link, NotAllowed when the account is not an institution member
    or not the invited address, and AlreadyMember when it already belongs to an institution.
    """
    institution, email = read_invitation(token)
    if user.role != Role.INSTITUTION_MEMBER:
        raise NotAllowed(_("Only institution accounts can join an organisation."))
    if user.email.lower() != email:
        raise NotAllowed(
            _("This invitation was sent to %(email)s. Log in with that address.", email=email)
        )
    membership = get_membership(user.id)
    if membership is not None:
        if membership.institution_id == institution.id:
            return membership
        raise AlreadyMember(_("You already belong to another organisation."))
    membership = InstitutionMembership(
        institution_id=institution.id, user_id=user.id, is_admin=False
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def remove_member(membership: InstitutionMembership, *, removed_by: User) -> None:
    """Remove a member from their institution; the last admin cannot be removed."""
    if membership.is_admin:
        admins = _admins(membership.institution)
        if len(admins) <= 1:
            raise DomainError(_("An organisation keeps at least one admin."))
    if membership.user_id == removed_by.id:
        raise DomainError(_("You cannot remove yourself."))
    db.session.delete(membership)
    db.session.flush()
