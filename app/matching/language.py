"""Language-aware lexical analysis: a small language detector, French stop words and stemming,
and skill phrases mapped to taxonomy concept tokens so French and English mentions meet.

Pure functions over normalised text (``documents.normalize_text``: lowercase, accents
stripped); nothing here loads a model or reads a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from app.matching.documents import normalize_text

LANGUAGES = ("en", "fr", "rw")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words only (accents stripped, as in normalised text): they decide the language of
# a short profile and carry no skill meaning.
FRENCH_STOP_WORDS: frozenset[str] = _words(
    """a afin ai aie au aucun aupres aussi autre autres aux avant avec avoir c ca ce ceci cela
    celle celles celui ces cet cette chaque chez comme d dans de depuis des deja donc dont
    du elle elles en entre est et etaient etait ete etre eu fait faire il ils j je jusqu l
    la le les leur leurs lors lui m ma mais me meme mes moi mon n ne ni nos notre nous on
    ont ou par parmi pas pendant peu peut plus pour qu quand que quel quelle quelles quels
    qui s sa sans se selon ses si son sont sous sur ta te tes toi ton tous tout toute toutes
    tres tu un une vers vos votre vous y ans annee annees base basee experience"""
)
# Words that say "French" and are not English words (stop words shared with English, such as
# "a", "on", "en" or "ne", are left out of the vote).
_FRENCH_MARKERS: frozenset[str] = _words(
    """afin au aupres aux avec avoir ce ces cet cette chez dans de des du elle est et etre il
    ils la le les leur leurs lors mais nous ou par pour qu que qui sa sans ses son sont sur
    une vers vos votre vous ans annees basee gestion developpement conseil
    formation enseignement soins sante comptabilite"""
)
_ENGLISH_MARKERS: frozenset[str] = _words(
    """the and of to in for with on by an or from at as is are be this that these those years
    year experience based skills management development training teaching care health
    accounting"""
) - {"experience"}
# Kinyarwanda function words and frequent affixed forms; a profile rarely carries more than a
# few, so they only decide when French and English have no vote.
_KINYARWANDA_MARKERS: frozenset[str] = _words(
    """na mu muri ku kandi ni nka ariko cyangwa bya ya yo wa cya ry rya kwa mw imyaka ubumenyi
    uburambe akazi umwuga mu bijyanye"""
)
_STOP_WORDS: Mapping[str, frozenset[str]] = {
    "en": frozenset(ENGLISH_STOP_WORDS),
    "fr": FRENCH_STOP_WORDS,
    "rw": frozenset({"na", "mu", "muri", "ku", "kandi", "ni", "nka", "cyangwa", "bya", "ya"}),
}
_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
# French derivational endings that English words share rarely; a weak vote.
_FRENCH_ENDINGS = re.compile(r"(?:eur|euse|euses|eurs|aux|ique|iques|ees?|oire|ite)$")


def detect_language(text: str, fallback: str = "") -> str:
    """Return "en", "fr" or "rw" for a text by counting marker words, else `fallback`.

    Accented letters count for French (a French skill label without any function word,
    "comptabilité", is still French); the raw text is read before accents are stripped.
    """
    if not text or not text.strip():
        return fallback
    accents = len(_ACCENTED.findall(text))
    words = normalize_text(text).split()
    fr = sum(1 for w in words if w in _FRENCH_MARKERS) + 0.5 * accents
    en = sum(1 for w in words if w in _ENGLISH_MARKERS)
    rw = sum(1 for w in words if w in _KINYARWANDA_MARKERS)
    if fr == en == rw == 0:
        fr = 0.5 * sum(1 for w in words if len(w) > 4 and _FRENCH_ENDINGS.search(w))
        if fr == 0:
            return fallback
    best = max((en, "en"), (fr, "fr"), (rw, "rw"))
    return best[1] if best[0] > 0 else fallback


# Light French stemmer (after Savoy's "light" stemmer): inflection and the commonest
# derivational endings, so "gestionnaires"/"gestion", "comptable"/"comptables" meet. Words are
# accent-free here. Longest suffix first; the stem keeps at least four letters.
_FR_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("issements", "iss"),
    ("issement", "iss"),
    ("atrices", "at"),
    ("atrice", "at"),
    ("ateurs", "at"),
    ("ateur", "at"),
    ("ations", "at"),
    ("ation", "at"),
    ("ements", "e"),
    ("ement", "e"),
    ("euses", "eu"),
    ("euse", "eu"),
    ("ances", "an"),
    ("ance", "an"),
    ("ences", "en"),
    ("ence", "en"),
    ("iques", "iqu"),
    ("ique", "iqu"),
    ("ismes", "ism"),
    ("isme", "ism"),
    ("istes", "ist"),
    ("iste", "ist"),
    ("ables", "abl"),
    ("able", "abl"),
    ("ites", "it"),
    ("ite", "it"),
    ("ives", "if"),
    ("ive", "if"),
    ("ifs", "if"),
    ("eaux", "eau"),
    ("aux", "al"),
    ("eurs", "eur"),
    ("ees", ""),
    ("ee", ""),
    ("es", ""),
    ("er", ""),
    ("ez", ""),
    ("s", ""),
    ("x", ""),
    ("e", ""),
)


@functools.lru_cache(maxsize=200_000)
def stem_french(word: str) -> str:
    """Light French stem of an accent-free lowercase word."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, repl in _FR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 4:
            stem = word[: len(word) - len(suffix)] + repl
            # Doubled final consonant of the stem ("professionnel" -> "professionel").
            if len(stem) > 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                stem = stem[:-1]
            return stem
    return word


