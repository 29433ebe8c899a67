"""Curated skills vocabulary: normalisation, near-duplicate recognition, autocomplete, CV scan.

Each skill is a concept with an English preferred label (its canonical name, what profiles
store), English synonyms, French labels and the Kinyarwanda words members type for it
(app/reference/data/skill_concepts.csv, built by scripts/build_skill_concepts.py). A French or
Kinyarwanda label denotes the same skill as the English one: `canonical_for("gestion de
projet")` is "project management", and `label_for` names a skill in the viewer's language.

Behind the curated concepts sits ESCO's skills taxonomy (app/reference/data/esco_skill_labels.csv,
English and French labels of every ESCO skill, built by the same script from ESCO's files; ©
European Union, see ESCO_NOTICE.txt). It is loaded lazily, the first time a text is not a curated
label: "gérer un budget" and "manage budgets" are then one concept too. Curated concepts win any
label they share with ESCO, and ESCO skills that coincide with a curated concept carry its id.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

_DATA_PACKAGE = "app.reference.data"
_CSV_NAME = "skill_concepts.csv"
_ESCO_CSV_NAME = "esco_skill_labels.csv"
# ESCO labels offered after the curated suggestions: a few, or obscure labels flood the list.
ESCO_SUGGEST_CAP = 5
# Languages a concept may carry labels in; English labels are the canonical names.
LABEL_LANGUAGES = ("en", "fr", "rw")

# Symbols that would vanish with the punctuation but carry meaning; spelled in capitals so
# the case-sensitive acronym scan of find_in_text still sees them.
_SYMBOLS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"c\+\+", re.IGNORECASE), " CPP "),
    (re.compile(r"c#", re.IGNORECASE), " CSHARP "),
    (re.compile(r"(?<![\w])\.net\b", re.IGNORECASE), " DOTNET "),
    (re.compile(r"&"), " and "),
)
_NON_WORD = re.compile(r"[^\w]+|_")
_SPACES = re.compile(r"\s+")

# British → American at word level; both spellings are common among members and must meet.
_SPELLING_PREFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bpaed", re.IGNORECASE), "ped"),
    (re.compile(r"\bhaem", re.IGNORECASE), "hem"),
    (re.compile(r"\banaes", re.IGNORECASE), "anes"),
    (re.compile(r"\boesoph", re.IGNORECASE), "esoph"),
    (re.compile(r"\bfaec", re.IGNORECASE), "fec"),
    (re.compile(r"gynaec", re.IGNORECASE), "gynec"),
    (re.compile(r"orthopaed", re.IGNORECASE), "orthoped"),
    (re.compile(r"\bgemmolog", re.IGNORECASE), "gemolog"),
    (re.compile(r"(?<=\w)isation", re.IGNORECASE), "ization"),
    (re.compile(r"(?<=\w)ysing\b", re.IGNORECASE), "yzing"),
    (re.compile(r"(?<=\w)yse\b", re.IGNORECASE), "yze"),
)
# A substring each rule above needs in the casefolded text (so absent ones are skipped).
_SYMBOL_NEEDLES = ("+", "#", ".net", "&")
_SPELLING_NEEDLES = (
    "paed",
    "haem",
    "anaes",
    "oesoph",
    "faec",
    "gynaec",
    "orthopaed",
    "gemmolog",
    "isation",
    "ysing",
    "yse",
)
_SPELLING_WORDS: dict[str, str] = {
    "modelling": "modeling",
    "modelled": "modeled",
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "labour": "labor",
    "behaviour": "behavior",
    "colour": "color",
    "fibre": "fiber",
    "litre": "liter",
    "metre": "meter",
    "theatre": "theater",
    "licence": "license",
    "defence": "defense",
    "catalogue": "catalog",
    "counselling": "counseling",
    "travelling": "traveling",
    "artefacts": "artifacts",
    "artefact": "artifact",
    "optimise": "optimize",
    "optimising": "optimizing",
    "organise": "organize",
    "organising": "organizing",
    "mobilise": "mobilize",
    "digitise": "digitize",
    "centred": "centered",
    "maths": "math",
    "mathematics": "math",
}
_WORD = re.compile(r"\w+")

# Fuzzy matches below this rapidfuzz ratio are rejected: typos pass, different skills do not.
FUZZY_THRESHOLD = 90.0
# A fuzzy winner this close to a different skill is ambiguous, so we would rather say nothing.
_AMBIGUITY_MARGIN = 2.0
_MIN_FUZZY_LENGTH = 5


def _clean(text: str) -> str:
    """Return text with symbols spelled out, punctuation as spaces and US spelling (case kept)."""
    # Each rule runs only when its letters occur: ~30,000 ESCO labels are cleaned at load.
    folded = text.casefold()
    for (pattern, repl), needle in zip(_SYMBOLS, _SYMBOL_NEEDLES, strict=True):
        if needle in folded:
            text = pattern.sub(repl, text)
    text = _NON_WORD.sub(" ", text)
    folded = text.casefold()
    for (pattern, repl), needle in zip(_SPELLING_PREFIXES, _SPELLING_NEEDLES, strict=True):
        if needle in folded:
            text = pattern.sub(repl, text)
    text = _WORD.sub(lambda m: _SPELLING_WORDS.get(m.group(0).casefold(), m.group(0)), text)
    return _SPACES.sub(" ", text).strip()


def normalise_skill(text: str) -> str:
    """Return the comparison key of a skill: casefolded, punctuation-free, US spelling."""
    return _clean(text).casefold()


@dataclass(frozen=True, slots=True)
class Skill:
    """One vocabulary entry: canonical name, sector slug (or 'cross_cutting') and synonyms.

    `french` holds French labels (first = preferred), `kinyarwanda` the words members type;
    both denote this skill like the English synonyms do.
    """

    canonical: str
    sector: str
    synonyms: tuple[str, ...]
    french: tuple[str, ...] = ()
    kinyarwanda: tuple[str, ...] = ()
    concept_id: str = ""

    def label(self, language: str | None) -> str:
        """Preferred label in a language ("fr" or "en"; Kinyarwanda words are not labels)."""
        if language and language.lower().startswith("fr") and self.french:
            return self.french[0]
        return self.canonical

    def all_terms(self) -> tuple[str, ...]:
        """Every label and synonym in every language, canonical first."""
        return (self.canonical, *self.synonyms, *self.french, *self.kinyarwanda)


@dataclass(frozen=True, slots=True)
class EscoSkill:
    """One ESCO skill: its id (URI tail), the curated concept it coincides with ("" if none)
    and its English and French labels (first = preferred)."""

    esco_id: str
    concept_id: str
    english: tuple[str, ...]
    french: tuple[str, ...]

    @property
    def name(self) -> str:
        """The name a profile stores: the English preferred label (French if none)."""
        return (self.english or self.french or (self.esco_id,))[0]

    def label(self, language: str | None) -> str:
        """Preferred label in a language ("fr" or "en")."""
        if language and language.lower().startswith("fr") and self.french:
            return self.french[0]
        return self.name


class _EscoIndex:
    """ESCO labels by comparison key, for the keys the curated concepts do not own.

    A preferred label beats an alternative one; a key two ESCO skills claim at the same rank
    names neither (it cannot tell which skill was meant).
    """

    def __init__(self, skills: Iterable[EscoSkill], curated: dict[str, str]) -> None:
        self.skills: tuple[EscoSkill, ...] = tuple(skills)
        rank: dict[str, int] = {}
        owner: dict[str, EscoSkill | None] = {}
        for skill in self.skills:
            prefs = {
                skill.english[0] if skill.english else "",
                skill.french[0] if skill.french else "",
            }
            for term in (*skill.english, *skill.french):
                r = 0 if term in prefs else 1
                key0 = normalise_skill(term)
                # Accents stripped from the key itself: one normalisation per label, not two.
                for key in dict.fromkeys((key0, _strip_accents(key0))):
                    if not key or key in curated:
                        continue
                    known = rank.get(key)
                    if known is None or r < known:
                        rank[key], owner[key] = r, skill
                    elif r == known and owner[key] is not skill:
                        owner[key] = None
        self.by_key: dict[str, EscoSkill] = {k: v for k, v in owner.items() if v is not None}
        self.by_name: dict[str, EscoSkill] = {}
        for skill in self.skills:
            self.by_name.setdefault(skill.name, skill)
        self.max_words = max((len(k.split()) for k in self.by_key), default=1)


class SkillVocabulary:
    """Immutable skills vocabulary with lookup, autocomplete and free-text scanning."""

    def __init__(
        self,
        skills: Iterable[Skill],
        esco: Callable[[], Iterable[EscoSkill]] | None = None,
    ) -> None:
        """Index skills by normalised canonical name and synonyms; reject ambiguous synonyms.

        `esco` loads the ESCO layer when first needed (None: curated concepts only).
        """
        self.skills: tuple[Skill, ...] = tuple(skills)
        self._esco_loader = esco
        self._by_canonical: dict[str, Skill] = {}
        self._key_to_canonical: dict[str, str] = {}
        for skill in self.skills:
            if skill.canonical in self._by_canonical:
                raise ValueError(f"duplicate canonical skill {skill.canonical!r}")
            self._by_canonical[skill.canonical] = skill
        for skill in self.skills:
            for term in skill.all_terms():
                # French labels are also reachable typed without accents ("comptabilite").
                for key in dict.fromkeys((normalise_skill(term), _unaccented(term))):
                    other = self._key_to_canonical.get(key)
                    if other is not None and other != skill.canonical:
                        raise ValueError(f"{term!r} maps to both {other!r} and {skill.canonical!r}")
                    self._key_to_canonical[key] = skill.canonical
        self._keys: list[str] = list(self._key_to_canonical)
        self._canonical_keys: dict[str, str] = {
            s.canonical: normalise_skill(s.canonical) for s in self.skills
        }
        self._max_words = max((len(k.split()) for k in self._keys), default=1)
        self._by_curated_id: dict[str, Skill] = {
            s.concept_id: s for s in self.skills if s.concept_id
        }

    @cached_property
    def _esco(self) -> _EscoIndex:
        """The ESCO layer, built on first use (a few hundred ms; most pages never need it)."""
        loaded = self._esco_loader() if self._esco_loader is not None else ()
        return _EscoIndex(loaded, self._key_to_canonical)

    def esco_skill(self, text: str) -> EscoSkill | None:
        """The ESCO skill a text names exactly (English or French label, accents optional)."""
        key = normalise_skill(text)
        if not key or self._esco_loader is None:
            return None
        return self._esco.by_key.get(key) or self._esco.by_name.get(text)

    def _esco_canonical(self, skill: EscoSkill) -> str:
        """Stored name of an ESCO skill: its curated concept's canonical name when linked."""
        curated = self._by_curated_id.get(skill.concept_id) if skill.concept_id else None
        return curated.canonical if curated is not None else skill.name

    def __len__(self) -> int:
        """Return the number of canonical skills."""
        return len(self.skills)

    def __contains__(self, canonical: object) -> bool:
        """Return True if canonical is a stored skill name: curated canonical or ESCO name."""
        if canonical in self._by_canonical:
            return True
        return self._esco_loader is not None and canonical in self._esco.by_name

    @property
    def canonicals(self) -> list[str]:
        """Return all canonical skill names in file order."""
        return [s.canonical for s in self.skills]

    def by_sector(self, sector: str) -> list[str]:
        """Return the canonical skills of a sector slug (or 'cross_cutting')."""
        return [s.canonical for s in self.skills if s.sector == sector]

    def sector_of(self, canonical: str) -> str | None:
        """Return the sector slug of a canonical skill, or None if unknown."""
        skill = self._by_canonical.get(canonical)
        return skill.sector if skill else None

    def get(self, canonical: str) -> Skill | None:
        """Return the Skill entry of a canonical name."""
        return self._by_canonical.get(canonical)

    def label_for(self, name: str, language: str | None) -> str:
        """The name of a skill in a language where a label exists, else `name` unchanged.

        "gestion de projet" reads "project management" for an English viewer, and the other
        way round; a name outside the vocabulary is returned as written.
        """
        canonical = self.canonical_for(name)
        skill: Skill | EscoSkill | None = self._by_canonical.get(canonical) if canonical else None
        if skill is None and canonical:
            skill = self.esco_skill(canonical)
        if skill is None:
            return name
        if language and language.lower().startswith(("fr", "en")):
            return skill.label(language)
        return name

    def concept_id_for(self, text: str) -> str | None:
        """The concept id of the skill that text denotes (any language), else None."""
        canonical = self.canonical_for(text)
        skill = self._by_canonical.get(canonical) if canonical else None
        if skill is not None:
            return skill.concept_id or canonical
        esco = self.esco_skill(text) or (self.esco_skill(canonical) if canonical else None)
        return (esco.concept_id or esco.esco_id) if esco is not None else None

    def concept_terms(self) -> list[tuple[str, str]]:
        """(term, concept id) for every label and synonym in every language, curated concepts
        first, then every unambiguous ESCO label (an ESCO skill's id is its URI tail)."""
        pairs = [(t, s.concept_id or s.canonical) for s in self.skills for t in s.all_terms()]
        if self._esco_loader is not None:
            pairs.extend((k, e.concept_id or e.esco_id) for k, e in self._esco.by_key.items())
        return pairs

    def concept_pivots(self) -> dict[str, str]:
        """French and Kinyarwanda label -> its concept's English preferred label (curated names
        first, then ESCO's); a term that is also an English label of some concept is left out."""
        english = {normalise_skill(t) for s in self.skills for t in (s.canonical, *s.synonyms)}
        if self._esco_loader is not None:
            english.update(normalise_skill(t) for e in self._esco.skills for t in e.english)
        pivots: dict[str, str] = {}
        for s in self.skills:
            for term in (*s.french, *s.kinyarwanda):
                if normalise_skill(term) not in english:
                    pivots.setdefault(term, s.canonical)
        if self._esco_loader is not None:
            for e in self._esco.skills:
                for term in e.french:
                    if normalise_skill(term) not in english:
                        pivots.setdefault(term, e.name)
        return pivots

    def canonical_for(self, text: str) -> str | None:
        """Return the canonical skill that text denotes (synonym or near-duplicate), else None."""
        key = normalise_skill(text)
        if not key:
            return None
        exact = self._key_to_canonical.get(key)
        if exact is not None:
            return exact
        esco = self.esco_skill(text)
        if esco is not None:
            return self._esco_canonical(esco)
        if len(key) < _MIN_FUZZY_LENGTH:
            return None
        hits = process.extract(
            key, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5
        )
        if not hits:
            return None
        best_key, best_score, _ = hits[0]
        best = self._key_to_canonical[best_key]
        for other_key, score, _ in hits[1:]:
            other = self._key_to_canonical[other_key]
            if other != best and best_score - score < _AMBIGUITY_MARGIN:
                return None
        return best

    def suggest(
        self,
        prefix_or_text: str,
        limit: int = 10,
        extra_terms: Iterable[str] = (),
        language: str | None = None,
    ) -> list[str]:
        """Return up to limit skills for autocomplete: prefix matches first, then fuzzy ones.

        A query in any language finds a skill (its French label, Kinyarwanda word or English
        synonym); skills are shown by their label in `language` ("fr": French where one
        exists; otherwise English canonical names). Members' own terms are shown as written.
        """
        found = self._suggest(prefix_or_text, limit, extra_terms)
        french = bool(language and language.lower().startswith("fr"))
        out: list[str] = []
        for display in found:
            skill = self._by_canonical.get(display)
            shown = skill.label(language) if skill is not None and french else display
            if shown not in out:
                out.append(shown)
        if len(out) < limit:
            for esco in self._esco_prefixed(
                prefix_or_text, min(limit - len(out), ESCO_SUGGEST_CAP)
            ):
                shown = esco.label(language)
                if shown not in out and self.canonical_for(shown) not in found:
                    out.append(shown)
        return out[:limit]

    def _esco_prefixed(self, text: str, limit: int) -> list[EscoSkill]:
        """ESCO skills with a label starting with text (3+ characters), shortest label first."""
        query = normalise_skill(text)
        if len(query) < 3 or limit <= 0 or self._esco_loader is None:
            return []
        hits = sorted((len(k), k) for k in self._esco.by_key if k.startswith(query))
        out: list[EscoSkill] = []
        for _n, key in hits:
            skill = self._esco.by_key[key]
            if skill not in out:
                out.append(skill)
            if len(out) >= limit:
                break
        return out

    def _suggest(self, prefix_or_text: str, limit: int, extra_terms: Iterable[str]) -> list[str]:
        query = normalise_skill(prefix_or_text)
        if not query or limit <= 0:
            return []
        # Candidates: display term → comparison key; extra terms are members' own skills.
        candidates: dict[str, str] = dict(self._canonical_keys)
        for term in extra_terms:
            display = " ".join(term.split()).lower()
            if display and display not in candidates:
                candidates[display] = normalise_skill(display)
        q_words = query.split()
        starts: list[str] = []
        word_starts: list[str] = []
        for display, key in candidates.items():
            if key.startswith(query):
                starts.append(display)
            elif _words_prefixed(q_words, key.split()):
                word_starts.append(display)
        # Synonym prefixes ("ml", "pediatric nurse") promote their canonical skill too.
        for key, canonical in self._key_to_canonical.items():
            if (
                key.startswith(query)
                and key != self._canonical_keys[canonical]
                and canonical not in starts
            ):
                word_starts.append(canonical)
        out: list[str] = []
        for group in (sorted(starts, key=_rank), sorted(word_starts, key=_rank)):
            for display in group:
                if display not in out:
                    out.append(display)
                if len(out) >= limit:
                    return out
        if len(query) >= 3:
            fuzzy = process.extract(
                query,
                candidates,
                scorer=fuzz.WRatio,
                score_cutoff=75,
                limit=limit * 2,
            )
            for _key, _score, display in fuzzy:
                if display not in out:
                    out.append(display)
                if len(out) >= limit:
                    break
        return out[:limit]

    def find_in_text(self, text: str, *, esco: bool = False) -> list[str]:
        """Return canonical skills mentioned in free text (e.g. a CV), in order of appearance.

        Word n-grams of the text are looked up in the label table (longest first, leftmost
        first), so the cost is per word of text, not per label. Labels of up to three
        letters count only in capitals ("ML", "GIS"; "it" is a word), of four or five only
        capitalised ("Java", "Excel"; "excel at" is not a skill). With `esco`, ESCO's labels
        (multi-word ones only: single ESCO words such as "English" are too often not skills)
        are spotted too, named by their stored name.
        """
        words = _clean(text).split()
        folded = [w.casefold() for w in words]
        esco_keys = self._esco.by_key if esco and self._esco_loader is not None else {}
        longest = max(self._max_words, self._esco.max_words if esco_keys else 1)
        out: list[str] = []
        i, n = 0, len(words)
        while i < n:
            for size in range(min(longest, n - i), 0, -1):
                key = " ".join(folded[i : i + size])
                canonical = self._key_to_canonical.get(key)
                if canonical is not None and size == 1 and len(key) <= 5:
                    word = words[i]
                    ok = word.isupper() or (len(key) > 3 and word == word.capitalize())
                    canonical = canonical if ok else None
                if canonical is None and size > 1:
                    hit = esco_keys.get(key)
                    canonical = self._esco_canonical(hit) if hit is not None else None
                if canonical is not None:
                    if canonical not in out:
                        out.append(canonical)
                    i += size
                    break
            else:
                i += 1
        return out


