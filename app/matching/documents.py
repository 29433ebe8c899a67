"""Immutable candidate/need documents and the exact texts the matcher embeds."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

Level = Literal["beginner", "intermediate", "advanced", "expert"]
CandidateMode = Literal["remote", "onsite", "both"]
NeedMode = Literal["remote", "onsite", "hybrid", "any"]
Importance = Literal["must", "nice"]

LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced", "expert")
CANDIDATE_MODES: tuple[str, ...] = ("remote", "onsite", "both")
NEED_MODES: tuple[str, ...] = ("remote", "onsite", "hybrid", "any")

# Bumped whenever the embedded texts are built differently, so stored vectors keyed by
# content hash are invalidated instead of silently mixing two text layouts.
# v2: the model's texts keep their accents (the multilingual model reads "évaluer", not
# "evaluer"); the lexical part still compares accent-free words.
# v3: a skill phrase that is a whole French/Kinyarwanda taxonomy label is embedded by its
# concept's English label (ConceptLexicon.pivot); the worker's re-embedding of every document
# stores those phrase vectors, which requests (never encoding) then find in the phrase cache.
TEXT_LAYOUT_VERSION = "umuhuza-matching-v3"

# British/American and other spelling variants folded before embedding and lexical
# matching: MiniLM's WordPiece splits "paediatric" and "pediatric" differently, and
# TF-IDF treats them as unrelated tokens.
_SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    (r"\bpaediatric", "pediatric"),
    (r"\bpaediatr", "pediatr"),
    (r"\borthopaedic", "orthopedic"),
    (r"\bhaemat", "hemat"),
    (r"\bhaemo", "hemo"),
    (r"\banaesthe", "anesthe"),
    (r"\bgynaecolog", "gynecolog"),
    (r"\boesophag", "esophag"),
    (r"\boestrogen", "estrogen"),
    (r"\bfoetal", "fetal"),
    (r"\bfoetus", "fetus"),
    (r"\bleukaemia", "leukemia"),
    (r"\bdiarrhoea", "diarrhea"),
    (r"\bcentre(s?)\b", r"center\1"),
    (r"\bprogramme(s?)\b", r"program\1"),
    (r"\blabour", "labor"),
    (r"\bcolour", "color"),
    (r"\bbehaviour", "behavior"),
    (r"\bfavour", "favor"),
    (r"\bdefence\b", "defense"),
    (r"\blicence\b", "license"),
    (r"\bcatalogue", "catalog"),
    (r"\bmodelling\b", "modeling"),
    (r"\btravelling\b", "traveling"),
    (r"\bcounselling\b", "counseling"),
    (r"\banalys(e|ed|es|ing)\b", r"analyz\1"),
    (r"([a-z]{3,})is(e|ed|es|ing|ation|ations|er|ers)\b", r"\1iz\2"),
)
_VARIANT_RES = tuple((re.compile(p), r) for p, r in _SPELLING_VARIANTS)
# -ise words that must not become -ize (the generic rule above would break them).
_ISE_KEEP = frozenset(
    [
        "advise",
        "advised",
        "advises",
        "advising",
        "adviser",
        "advisers",
        "supervise",
        "supervised",
        "supervises",
        "supervising",
        "supervisor",
        "exercise",
        "exercised",
        "exercises",
        "exercising",
        "expertise",
        "franchise",
        "merchandise",
        "merchandising",
        "merchandiser",
        "enterprise",
        "enterprises",
        "promise",
        "promised",
        "promises",
        "promising",
        "comprise",
        "comprised",
        "comprises",
        "comprising",
        "compromise",
        "compromised",
        "surprise",
        "surprised",
        "premise",
        "premises",
        "improvise",
        "improvised",
        "improvising",
        "devise",
        "devised",
        "revise",
        "revised",
        "revises",
        "revising",
        "televise",
        "televised",
        "disguise",
        "raise",
        "raised",
        "raises",
        "raising",
        "praise",
        "praised",
        "wise",
        "otherwise",
        "noise",
        "noises",
        "poise",
        "cruise",
        "cruises",
        "precise",
        "concise",
        "excise",
        "excised",
        "incise",
        "rise",
        "rises",
        "rising",
        "arise",
        "arises",
        "arising",
        "chemise",
        "treatise",
        "anise",
    ]
)
_PUNCT_RE = re.compile(r"[^\w+#]+", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


@functools.lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    """Return the American/ize spelling of one lowercase word (unchanged if not a variant)."""
    if word in _ISE_KEEP:
        return word
    for pattern, repl in _VARIANT_RES:
        word = pattern.sub(repl, word)
    return word


@functools.lru_cache(maxsize=100_000)
def normalize_text(text: str) -> str:
    """Lowercase, strip accents, fold punctuation/whitespace and spelling variants."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    # Keep + and # so "c++" and "c#" survive as distinct skills.
    text = _PUNCT_RE.sub(" ", text)
    words = _SPACE_RE.sub(" ", text).strip().split(" ")
    return " ".join(_fold_word(w) for w in words if w)


@functools.lru_cache(maxsize=100_000)
def normalize_model_text(text: str) -> str:
    """What the sentence model reads: like normalize_text, but accents kept (NFC).

    A multilingual model tokenises and embeds "expérience" or "génie" as French words; with the
    accents stripped they become rarer sub-word pieces and land further from their English
    equivalents (cands-fr dense nDCG@10 0.774 -> 0.784 with accents kept, needs-fr 0.709 ->
    0.722, use-multilingual-v3).
    """
    text = unicodedata.normalize("NFC", text).lower()
    text = _PUNCT_RE.sub(" ", text)
    words = _SPACE_RE.sub(" ", text).strip().split(" ")
    return " ".join(_fold_word(w) for w in words if w)


