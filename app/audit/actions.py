"""The audit action names, and the category of personal data each one touches.

Colleagues call `record_audit(actions.PROFILE_CONTACT_VIEWED, target=profile, subject=user)`.
The categories feed `flask privacy breach-report`; see docs/architecture.md, "Audit log".
"""

from __future__ import annotations

# Accounts and access (app/auth, app/staff)
STAFF_ACCOUNT_CREATED = "staff.account_created"
USER_ROLE_CHANGED = "user.role_changed"
USER_DISABLED = "user.disabled"
USER_ENABLED = "user.enabled"
TWO_FACTOR_ENABLED = "2fa.enabled"
TWO_FACTOR_DISABLED = "2fa.disabled"
TWO_FACTOR_RESET = "2fa.reset"
TWO_FACTOR_RECOVERY_USED = "2fa.recovery_code_used"
TWO_FACTOR_CODES_REGENERATED = "2fa.recovery_codes_regenerated"
# Data-subject rights (app/privacy)
PRIVACY_EXPORT = "privacy.export_downloaded"
PRIVACY_ERASED = "privacy.account_erased"
# For the features being built: call record_audit with these names.
PROFILE_CONTACT_VIEWED = "profile.contact_viewed"
PROFILE_VIEWED = "profile.viewed"
CV_DOWNLOADED = "profile.cv_downloaded"
CSV_EXPORTED = "export.csv"
MESSAGE_SENT = "message.sent"
ORGANISATION_VERIFIED = "organisation.verified"
ORGANISATION_DIRECT_PUBLISHING = "organisation.direct_publishing"
OUTBOX_RESEND_FAILED = "outreach.resend_failed"
# Operations (CLI)
BREACH_REPORT = "privacy.breach_report"
DATABASE_BACKUP = "ops.database_backup"
DATABASE_RESTORE = "ops.database_restore"

# What kind of personal data of the subject each action exposed or changed.
ACTION_CATEGORIES: dict[str, str] = {
    USER_ROLE_CHANGED: "account",
    USER_DISABLED: "account",
    USER_ENABLED: "account",
    TWO_FACTOR_RESET: "account",
    PRIVACY_EXPORT: "all personal data (export)",
    PRIVACY_ERASED: "all personal data (erased)",
    PROFILE_CONTACT_VIEWED: "contact details",
    PROFILE_VIEWED: "profile",
    CV_DOWNLOADED: "CV",
    CSV_EXPORTED: "export (see details)",
    MESSAGE_SENT: "messages",
}

ALL_ACTIONS: tuple[str, ...] = (
    STAFF_ACCOUNT_CREATED,
    USER_ROLE_CHANGED,
    USER_DISABLED,
    USER_ENABLED,
    TWO_FACTOR_ENABLED,
    TWO_FACTOR_DISABLED,
    TWO_FACTOR_RESET,
    TWO_FACTOR_RECOVERY_USED,
    TWO_FACTOR_CODES_REGENERATED,
    PRIVACY_EXPORT,
    PRIVACY_ERASED,
    PROFILE_CONTACT_VIEWED,
    PROFILE_VIEWED,
    CV_DOWNLOADED,
    CSV_EXPORTED,
    MESSAGE_SENT,
    ORGANISATION_VERIFIED,
    ORGANISATION_DIRECT_PUBLISHING,
    OUTBOX_RESEND_FAILED,
    BREACH_REPORT,
    DATABASE_BACKUP,
    DATABASE_RESTORE,
)