def _words_prefixed(query_words: list[str], words: list[str]) -> bool:
    """Return True if every query word prefixes a distinct word of the term."""
    remaining = list(words)
    for qw in query_words:
        for i, w in enumerate(remaining):
            if w.startswith(qw):
                del remaining[i]
                break
        else:
            return False
    return True


def _rank(display: str) -> tuple[int, str]:
    """Sort shorter, then alphabetical, suggestions first."""
    return (len(display), display)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _unaccented(text: str) -> str:
    """Comparison key of text without its accents ("comptabilité" -> "comptabilite")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return normalise_skill("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _pipe_list(value: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (value or "").split("|") if s.strip())


def load_skills_csv(text: str) -> list[Skill]:
    """Parse a skills CSV: the concepts file (concept_id, sector, en_label, en_alt_labels,
    fr_labels, rw_labels) or the older English-only one (canonical, sector, synonyms)."""
    rows = csv.DictReader(text.splitlines())
    skills: list[Skill] = []
    for row in rows:
        canonical = (row.get("en_label") or row.get("canonical") or "").strip()
        if not canonical:
            continue
        skills.append(
            Skill(
                canonical=canonical,
                sector=row["sector"].strip(),
                synonyms=_pipe_list(row.get("en_alt_labels") or row.get("synonyms")),
                french=_pipe_list(row.get("fr_labels")),
                kinyarwanda=_pipe_list(row.get("rw_labels")),
                concept_id=(row.get("concept_id") or "").strip(),
            )
        )
    return skills


def load_esco_csv(text: str) -> list[EscoSkill]:
    """Parse esco_skill_labels.csv (esco_id, concept_id, en_label, en_alt_labels, fr_label,
    fr_alt_labels; lists "|"-separated)."""
    out: list[EscoSkill] = []
    for row in csv.DictReader(text.splitlines()):
        english = tuple(
            dict.fromkeys((*_pipe_list(row["en_label"]), *_pipe_list(row["en_alt_labels"])))
        )
        french = tuple(
            dict.fromkeys((*_pipe_list(row["fr_label"]), *_pipe_list(row["fr_alt_labels"])))
        )
        if english or french:
            out.append(EscoSkill(row["esco_id"], row["concept_id"], english, french))
    return out


def _load_esco() -> list[EscoSkill]:
    return load_esco_csv(resources.files(_DATA_PACKAGE).joinpath(_ESCO_CSV_NAME).read_text("utf-8"))


@lru_cache(maxsize=1)
def get_vocabulary() -> SkillVocabulary:
    """Return the shared vocabulary loaded once from app/reference/data/skill_concepts.csv,
    with the ESCO layer loaded on first use."""
    text = resources.files(_DATA_PACKAGE).joinpath(_CSV_NAME).read_text("utf-8")
    return SkillVocabulary(load_skills_csv(text), esco=_load_esco)


def canonical_for(text: str) -> str | None:
    """Return the canonical skill for text using the shared vocabulary."""
    return get_vocabulary().canonical_for(text)


def suggest(
    prefix_or_text: str,
    limit: int = 10,
    extra_terms: Iterable[str] = (),
    language: str | None = None,
) -> list[str]:
    """Return autocomplete suggestions from the shared vocabulary, labelled in `language`."""
    return get_vocabulary().suggest(
        prefix_or_text, limit=limit, extra_terms=extra_terms, language=language
    )


def label_for(name: str, language: str | None) -> str:
    """Name a skill in the viewer's language where a label exists (else as written)."""
    return get_vocabulary().label_for(name, language)


def concept_id_for(text: str) -> str | None:
    """The taxonomy concept id that text denotes, in any language, else None."""
    return get_vocabulary().concept_id_for(text)


def concept_terms() -> list[tuple[str, str]]:
    """(term, concept id) pairs of every label in every language (the matcher's lexicon)."""
    return get_vocabulary().concept_terms()


def concept_pivots() -> dict[str, str]:
    """French/Kinyarwanda label -> English preferred label (the text the matcher embeds)."""
    return get_vocabulary().concept_pivots()


def find_in_text(text: str, *, esco: bool = False) -> list[str]:
    """Return canonical skills mentioned in text using the shared vocabulary (and ESCO's
    multi-word labels with `esco`)."""
    return get_vocabulary().find_in_text(text, esco=esco)


def sector_of(canonical: str) -> str | None:
    """Return the sector slug of a canonical skill using the shared vocabulary."""
    return get_vocabulary().sector_of(canonical)