def normalize_phrase(phrase: str) -> str:
    """Canonical form of a skill phrase used as its cache/vocabulary key (accents kept)."""
    return normalize_model_text(phrase)


def _clean(text: str | None) -> str:
    """Collapse whitespace of free text (kept readable for the sentence model)."""
    return _SPACE_RE.sub(" ", text or "").strip()


def _sha256(payload: object) -> str:
    """sha256 hex over a canonical JSON encoding of payload."""
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CandidateSkill:
    """One declared skill of a candidate, with optional level and years of practice."""

    name: str
    level: str | None = None
    years: float | None = None


@dataclass(frozen=True, slots=True)
class RequiredSkill:
    """One skill asked for by a need; importance is "must" or "nice"."""

    name: str
    importance: str = "must"


@dataclass(frozen=True, slots=True)
class CandidateDocument:
    """Everything the matcher knows about a candidate (no personal contact data)."""

    id: str
    headline: str = ""
    summary: str = ""
    skills: tuple[CandidateSkill, ...] = ()
    languages: tuple[str, ...] = ()
    mode: str = "both"
    availability: tuple[tuple[date, date | None], ...] = ()
    sectors: tuple[str, ...] = ()
    has_matching_consent: bool = True
    is_confirmed: bool = True
    gender: str | None = None
    country: str | None = None

    def views(self) -> tuple[str, ...]:
        """Texts embedded as document vectors: (headline, summary)."""
        return candidate_views(self)

    def phrases(self) -> tuple[str, ...]:
        """Normalised skill phrases (or text chunks when no skills) matched to need skills."""
        return candidate_phrases(self)

    def content_hash(self) -> str:
        """Stable sha256 over exactly the texts embedded for this candidate."""
        return _sha256([TEXT_LAYOUT_VERSION, "candidate", list(self.views()), list(self.phrases())])


@dataclass(frozen=True, slots=True)
class NeedDocument:
    """A placement posted by an institution."""

    id: str
    title: str = ""
    description: str = ""
    required_skills: tuple[RequiredSkill, ...] = ()
    languages: tuple[str, ...] = ()
    mode: str = "any"
    start: date | None = None
    end: date | None = None
    sector: str | None = None
    # "all": a candidate must speak every listed language; "any": one of them is enough.
    language_mode: str = "all"

    def views(self) -> tuple[str, ...]:
        """Texts embedded as document vectors: (title, description)."""
        return need_views(self)

    def phrases(self) -> tuple[str, ...]:
        """Normalised required-skill phrases, in required_skills order."""
        return tuple(normalize_phrase(s.name) for s in self.required_skills)

    def content_hash(self) -> str:
        """Stable sha256 over exactly the texts embedded for this need."""
        return _sha256([TEXT_LAYOUT_VERSION, "need", list(self.views()), list(self.phrases())])


def _join_skills(names: list[str]) -> str:
    return "; ".join(n for n in names if n)


def candidate_views(doc: CandidateDocument) -> tuple[str, ...]:
    """(headline, summary) texts of a candidate, normalised; each is embedded on its own."""
    return (
        normalize_model_text(_clean(doc.headline)),
        normalize_model_text(_clean(doc.summary)),
    )


def need_views(doc: NeedDocument) -> tuple[str, ...]:
    """(title, description) texts of a need, normalised; each is embedded on its own."""
    return (normalize_model_text(_clean(doc.title)), normalize_model_text(_clean(doc.description)))


def candidate_lexical_text(doc: CandidateDocument) -> str:
    """Headline, skills and summary as one accent-free text for the lexical part."""
    skills = _join_skills([normalize_text(s.name) for s in doc.skills])
    head, summary = normalize_text(_clean(doc.headline)), normalize_text(_clean(doc.summary))
    return " . ".join(p for p in (head, skills, summary) if p)


def need_lexical_text(doc: NeedDocument) -> str:
    """Title, required skills and description as one accent-free text for the lexical part."""
    skills = _join_skills([normalize_text(s.name) for s in doc.required_skills])
    title, desc = normalize_text(_clean(doc.title)), normalize_text(_clean(doc.description))
    return " . ".join(p for p in (title, skills, desc) if p)


_CHUNK_SPLIT_RE = re.compile(r"[.;:\n\u2022|]+|,\s")
_MAX_FALLBACK_CHUNKS = 40


def text_chunks(text: str, max_words: int = 12) -> tuple[str, ...]:
    """Split free text into short normalised chunks usable as pseudo skill phrases."""
    out: list[str] = []
    for part in _CHUNK_SPLIT_RE.split(text or ""):
        words = normalize_model_text(part).split()
        # Long sentences are windowed with overlap so a skill mentioned mid-sentence
        # still lands in a chunk short enough to embed sharply.
        step = max(1, max_words // 2)
        for i in range(0, max(1, len(words) - step), step):
            chunk = " ".join(words[i : i + max_words])
            if len(chunk) >= 3 and chunk not in out:
                out.append(chunk)
    return tuple(out[:_MAX_FALLBACK_CHUNKS])


def candidate_phrases(doc: CandidateDocument) -> tuple[str, ...]:
    """Skill phrases of a candidate; text chunks of headline/summary when it lists none."""
    phrases = tuple(dict.fromkeys(p for p in (normalize_phrase(s.name) for s in doc.skills) if p))
    if phrases:
        return phrases
    return text_chunks(f"{doc.headline}. {doc.summary}")
