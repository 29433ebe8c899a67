"""The matcher's structured explanations in plain, translated words."""

from __future__ import annotations

from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from app.matching import Explanation, FilterCheck
from app.reference.languages import language_name
from app.reference.skills import label_for


def _names(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(items)


def _languages(codes: tuple[str, ...]) -> str:
    return ", ".join(language_name(c) for c in codes)


def _mode(code: str) -> str:
    labels = {
        "remote": _("remote"),
        "onsite": _("on site"),
        "both": _("remote or on site"),
        "hybrid": _("hybrid"),
        "any": _("any mode"),
    }
    return labels.get(code, code)


def skill_sentences(expl: Explanation) -> list[str]:
    """ "Covers 4 of 5 must-have skills; missing: hospital accreditation" and the like."""
    s = expl.summary()
    out: list[str] = []
    if s.must_total:
        text = ngettext(
            "Covers %(covered)s of %(num)s must-have skill",
            "Covers %(covered)s of %(num)s must-have skills",
            s.must_total,
            covered=s.must_covered,
        )
        if s.missing_must:
            text += "; " + _("missing: %(names)s", names=_names(s.missing_must))
        out.append(text)
    if s.nice_total:
        out.append(
            ngettext(
                "%(covered)s of %(num)s nice-to-have skill",
                "%(covered)s of %(num)s nice-to-have skills",
                s.nice_total,
                covered=s.nice_covered,
            )
        )
    if s.skills_from_text:
        out.append(_("No skills listed: matched on the profile text."))
    if s.unconfirmed_profile:
        out.append(_("Availability not confirmed recently: ranked slightly lower."))
    return out


def matched_pairs(expl: Explanation) -> list[str]:
    """Matched skill pairs: "paediatric nursing ≈ pediatric nurse (0.83)".

    Both skills are named in the viewer's language where the taxonomy has a label, so a French
    profile's "comptabilité" reads "financial accounting" to an English-speaking institution.
    """
    locale = str(get_locale() or "en")
    return [
        _(
            "%(need)s ≈ %(candidate)s (%(similarity)s)",
            need=label_for(m.need_skill, locale),
            candidate=label_for(m.candidate_skill, locale) if m.candidate_skill else "",
            similarity=format_decimal(m.similarity, format="0.00"),
        )
        for m in expl.covered
    ]


def strongest_part(expl: Explanation) -> str | None:
    """Which signal weighed most in the score."""
    labels = {
        "dense": _("Strongest signal: the profile describes similar work."),
        "skills": _("Strongest signal: the listed skills."),
        "lexical": _("Strongest signal: the same key terms."),
    }
    part = expl.summary().strongest_part
    return labels.get(part) if part else None


def filter_sentence(check: FilterCheck) -> str:
    """One hard filter's outcome as a sentence."""
    if check.name == "consent":
        return (
            _("Agreed to be matched with institutions.")
            if check.passed
            else _("Has not agreed to be matched with institutions.")
        )
    if check.name == "mode":
        need = _mode(check.need_value[0]) if check.need_value else ""
        mine = _mode(check.candidate_value[0]) if check.candidate_value else ""
        if check.passed:
            return _("Works %(mode)s.", mode=mine)
        return _("Works %(mode)s; the need is %(need)s.", mode=mine, need=need)
    if check.name == "availability":
        if not check.candidate_value:
            return _("No dates given: treated as available.")
        if check.passed:
            return _("Available during the need's dates.")
        return _("Not available during the need's dates.")
    if check.name == "languages":
        if not check.need_value:
            return _("No language required.")
        if check.passed:
            return _("Speaks %(languages)s.", languages=_languages(check.need_value))
        return _("Missing language: %(languages)s.", languages=_languages(check.missing))
    return check.name


def explanation_words(expl: Explanation) -> dict[str, list[str]]:
    """Everything the candidate row says about why it ranks where it does."""
    strongest = strongest_part(expl)
    return {
        "skills": skill_sentences(expl),
        "pairs": matched_pairs(expl),
        "filters": [filter_sentence(c) for c in expl.filters if c.name != "consent"],
        "strongest": [strongest] if strongest else [],
    }