# Longest taxonomy phrase (in words) the lexicon keeps.
MAX_CONCEPT_WORDS = 7


@dataclass(frozen=True, slots=True)
class ConceptLexicon:
    """Normalised skill phrases (any language) -> concept id, matched longest first.

    Built by the app from its taxonomy (app/reference); the matcher only sees phrases and ids.
    """

    phrases: Mapping[str, str] = field(default_factory=dict)
    max_words: int = 1
    # Normalised non-English label -> the English label it is embedded by (see pivot()).
    pivots: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str]],
        max_words: int = MAX_CONCEPT_WORDS,
        pivots: Mapping[str, str] | None = None,
    ) -> ConceptLexicon:
        """Lexicon from (phrase, concept id) pairs; phrases are normalised here.

        Phrases longer than `max_words` words are left out: a text is scanned at every word
        for every length up to the longest phrase, and taxonomy labels of eight or more words
        (ESCO has some) are sentences nobody writes verbatim.
        """
        table: dict[str, str] = {}
        for phrase, concept in pairs:
            key = normalize_text(phrase)
            # One- and two-letter keys ("it", "rh") collide with ordinary words.
            if len(key) >= 3 and concept and key.count(" ") < max_words:
                table.setdefault(key, concept)
        longest = max((len(k.split()) for k in table), default=1)
        pivot_table = {normalize_text(k): v for k, v in (pivots or {}).items() if v}
        return cls(phrases=table, max_words=longest, pivots=pivot_table)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def pivot(self, phrase: str) -> str | None:
        """The English label a whole French/Kinyarwanda taxonomy label is embedded by, else None.

        "gestion de projet" is then embedded as "project management" and gets the same vector
        as the English skill; English phrases keep their own wording (and vector).
        """
        return self.pivots.get(normalize_text(phrase)) if self.pivots else None

    def concepts_of(self, phrase: str) -> list[str]:
        """Concept ids a skill phrase or text chunk names (normalised here), in order."""
        return list(dict.fromkeys(self.concepts_in(normalize_text(phrase).split())))

    def concepts_in(self, words: list[str]) -> list[str]:
        """Concept ids mentioned in a normalised word list, longest phrase first, in order."""
        out: list[str] = []
        i, n = 0, len(words)
        table = self.phrases
        while i < n:
            for size in range(min(self.max_words, n - i), 0, -1):
                concept = table.get(" ".join(words[i : i + size]))
                if concept is not None:
                    out.append(concept)
                    i += size
                    break
            else:
                i += 1
        return out


def concept_token(concept: str) -> str:
    """The lexical token standing for a concept (no natural word looks like it)."""
    return f"concept:{concept}"


def analyse(
    text: str, language: str, concepts: ConceptLexicon | None = None, ngram_max: int = 2
) -> list[str]:
    """Lexical terms of a normalised text analysed as `language` ("" = English rules).

    Word n-grams (1..ngram_max) over the text without its stop words, French words stemmed,
    then one ``concept:<id>`` term per taxonomy concept the text mentions, so a French and an
    English profile that name the same skill share a term whatever their words.
    """
    words = text.split()
    stops = _STOP_WORDS.get(language, _STOP_WORDS["en"])
    kept = [w for w in words if len(w) >= 2 and w not in stops]
    if language == "fr":
        kept = [stem_french(w) for w in kept]
    terms = list(kept)
    for size in range(2, ngram_max + 1):
        terms.extend(" ".join(kept[i : i + size]) for i in range(len(kept) - size + 1))
    if concepts:
        terms.extend(concept_token(c) for c in concepts.concepts_in(words))
    return terms


def lexical_document(text: str, language: str) -> str:
    """A normalised text tagged with its language, the input of `LanguageAnalyzer`."""
    return f"{language}\x1f{text}"


@dataclass(frozen=True, slots=True)
class LanguageAnalyzer:
    """Callable analyzer for scikit-learn vectorizers over `lexical_document` strings."""

    concepts: ConceptLexicon | None = None
    ngram_max: int = 2

    def __call__(self, doc: str) -> list[str]:
        language, _, text = doc.partition("\x1f")
        return analyse(text, language, self.concepts, self.ngram_max)
