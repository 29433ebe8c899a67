"""Read a CV's plain text (English or French) into profile suggestions.

A pure module (no Flask, no database): the worker extracts the text, this module turns it into
experience, education, languages, skills and contact details, each with a confidence, and the
review page (cv_review.py) shows them for the member to correct and accept.

The reader works line by line: headings split the text into sections; date ranges anchor
experience entries; degree words anchor education entries. Text that PDF extraction flattens
(two columns drawn one after the other, Word tables read as "cell | cell" rows) keeps those
anchors, which is why it relies on them rather than on layout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from app.reference import skills as vocabulary
from app.reference.countries import countries

# A suggestion at or above this confidence is ticked on the review page.
CONFIDENT = 0.7


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class ExperienceSuggestion:
    title: str
    employer: str = ""
    country: str = ""  # ISO 3166 alpha-2, "" when not stated
    start: date | None = None
    end: date | None = None  # None with is_current: still there
    is_current: bool = False
    description: str = ""
    confidence: float = 0.0


@dataclass(slots=True)
class EducationSuggestion:
    degree: str
    field: str = ""
    institution: str = ""
    year: int | None = None
    confidence: float = 0.0


@dataclass(slots=True)
class LanguageSuggestion:
    code: str
    level: str | None = None  # A1..C2 or native; None when the CV does not say
    confidence: float = 0.0


@dataclass(slots=True)
class SkillSuggestion:
    name: str  # canonical vocabulary name
    level: str = "intermediate"
    years: int = 0
    confidence: float = 0.0


@dataclass(slots=True)
class Contacts:
    email: str = ""
    phone: str = ""
    linkedin: str = ""


@dataclass(slots=True)
class CVReading:
    language: str  # "en" or "fr": the CV's main language
    experience: list[ExperienceSuggestion] = field(default_factory=list)
    education: list[EducationSuggestion] = field(default_factory=list)
    languages: list[LanguageSuggestion] = field(default_factory=list)
    skills: list[SkillSuggestion] = field(default_factory=list)
    contacts: Contacts = field(default_factory=Contacts)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        for entry in data["experience"]:
            for key in ("start", "end"):
                entry[key] = entry[key].isoformat() if entry[key] else None
        return data


# --------------------------------------------------------------------------- text helpers


def fold(text: str) -> str:
    """Casefold and drop accents: headings and month names are matched accent-blind because
    PDF extraction and typists both lose accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# \x7f and the private-use code points are what some PDF fonts turn a bullet into.
_BULLET = re.compile(
    r"^\s*(?:[•*·▪◦‣\x7f\uf0b7\uf0a7\uf076\uf0d8]\s*|[-–—]\s+|\d{1,2}[.)]\s+)(?=\S)"
)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _clean_lines(text: str) -> list[str]:
    out = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if line:
            out.append(line)
    return out


def _is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def _strip_bullet(line: str) -> str:
    return _BULLET.sub("", line).strip()


# --------------------------------------------------------------------------- sections

_HEADINGS: dict[str, tuple[str, ...]] = {
    "experience": (
        "experience",
        "professional experience",
        "work experience",
        "employment history",
        "employment",
        "academic appointments",
        "professional background",
        "career",
        "career summary",
        "experiences",
        "experience professionnelle et stages",
        "appointments",
        "positions held",
        "professional history",
        "employment record",
        "career history",
        "work history",
        "relevant experience",
        "experience professionnelle",
        "experiences professionnelles",
        "experiences",
        "parcours professionnel",
        "emplois",
        "uburambe mu kazi",
    ),
    "education": (
        "education",
        "education and training",
        "academic background",
        "academic qualifications",
        "qualifications",
        "formation",
        "formations",
        "formation academique",
        "formation universitaire",
        "etudes",
        "diplomes",
        "diplomes et formation",
        "amashuri",
        "scolarite",
        "education and qualifications",
        "etudes et diplomes",
    ),
    "skills": (
        "skills",
        "key skills",
        "core skills",
        "technical skills",
        "core competencies",
        "competencies",
        "areas of expertise",
        "expertise",
        "competences",
        "competences techniques",
        "competences cles",
        "domaines d'expertise",
        "savoir-faire",
        "outils et logiciels",
        "software",
        "logiciels",
        "ubumenyi",
    ),
    "languages": (
        "languages",
        "language skills",
        "langues",
        "competences linguistiques",
        "langues parlees",
        "indimi",
    ),
    "other": (
        "profile",
        "summary",
        "professional summary",
        "profil",
        "profil professionnel",
        "resume",
        "objective",
        "objectif",
        "certifications",
        "certificates",
        "certifications et formations continues",
        "publications",
        "references",
        "referees",
        "interests",
        "centres d'interet",
        "loisirs",
        "activites",
        "volunteering",
        "benevolat",
        "awards",
        "distinctions",
        "memberships",
        "affiliations",
        "contact",
        "coordonnees",
        "informations personnelles",
        "personal details",
        "research interests",
        "research",
        "enseignement et recherche",
        "achievements",
        "key achievements",
        "realisations",
        "missions principales",
        "what i do",
        "highlights",
        "summary of work",
        "details",
        "contact details",
        "sommaire",
        "projects",
        "projets",
        "training",
        "courses",
        "teaching",
    ),
}
_HEADING_BY_TEXT = {h: kind for kind, hs in _HEADINGS.items() for h in hs}


def _heading_kind(line: str) -> str | None:
    """Return the section a heading line opens, or None when the line is not a heading."""
    if len(line) > 60 or _is_bullet(line):
        return None
    key = fold(line).strip(" :|-–—•*#").strip()
    key = re.sub(r"\s+", " ", key)
    if key in _HEADING_BY_TEXT:
        return _HEADING_BY_TEXT[key]
    # "EXPERIENCE PROFESSIONNELLE ET STAGES", "Skills & tools": the first words decide.
    words = key.replace("&", " et ").split()
    for n in (3, 2, 1):
        if (
            n < len(words) <= 6
            and " ".join(words[:n]) in _HEADING_BY_TEXT
            and (line.isupper() or line.endswith(":") or len(words) <= 4)
        ):
            return _HEADING_BY_TEXT[" ".join(words[:n])]
    return None


def split_sections(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Split lines into (kind, lines) sections; text before the first heading is "head"."""
    sections: list[tuple[str, list[str]]] = [("head", [])]
    for line in lines:
        kind = _heading_kind(line)
        if kind is not None:
            sections.append((kind, []))
        else:
            sections[-1][1].append(line)
    return sections


# --------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan", "janvier", "janv", "mutarama"),
        ("february", "feb", "fevrier", "fev", "fevr", "gashyantare"),
        ("march", "mar", "mars", "werurwe"),
        ("april", "apr", "avril", "avr", "mata"),
        ("may", "mai", "gicurasi"),
        ("june", "jun", "juin", "kamena"),
        ("july", "jul", "juillet", "juil", "nyakanga"),
        ("august", "aug", "aout", "kanama"),
        ("september", "sep", "sept", "septembre", "nzeri"),
        ("october", "oct", "octobre", "ukwakira"),
        ("november", "nov", "novembre", "ugushyingo"),
        ("december", "dec", "decembre", "ukuboza"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# One date: "janv. 2019", "March 2019", "03/2019", "2019-03", "03.2019", "2019".
_DATE = (
    rf"(?:(?:{_MONTH_ALT})\.?\s+{_YEAR}"
    rf"|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"
    rf"|{_YEAR}\s*[-/]\s*(?:0[1-9]|1[0-2])(?!\d)"
    rf"|{_YEAR})"
)
_NOW = (
    r"(?:present|current|now|today|ongoing|date|presente?|aujourd'hui|aujourd’hui|ce jour|"
    r"a ce jour|en cours|actuel(?:lement)?|maintenant|ubu)"
)
_RANGE = re.compile(
    rf"(?:(?:from|de|du|depuis le|d')\s+)?(?P<start>{_DATE})\s*"
    rf"(?:-|–|—|\||to|until|a|au|jusqu'(?:a|au|en)|jusqu’(?:a|au|en)|>)\s*"
    rf"(?P<end>{_DATE}|{_NOW})"
    rf"|(?:since|depuis|kuva)\s+(?:le\s+|l'|en\s+)?(?P<since>{_DATE})",
    re.IGNORECASE,
)
_ONE_DATE = re.compile(_DATE, re.IGNORECASE)
_YEAR_RE = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


def parse_date(text: str) -> date | None:
    """Return the first day of the month a date names ("janv. 2019" → 2019-01-01)."""
    folded = fold(text).strip()
    year_match = _YEAR_RE.search(folded)
    if year_match is None:
        return None
    year = int(year_match.group(0))
    month = 1
    name = re.match(r"([a-z]+)", folded)
    if name and name.group(1) in _MONTHS:
        month = _MONTHS[name.group(1)]
    else:
        numeric = re.match(r"(\d{1,2})\s*[/.]\s*\d{4}", folded) or re.match(
            r"\d{4}\s*[-/]\s*(\d{1,2})", folded
        )
        if numeric:
            month = int(numeric.group(1))
    return date(year, month, 1)


@dataclass(slots=True)
class DateRange:
    start: date | None
    end: date | None
    is_current: bool
    span: tuple[int, int]


def find_range(line: str) -> DateRange | None:
    """Return the date range a line states, searching its accent-folded form."""
    folded = fold(line)
    match = _RANGE.search(folded)
    if match is None:
        return None
    if match.group("since"):
        return DateRange(parse_date(match.group("since")), None, True, match.span())
    end_text = match.group("end")
    current = not _YEAR_RE.search(end_text)
    end = None if current else parse_date(end_text)
    start = parse_date(match.group("start"))
    if end and start and end < start:
        return None
    return DateRange(start, end, current, match.span())


# --------------------------------------------------------------------------- places

_FRENCH_COUNTRIES = {
    "belgique": "BE",
    "france": "FR",
    "suisse": "CH",
    "canada": "CA",
    "etats-unis": "US",
    "royaume-uni": "GB",
    "allemagne": "DE",
    "pays-bas": "NL",
    "ouganda": "UG",
    "tanzanie": "TZ",
    "republique democratique du congo": "CD",
    "rdc": "CD",
    "rd congo": "CD",
    "senegal": "SN",
    "cote d'ivoire": "CI",
    "cameroun": "CM",
    "burundi": "BI",
    "kenya": "KE",
    "luxembourg": "LU",
    "maroc": "MA",
    "tunisie": "TN",
    "afrique du sud": "ZA",
    "suede": "SE",
    "norvege": "NO",
    "espagne": "ES",
    "italie": "IT",
    "ethiopie": "ET",
    "usa": "US",
    "uk": "GB",
    "u.k.": "GB",
    "u.s.": "US",
}
# Cities that CVs often name instead of the country.
_CITIES = {
    "kigali": "RW",
    "huye": "RW",
    "butare": "RW",
    "musanze": "RW",
    "rubavu": "RW",
    "bruxelles": "BE",
    "brussels": "BE",
    "liege": "BE",
    "louvain-la-neuve": "BE",
    "leuven": "BE",
    "gand": "BE",
    "ghent": "BE",
    "namur": "BE",
    "mons": "BE",
    "anvers": "BE",
    "antwerp": "BE",
    "paris": "FR",
    "lyon": "FR",
    "marseille": "FR",
    "lille": "FR",
    "toulouse": "FR",
    "bordeaux": "FR",
    "grenoble": "FR",
    "montreal": "CA",
    "quebec": "CA",
    "sherbrooke": "CA",
    "gatineau": "CA",
    "ottawa": "CA",
    "toronto": "CA",
    "laval": "CA",
    "geneve": "CH",
    "geneva": "CH",
    "lausanne": "CH",
    "zurich": "CH",
    "london": "GB",
    "manchester": "GB",
    "birmingham": "GB",
    "nairobi": "KE",
    "kampala": "UG",
    "dar es salaam": "TZ",
    "bujumbura": "BI",
    "kinshasa": "CD",
    "goma": "CD",
    "dakar": "SN",
    "abidjan": "CI",
    "new york": "US",
    "boston": "US",
    "atlanta": "US",
    "houston": "US",
    "amsterdam": "NL",
    "rotterdam": "NL",
    "stockholm": "SE",
    "berlin": "DE",
    "johannesburg": "ZA",
}


def _country_words() -> dict[str, str]:
    words = {fold(name): code for code, name in countries().items()}
    words.update(_FRENCH_COUNTRIES)
    words.update(_CITIES)
    return words


_PLACE_CACHE: list[tuple[re.Pattern[str], dict[str, str]]] = []


def find_country(text: str) -> str:
    """Return the alpha-2 code of the last country or known city the text names, else ""."""
    if not _PLACE_CACHE:
        words = _country_words()
        alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if len(w) > 2)
        _PLACE_CACHE.append((re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])"), words))
    pattern, words = _PLACE_CACHE[0]
    found = pattern.findall(fold(text))
    return words[found[-1]] if found else ""


# --------------------------------------------------------------------------- experience

_TITLE_WORDS = re.compile(
    r"\b(nurse|midwife|physician|doctor|surgeon|pharmacist|engineer|developer|programmer|"
    r"architect|analyst|scientist|researcher|lecturer|professor|teacher|manager|director|"
    r"officer|specialist|consultant|coordinator|advisor|adviser|accountant|auditor|economist|"
    r"lawyer|designer|technician|administrator|head|lead|chief|intern|assistant|curator|"
    r"agronomist|geologist|planner|controller|associate|fellow|tutor|editor|journalist|"
    r"infirmier|infirmiere|sage-femme|medecin|chirurgien|pharmacien|ingenieur|ingenieure|"
    r"developpeur|developpeuse|analyste|chercheur|chercheuse|enseignant|enseignante|"
    r"professeur|professeure|maitre|charge|chargee|responsable|directeur|directrice|"
    r"gestionnaire|conseiller|conseillere|consultante?|coordonnateur|coordonnatrice|"
    r"coordinateur|coordinatrice|comptable|auditeur|auditrice|economiste|avocat|avocate|"
    r"juriste|technicien|technicienne|administrateur|administratrice|chef|stagiaire|"
    r"assistante?|agronome|geologue|urbaniste|controleur|controleuse|expert|experte|"
    r"architecte|doctorant|doctorante|postdoctorant|postdoctorante|attache|attachee|"
    r"commissaire|pedagogue|formateur|formatrice|superviseur|superviseure|"
    r"infirmiere-chef|cadre|inspecteur|inspectrice|redacteur|redactrice|statistician|"
    r"statisticien|statisticienne|epidemiologist|epidemiologiste|pharmacienne|midwife|"
    r"juge|judge|notaire|notary|veterinaire|veterinarian|biologiste|biologist|chemist|"
    r"chimiste|physicist|physicien|physicienne|psychologist|psychologue)\b",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(ltd|limited|inc|llc|plc|sa|sarl|sprl|srl|asbl|gmbh|corp|company|group|groupe|bank|"
    r"banque|hospitals?|hopital|clinic|clinique|chu|chus|cusm|university|universite|universitaire|"
    r"trust|nhs|insa|epfl|ulb|uclouvain|"
    r"college|school|ecole|institute|institut|ministry|ministere|minist|agency|agence|"
    r"authority|office|board|council|conseil|foundation|fondation|ngo|ong|unicef|undp|who|"
    r"oms|pnud|usaid|giz|enabel|world bank|banque mondiale|programme|cabinet|bureau|"
    r"services|consulting|partners|associates|deloitte|kpmg|pwc|ey|wasac|reg|rdb|rba|"
    r"centre|center|hydro|sncb|stib|ville|city|county|district|province|commune|"
    r"laboratoire|laboratory|lab|federation|federal|cooperative|cooperative|society|"
    r"technologies|solutions|systems|engineering|energie|energy|water|health|sante|"
    r"mutuelle|csss|ciusss|cisss|corporation|department|departement|"
    r"commission|organisation|organization|association|fund|centre|unicef|fao|msf|"
    r"medecins|doctors|hotels?|resorts?|lodge|polytechnic|lycee|college|board|"
    r"resources|mines|marriott|serena|hilton|radisson)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+[—–|-]\s+|\s*\|\s*|,\s+|\s+(?:at|chez|@|au sein de|aupres de)\s+")


def _looks_like_title(text: str) -> bool:
    return bool(_TITLE_WORDS.search(fold(text)))


# Capitals-only words name organisations (UNDP, CHUV, NISR, WASAC), except these titles.
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,6}\b")
_TITLE_ACRONYMS = frozenset(
    [
        "CEO",
        "CFO",
        "CTO",
        "COO",
        "CIO",
        "CMO",
        "RN",
        "RM",
        "MD",
        "HR",
        "IT",
        "VP",
        "PHD",
        "MSC",
        "BSC",
        "MBA",
        "MPH",
    ]
)


def _looks_like_org(text: str) -> bool:
    if _ORG_WORDS.search(fold(text)):
        return True
    return any(a not in _TITLE_ACRONYMS for a in _ACRONYM.findall(text))


def _tidy(text: str) -> str:
    return text.strip(" ,;:|-–—()[]·•\t")


def _is_place(piece: str) -> bool:
    """True for "Kigali", "Québec (Canada)", "Bruxelles (Belgique)": a place and nothing else."""
    # Organisation words only: "USA" and "RD Congo" are capitals but places.
    if _ORG_WORDS.search(fold(piece)) or _looks_like_title(piece) or not find_country(piece):
        return False
    # "Kigali Serena Hotel" names a place but is not one: at most one other word may remain.
    pattern, _words = _PLACE_CACHE[0]
    rest = re.findall(r"[a-z]+", pattern.sub(" ", fold(piece)))
    return len(rest) <= 1


def _pieces(text: str) -> list[str]:
    return [p for p in (_tidy(x) for x in _SEPARATORS.split(text)) if p]


def _without_places(line: str) -> tuple[str, str]:
    """Split "CHU de Québec – Université Laval, Québec (Canada)" into the name and the
    trailing place ("Québec (Canada)"); separators inside the name are kept."""
    parts = [p.strip() for p in re.split(r",\s+|\s+[—–|-]\s+(?=[^,]*$)", line)]
    places: list[str] = []
    while len(parts) > 1 and _is_place(_tidy(parts[-1])):
        places.insert(0, _tidy(parts.pop()))
    name = line
    if places:
        # Cut the line just before the first trailing place, keeping the name's own dashes.
        cut = line.rfind(places[0])
        name = line[:cut] if cut > 0 else ", ".join(parts)
    return _tidy(name), " ".join(places)


def _split_header(parts: list[str]) -> tuple[str, str, str]:
    """Return (title, employer, location text) from an entry's header lines."""
    parts = [p for p in (_tidy(x) for x in parts) if p]
    # A place wrapped onto its own line ("(Rwanda)") belongs to the line above.
    merged: list[str] = []
    for part in parts:
        if merged and _is_place(part):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    parts = merged
    if not parts:
        return "", "", ""
    first_pieces = [p for p in _pieces(parts[0]) if not _is_place(p)]
    first_is_whole = len(first_pieces) >= 2 and any(
        _looks_like_org(p) and not _looks_like_title(p) for p in first_pieces
    )
    if len(parts) >= 2 and not first_is_whole:
        # One line each: "Infirmière clinicienne, soins intensifs" / "CHU de Québec, Québec".
        first, second = parts[0], parts[1]
        if _looks_like_org(first) and not _looks_like_org(second):
            first, second = second, first
        title, title_place = _without_places(first)
        employer, place = _without_places(second)
        if _is_place(employer):
            employer, place = "", f"{employer} {place}"
        return title, employer, " ".join([title_place, place, *parts[2:]])
    pieces = [piece for part in parts for piece in _pieces(part)]
    places = [p for p in pieces if _is_place(p)]
    rest = [p for p in pieces if p not in places]
    title = next((p for p in rest if _looks_like_title(p) and not _looks_like_org(p)), "")
    if not title:
        title = next((p for p in rest if _looks_like_title(p)), rest[0] if rest else "")
    others = [p for p in rest if p != title]
    # "Title, Department, Employer, City": the organisation nearest the place is the employer.
    orgs = [p for p in others if _looks_like_org(p)]
    employer = orgs[-1] if orgs else (others[0] if others else "")
    location = " ".join(places + [p for p in others if p != employer])
    return title, employer, location


def _entry_description(lines: list[str]) -> str:
    return "\n".join(_strip_bullet(line) for line in lines)[:2000]


def _short(line: str) -> bool:
    """A line that may belong to an entry's header (not a bullet, not a sentence)."""
    return not _is_bullet(line) and len(line) <= 110 and not line.rstrip().endswith(".")


def _split_cells(remainder: str) -> tuple[str, str]:
    """A Word table row read as "cell | cell": short cells are header, long ones description."""
    if "|" not in remainder:
        return remainder, ""
    header, description = [], []
    for cell in (c.strip() for c in remainder.split("|")):
        if not cell:
            continue
        if len(cell) > 160 or ";" in cell or cell.endswith("."):
            description.append(cell)
        else:
            header.append(cell)
    return " | ".join(header), "\n".join(description)


def _dates_come_first(lines: list[str], first: int, remainder: str) -> bool:
    """Whether entries open on their dates ("2015 – 2019\nTitle\nEmployer") rather than
    close their header with them ("Title\nEmployer\n2015 – 2019")."""
    if len(_pieces(remainder)) >= 2:
        return False
    if first == 0 or all(_is_bullet(line) for line in lines[:first]):
        return True
    if _tidy(remainder):
        return False
    before = [line for line in lines[max(0, first - 2) : first] if _short(line)]
    after = lines[first + 1] if first + 1 < len(lines) else ""
    before_is_header = any(_looks_like_title(b) or _looks_like_org(b) for b in before)
    return not before_is_header and _short(after) and _looks_like_title(after)


def _header_score(lines: list[str]) -> int:
    return sum(2 * _looks_like_title(x) + _looks_like_org(x) for x in lines)


def _entry_dates_first(
    lines: list[str],
    anchors: list[int],
    n: int,
    ranges: list[DateRange | None],
    layout_date_first: bool,
) -> bool:
    """Whether this entry's header follows its dates: the layout's habit, unless the lines on
    the other side of the date look much more like a title and an employer."""
    i = anchors[n]
    rng = ranges[i]
    assert rng is not None
    if len(_pieces(_split_cells(_remove_span(lines[i], rng.span))[0])) >= 2:
        return layout_date_first
    end = anchors[n + 1] if n + 1 < len(anchors) else len(lines)
    after = []
    for line in lines[i + 1 : min(end, i + 4)]:
        if not _short(line):
            break
        after.append(line)
    start = anchors[n - 1] + 1 if n else 0
    before = []
    for line in reversed(lines[max(start, i - 2) : i]):
        if not _short(line):
            break
        before.append(line)
    score_after, score_before = _header_score(after), _header_score(before)
    if score_after != score_before:
        return score_after > score_before
    return layout_date_first


# Column headings of a table of jobs ("Dates | Role | Company and place"), not a job.
_TABLE_HEADING_WORDS = frozenset(
    [
        "dates",
        "date",
        "period",
        "periode",
        "role",
        "position",
        "poste",
        "fonction",
        "fonctions",
        "company",
        "employer",
        "employeur",
        "organisation",
        "organization",
        "and",
        "et",
        "place",
        "lieu",
        "etablissement",
        "main",
        "duties",
        "from",
        "to",
        "de",
        "a",
        "title",
        "job",
        "emploi",
        "intitule",
        "missions",
        "responsibilities",
        "responsabilites",
        "years",
        "annees",
        "structure",
        "entreprise",
    ]
)


def _is_table_heading(line: str) -> bool:
    words = re.findall(r"[a-z]+", fold(line))
    return bool(words) and len(words) <= 8 and all(w in _TABLE_HEADING_WORDS for w in words)


def read_experience(lines: list[str]) -> list[ExperienceSuggestion]:
    """Return the entries of an experience section, anchored on date ranges."""
    lines = [line for line in lines if not _is_table_heading(line)]
    ranges = [find_range(line) if not _is_bullet(line) else None for line in lines]
    anchor_idx = [i for i, r in enumerate(ranges) if r is not None]
    if not anchor_idx:
        return []
    entries: list[ExperienceSuggestion] = []
    first_rng = ranges[anchor_idx[0]]
    assert first_rng is not None
    layout_date_first = _dates_come_first(
        lines, anchor_idx[0], _remove_span(lines[anchor_idx[0]], first_rng.span)
    )
    modes = [
        _entry_dates_first(lines, anchor_idx, n, ranges, layout_date_first)
        for n in range(len(anchor_idx))
    ]
    for n, i in enumerate(anchor_idx):
        rng = ranges[i]
        assert rng is not None
        date_first = modes[n]
        remainder, cell_text = _split_cells(_remove_span(lines[i], rng.span))
        header = [remainder] if _tidy(remainder) else []
        complete = len(_pieces(remainder)) >= 2
        next_anchor = anchor_idx[n + 1] if n + 1 < len(anchor_idx) else len(lines)
        body_start = i + 1
        if date_first:
            j = i + 1
            while not complete and j < next_anchor and len(header) < 3 and _short(lines[j]):
                header.append(lines[j])
                j += 1
            body_start = j
        else:
            previous_end = anchor_idx[n - 1] + 1 if n else 0
            before: list[str] = []
            j = i - 1
            while not complete and j >= previous_end and len(before) < 2 and _short(lines[j]):
                before.insert(0, lines[j])
                j -= 1
            header = before + header
            k = i + 1
            # "Title\n2019 – present\nEmployer": an organisation line may follow the dates.
            if (
                not complete
                and len(header) < 2
                and k < next_anchor
                and _short(lines[k])
                and _looks_like_org(lines[k])
                and not any(_looks_like_org(p) for h in header for p in _pieces(h))
                and ";" not in lines[k]
                and len(lines[k].split()) <= 10
            ):
                header.append(lines[k])
                k += 1
            body_start = k
        body_end = next_anchor
        if n + 1 < len(anchor_idx) and not modes[n + 1]:
            nxt = ranges[anchor_idx[n + 1]]
            assert nxt is not None
            if len(_pieces(_remove_span(lines[next_anchor], nxt.span))) < 2:
                # The next entry's header lines sit just before its date line.
                back = 0
                while body_end - 1 >= body_start and back < 2 and _short(lines[body_end - 1]):
                    body_end -= 1
                    back += 1
        title, employer, location = _split_header(header)
        if not title:
            continue
        country = find_country(location) or find_country(" ".join(header))
        confidence = 0.5
        if _looks_like_title(title):
            confidence += 0.25
        if employer:
            confidence += 0.15
        if rng.start and (rng.end or rng.is_current):
            confidence += 0.05
        description = "\n".join(
            x for x in (cell_text, _entry_description(lines[body_start:body_end])) if x
        )
        entries.append(
            ExperienceSuggestion(
                title=title[:160],
                employer=employer[:200],
                country=country,
                start=rng.start,
                end=rng.end,
                is_current=rng.is_current,
                description=description[:2000],
                confidence=round(min(confidence, 0.95), 2),
            )
        )
    return entries


def _remove_span(line: str, span: tuple[int, int]) -> str:
    """Remove a span found in the accent-folded line from the original line."""
    folded = fold(line)
    if len(folded) == len(line):
        return line[: span[0]] + " " + line[span[1] :]
    # Folding changed the length (a ligature): cut at the proportional positions.
    ratio = len(line) / max(len(folded), 1)
    return line[: int(span[0] * ratio)] + " " + line[int(span[1] * ratio) :]


# --------------------------------------------------------------------------- education

_DEGREE = re.compile(
    r"\b(ph\.?\s?d\.?|doctorat|doctorate|doctor of [a-z]+|m\.?\s?sc\.?|b\.?\s?sc\.?|mba|mph|"
    r"m\.?\s?eng|b\.?\s?eng|b\.?\s?com|llb|llm|ll\.[bm]\.?|m\.?\s?a\.?(?=\s)|b\.?\s?a\.?(?=\s)|"
    r"master(?:'s|’s)?(?: of [a-z]+| degree)?|bachelor(?:'s|’s)?(?: of [a-z]+| degree)?|"
    r"diploma|advanced diploma|licence|license|maitrise|master|baccalaureat|bac\b|"
    r"dec\b|d\.e\.c\.|aec\b|dess|dea|bts|dut|diplome(?: d'etat| d'ingenieur)?(?: en| de)?|"
    r"ingenieur civil|ingenieure civile|bachelier|graduat|agregation|capaes|"
    r"certificat|certificate|postgraduate diploma|pgdip|a0|a1|specialisation|specialization|"
    r"pharmd|doctor of pharmacy|bachelor of pharmacy)\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(university|universite|universitat|college|school|ecole|institute|institut|"
    r"polytechnique|polytechnic|academy|academie|haute ecole|hautes etudes|faculty|faculte|"
    r"ulb|ucl|uclouvain|ulg|uliege|kul|ku leuven|epfl|ethz|unige|unil|uqam|ulaval|hec|ur|"
    r"udem|mcgill|concordia|cegep|lycee|kist|kie|nur|auca|ines|iprc|ensa|ensam|insa|"
    r"sciences po|conservatoire)\b",
    re.IGNORECASE,
)
_FIELD_LEAD = re.compile(r"^\s*(?:in|of|en|de|d'|des|du|:|,|-|–|—)\s*", re.IGNORECASE)


def _degree_parts(text: str) -> tuple[str, str]:
    """Split "MSc in Hydraulic Engineering" into ("MSc", "Hydraulic Engineering")."""
    folded = fold(text)
    match = _DEGREE.search(folded)
    if match is None:
        return _tidy(text), ""
    start, end = match.span()
    if len(folded) != len(text):
        return _tidy(text), ""
    degree = text[start:end]
    rest = text[end:]
    # "Master of Science in X": the "of Science" stays with the degree.
    science = re.match(r"\s+(?:of|in)\s+(?:science|arts)s?\b", rest, re.IGNORECASE)
    if science and re.search(r"\s(?:in|en)\s", rest[science.end() :] + " "):
        degree += rest[: science.end()]
        rest = rest[science.end() :]
    prefix = _tidy(text[:start])
    if prefix and not _INSTITUTION.search(fold(prefix)) and len(prefix.split()) <= 3:
        degree = f"{prefix} {degree}"
    field = _tidy(_FIELD_LEAD.sub("", _YEAR_RE.sub("", rest)))
    for sep in (" — ", " – ", " - ", " | ", ", "):
        field = field.split(sep)[0]
    return _tidy(degree), _tidy(field)


def read_education(lines: list[str]) -> list[EducationSuggestion]:
    """Return the entries of an education section, anchored on degree words."""
    out: list[EducationSuggestion] = []
    anchors = [i for i, line in enumerate(lines) if _DEGREE.search(fold(_strip_bullet(line)))]
    for n, i in enumerate(anchors):
        line = _strip_bullet(lines[i])
        nxt = anchors[n + 1] if n + 1 < len(anchors) else len(lines)
        prev = anchors[n - 1] + 1 if n else 0
        window = [line, *lines[i + 1 : min(nxt, i + 3)]]
        before = [ln for ln in lines[max(prev, i - 1) : i] if _YEAR_RE.search(ln) and len(ln) < 30]
        parts = [p for piece in window for p in re.split(r"\s+[—–|-]\s+|\s*\|\s*|,\s+", piece)]
        degree_text = re.split(r"\s+[—–|]\s+|\s*\|\s*|,\s+", line)
        degree_piece = next((p for p in degree_text if _DEGREE.search(fold(p))), line)
        degree, field_ = _degree_parts(_YEAR_RE.sub("", _RANGE.sub("", degree_piece)))
        institution = next(
            (_tidy(_YEAR_RE.sub("", p)) for p in parts if _INSTITUTION.search(fold(p))), ""
        )
        if institution and fold(institution) in fold(degree_piece) and len(parts) > 1:
            others = [p for p in parts if _INSTITUTION.search(fold(p)) and p != degree_piece]
            institution = _tidy(_YEAR_RE.sub("", others[0])) if others else institution
        if not institution:
            # "Diplôme d'expertise comptable, Conseil supérieur de l'ordre, 2016": the piece
            # after the degree names the school even without a school word.
            after = (
                degree_text[degree_text.index(degree_piece) + 1 :]
                if degree_piece in (degree_text)
                else []
            )
            institution = next(
                (_tidy(p) for p in after if _tidy(_YEAR_RE.sub("", p)) and not _is_place(p)), ""
            )
            institution = _tidy(_YEAR_RE.sub("", institution))
        year = None
        for candidates in ([line], window[1:2], before):
            years = [int(y) for y in _YEAR_RE.findall(" ".join(candidates))]
            if years:
                year = max(years)
                break
        confidence = 0.55 + (0.2 if institution else 0) + (0.15 if year else 0)
        out.append(
            EducationSuggestion(
                degree=degree[:120],
                field=field_[:160],
                institution=institution[:200],
                year=year,
                confidence=round(min(confidence, 0.95), 2),
            )
        )
    return out


# --------------------------------------------------------------------------- languages

_LANGUAGE_NAMES = {
    "anglais": "en",
    "english": "en",
    "icyongereza": "en",
    "francais": "fr",
    "french": "fr",
    "igifaransa": "fr",
    "kinyarwanda": "rw",
    "ikinyarwanda": "rw",
    "swahili": "sw",
    "kiswahili": "sw",
    "igiswahili": "sw",
    "allemand": "de",
    "german": "de",
    "espagnol": "es",
    "spanish": "es",
    "neerlandais": "nl",
    "dutch": "nl",
    "flemish": "nl",
    "italien": "it",
    "italian": "it",
    "portugais": "pt",
    "portuguese": "pt",
    "arabe": "ar",
    "arabic": "ar",
    "lingala": "ln",
    "kirundi": "rn",
    "luganda": "lg",
    "chinois": "zh",
    "chinese": "zh",
    "wolof": "wo",
    "russe": "ru",
    "russian": "ru",
    "japonais": "ja",
    "japanese": "ja",
    "mandarin": "zh",
}
_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"langue maternelle|mother tongue|native|natif|native speaker|first language|"
        r"ururimi kavukire|maternelle",
        "native",
    ),
    (r"bilingue|bilingual", "C2"),
    (
        r"courant|fluent|fluently|excellent|advanced|avance|tres bonne maitrise|"
        r"full professional|parfaite maitrise|maitrise parfaite",
        "C1",
    ),
    (
        r"upper[- ]intermediate|professional working|bon niveau|bonne maitrise|good|bon|bonne|"
        r"operationnel|professionnel",
        "B2",
    ),
    (r"intermediate|intermediaire|moyen|working knowledge|conversational", "B1"),
    (r"basic|notions|elementary|elementaire|scolaire|limited|beginner|debutant|de base", "A2"),
)
_CEFR = re.compile(r"\b([abc][12])\b", re.IGNORECASE)


def _language_level(text: str) -> tuple[str | None, bool]:
    """Return (level, stated_as_cefr) for a language piece."""
    cefr = _CEFR.search(text)
    if cefr:
        return cefr.group(1).upper(), True
    folded = fold(text)
    for pattern, level in _LEVEL_WORDS:
        if re.search(rf"\b(?:{pattern})\b", folded):
            return level, False
    return None, False


def read_languages(lines: list[str]) -> list[LanguageSuggestion]:
    """Return languages and their levels from a languages section (any layout)."""
    out: dict[str, LanguageSuggestion] = {}
    text = " ; ".join(_strip_bullet(line) for line in lines)
    pattern = re.compile(
        r"(?<![\w])(" + "|".join(sorted(_LANGUAGE_NAMES, key=len, reverse=True)) + r")(?![\w])"
    )
    folded = fold(text)
    matches = list(pattern.finditer(folded))
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(folded)
        piece = folded[match.end() : end]
        code = _LANGUAGE_NAMES[match.group(1)]
        level, cefr = _language_level(piece)
        if code not in out:
            out[code] = LanguageSuggestion(
                code=code, level=level, confidence=0.9 if cefr else (0.8 if level else 0.6)
            )
    return list(out.values())


def languages_from_names(text: str) -> list[LanguageSuggestion]:
    """Languages named anywhere (fallback when the CV has no languages section)."""
    found = []
    for line in _clean_lines(text):
        if re.search(r"\b(langues?|languages?)\s*:", fold(line)):
            found.extend(read_languages([line.split(":", 1)[1]]))
    return found


# --------------------------------------------------------------------------- skills

# French spellings of vocabulary skills, a stopgap until the vocabulary carries French labels
# (ESCO): each maps to a term the vocabulary already knows. Once canonical_for knows the French
# label itself this table is simply never needed (vocabulary lookups are tried first).
_FRENCH_SKILLS: dict[str, str] = {
    "gestion de projet": "project management",
    "gestion de projets": "project management",
    "suivi et evaluation": "monitoring and evaluation",
    "suivi-evaluation": "monitoring and evaluation",
    "planification strategique": "strategic planning",
    "gestion du changement": "change management",
    "redaction de rapports": "report writing",
    "analyse statistique": "statistical analysis",
    "recherche qualitative": "qualitative research",
    "gestion des risques": "risk management",
    "gestion de la qualite": "quality management systems",
    "amelioration de la qualite": "quality improvement",
    "negociation": "negotiation",
    "prise de parole en public": "public speaking",
    "traduction francais-anglais": "french-english translation",
    "leadership d'equipe": "team leadership",
    "encadrement d'equipe": "team leadership",
    "gestion d'equipe": "team leadership",
    "excel avance": "advanced microsoft excel",
    "mentorat": "mentoring and coaching",
    "formation de formateurs": "training of trainers",
    "developpement communautaire": "community development",
    "marketing digital": "digital marketing",
    "service client": "customer service",
    "hydraulique": "hydraulic engineering",
    "genie hydraulique": "hydraulic engineering",
    "modelisation hydraulique": "hydraulic engineering",
    "hydrologie": "hydrology",
    "genie civil": "civil engineering",
    "calcul de structures": "structural engineering",
    "genie structurel": "structural engineering",
    "geotechnique": "geotechnical engineering",
    "adduction d'eau potable": "water supply engineering",
    "alimentation en eau potable": "water supply engineering",
    "approvisionnement en eau": "water supply engineering",
    "traitement des eaux usees": "wastewater treatment",
    "assainissement": "wastewater treatment",
    "gestion des ressources en eau": "water resources management",
    "etude d'impact environnemental": "environmental impact assessment",
    "etudes d'impact environnemental": "environmental impact assessment",
    "gestion de projets de construction": "construction project management",
    "topographie": "land surveying",
    "urbanisme": "urban planning",
    "amenagement du territoire": "land use planning",
    "soins infirmiers pediatriques": "paediatric nursing",
    "soins pediatriques": "paediatric nursing",
    "soins intensifs": "critical care nursing",
    "soins critiques": "critical care nursing",
    "reanimation neonatale": "neonatal resuscitation",
    "soins intensifs neonatals": "neonatal intensive care",
    "prevention et controle des infections": "infection prevention and control",
    "prevention des infections": "infection prevention and control",
    "sante publique": "public health",
    "epidemiologie": "epidemiology",
    "sante maternelle et infantile": "maternal and child health",
    "dossier medical electronique": "electronic medical records",
    "dossiers medicaux electroniques": "electronic medical records",
    "dossier patient informatise": "electronic medical records",
    "sante mentale": "mental health and psychosocial support",
    "medecine d'urgence": "emergency medicine",
    "sage-femme": "midwifery",
    "obstetrique": "obstetrics and gynaecology",
    "nutrition": "nutrition and dietetics",
    "pharmacovigilance": "pharmacovigilance",
    "audit financier": "financial audit",
    "audit interne": "internal audit",
    "comptabilite generale": "financial accounting",
    "comptabilite financiere": "financial accounting",
    "comptabilite analytique": "management accounting",
    "comptabilite de gestion": "management accounting",
    "controle de gestion": "management accounting",
    "fiscalite": "taxation",
    "normes ifrs": "ifrs reporting",
    "ifrs": "ifrs reporting",
    "ipsas": "ipsas reporting",
    "gestion des finances publiques": "public financial management",
    "budgetisation": "budgeting and financial planning",
    "elaboration budgetaire": "budgeting and financial planning",
    "planification financiere": "budgeting and financial planning",
    "gestion de tresorerie": "treasury management",
    "tresorerie": "treasury management",
    "microfinance": "microfinance",
    "inclusion financiere": "financial inclusion",
    "lutte contre le blanchiment": "anti-money laundering compliance",
    "analyse financiere": "investment analysis",
    "finance d'entreprise": "corporate finance",
    "marches publics": "public procurement",
    "passation des marches": "public procurement",
    "gestion des ressources humaines": "human resource management",
    "ressources humaines": "human resource management",
    "analyse des politiques publiques": "public policy analysis",
    "droit du travail": "labour law",
    "droit des affaires": "commercial law",
    "droits humains": "human rights law",
    "droits de l'homme": "human rights law",
    "enseignement universitaire": "university teaching",
    "encadrement de memoires": "postgraduate supervision",
    "direction de theses": "postgraduate supervision",
    "encadrement doctoral": "postgraduate supervision",
    "methodologie de recherche": "research methodology",
    "redaction scientifique": "academic writing",
    "conception de programmes": "curriculum design",
    "conception de curriculum": "curriculum design",
    "ingenierie pedagogique": "curriculum design",
    "formation des enseignants": "teacher training",
    "enseignement des mathematiques": "mathematics teaching",
    "enseignement de la physique": "physics teaching",
    "enseignement a distance": "open and distance learning",
    "formation a distance": "open and distance learning",
    "apprentissage en ligne": "e-learning design",
    "plateformes d'apprentissage": "learning management systems",
    "assurance qualite dans l'enseignement superieur": "higher education quality assurance",
    "developpement logiciel": "software engineering",
    "genie logiciel": "software engineering",
    "developpement web": "web development",
    "developpement mobile": "mobile app development",
    "apprentissage automatique": "machine learning",
    "apprentissage profond": "deep learning",
    "science des donnees": "data science",
    "analyse de donnees": "data analysis",
    "analyse des donnees": "data analysis",
    "visualisation de donnees": "data visualisation",
    "visualisation des donnees": "data visualisation",
    "administration de bases de donnees": "database administration",
    "reseaux informatiques": "network engineering",
    "administration systeme linux": "linux system administration",
    "administration linux": "linux system administration",
    "securite informatique": "cybersecurity operations",
    "cybersecurite": "cybersecurity operations",
    "protection des donnees": "data protection and privacy",
    "informatique en nuage": "cloud infrastructure",
    "transformation numerique": "digital transformation",
    "systemes d'information geographique": "geographic information systems",
    "teledetection": "remote sensing",
    "dimensionnement photovoltaique": "solar pv design",
    "photovoltaique": "solar pv design",
    "efficacite energetique": "energy efficiency",
    "electrification rurale": "rural electrification planning",
    "reseaux electriques": "electrical power systems engineering",
    "hydroelectricite": "hydropower engineering",
    "agronomie": "agronomy",
    "irrigation": "irrigation design",
    "vulgarisation agricole": "agricultural extension",
    "negociation de contrats": "contract law and negotiation",
    "redaction et negociation de contrats": "contract law and negotiation",
    "droit des contrats": "contract law and negotiation",
    "arbitrage": "investment law and arbitration",
    "programmes par competences": "competency based curriculum",
    "approche par competences": "competency based curriculum",
    "apprentissage en milieu de travail": "work-based learning",
    "conception d'enquetes": "survey design",
    "statistique et recensement": "statistics and census",
    "telemedecine": "telemedicine",
    "formation medicale": "medical education",
    "conseil agricole": "agricultural extension",
    "agriculture climato-intelligente": "climate-smart agriculture",
    "agriculture intelligente face au climat": "climate-smart agriculture",
    "mini-reseaux": "mini-grid development",
    "mini-reseau": "mini-grid development",
    "pompage solaire": "solar water pumping",
    "sig": "geographic information systems",
    "biostatistique": "biostatistics",
    "recherche clinique": "clinical research",
    "soins obstetricaux": "obstetrics and gynaecology",
    "chaine de valeur": "agricultural value chain analysis",
    "securite alimentaire": "food security analysis",
    "adaptation au changement climatique": "climate change adaptation",
    "attenuation du changement climatique": "climate change mitigation",
    "gestion des dechets": "solid waste management",
    "biodiversite": "biodiversity conservation",
    "reduction des risques de catastrophe": "disaster risk reduction",
    "logistique": "logistics and supply chain management",
    "chaine d'approvisionnement": "logistics and supply chain management",
    "maintenance industrielle": "maintenance engineering",
    "genie mecanique": "mechanical engineering",
    "genie chimique": "chemical engineering",
    "automatisation industrielle": "industrial automation",
    "hotellerie": "hotel management",
    "journalisme": "journalism",
    "conception graphique": "graphic design",
    "graphisme": "graphic design",
    "genre": "gender mainstreaming",
    "approche genre": "gender mainstreaming",
    "mobilisation des ressources": "resource mobilisation",
    "redaction de propositions": "grant writing",
    "etudes de faisabilite": "feasibility studies",
    "etude de faisabilite": "feasibility studies",
    "plan d'affaires": "business plan writing",
    "entrepreneuriat": "entrepreneurship",
    "partenariats public-prive": "public-private partnerships",
    "gouvernance d'entreprise": "corporate governance",
    "action humanitaire": "humanitarian response",
    "protection sociale": "social protection",
}


def _french_pattern() -> re.Pattern[str]:
    alts = "|".join(re.escape(k) for k in sorted(_FRENCH_SKILLS, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")


_FRENCH_RE = _french_pattern()


# Words the vocabulary reads as a skill that, in a CV, usually mean something else: French
# "chef de projet" is a project manager, not a cook ("chef" → culinary arts), and a hospital's
# "theatre" is an operating room, not the performing arts.
_FALSE_FRIENDS = (
    re.compile(r"\bchef(?:fe)?s?\s+(?=d['’e]|du\b|des\b)", re.IGNORECASE),
    re.compile(
        r"\b(?:operating\s+)?theat(?:re|er)\s+(?=support|nurse|nursing|list|staff|team)|"
        r"\boperating\s+theat(?:re|er)s?\b",
        re.IGNORECASE,
    ),
)


def skills_in(text: str) -> list[str]:
    """Return the canonical skills a piece of text names, in either language."""
    for pattern in _FALSE_FRIENDS:
        text = pattern.sub(" ", text)
    found = list(vocabulary.find_in_text(text))
    for match in _FRENCH_RE.finditer(fold(text)):
        canonical = vocabulary.canonical_for(_FRENCH_SKILLS[match.group(0)])
        if canonical and canonical not in found:
            found.append(canonical)
    return found


def _skill_item(item: str) -> str | None:
    """The canonical skill one listed item names ("HEC-RAS (modélisation hydraulique)")."""
    item = _tidy(item)
    if not item or len(item) > 80:
        return None
    if item == "R":  # in a list of skills, the programming language
        return vocabulary.canonical_for("r language")
    canonical = vocabulary.canonical_for(item)
    if canonical:
        return canonical
    french = _FRENCH_SKILLS.get(fold(item))
    if french:
        return vocabulary.canonical_for(french)
    return None


def _months_between(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def _level_for(years: int) -> str:
    if years >= 10:
        return "expert"
    if years >= 5:
        return "advanced"
    if years >= 2:
        return "intermediate"
    return "beginner"


def read_skills(
    skill_lines: list[str],
    other_text: str,
    experience: list[ExperienceSuggestion],
    today: date,
) -> list[SkillSuggestion]:
    """Skills from the skills section (confident) and the rest of the text (less so), with
    years summed over the experience entries whose title or description names them."""
    listed: list[str] = []
    for line in skill_lines:
        body = _strip_bullet(line)
        if ":" in body and len(body.split(":", 1)[0].split()) <= 4:
            body = body.split(":", 1)[1]
        for item in re.split(r"[,;•·|/]|\s+[–—-]\s+|\s+et\s+|\s+and\s+(?=[A-Z])", body):
            canonical = _skill_item(item)
            if canonical and canonical not in listed:
                listed.append(canonical)
        for canonical in _specific(skills_in(body)):
            if canonical not in listed:
                listed.append(canonical)
    mentioned = _specific([s for s in skills_in(other_text) if s not in listed])
    by_entry = [
        (entry, set(skills_in(f"{entry.title}\n{entry.description}"))) for entry in experience
    ]
    out = []
    for name in listed + mentioned:
        months = 0
        spans: list[tuple[date, date]] = []
        for entry, names in by_entry:
            if name in names and entry.start:
                spans.append((entry.start, entry.end or today))
        months = _union_months(spans)
        years = months // 12
        in_experience = bool(spans)
        confidence = 0.85 if name in listed else (0.7 if in_experience else 0.5)
        out.append(
            SkillSuggestion(
                name=name,
                level=_level_for(years) if in_experience else "intermediate",
                years=min(years, 60),
                confidence=confidence,
            )
        )
    return out


def _broad_concepts() -> frozenset[str]:
    """One-word concepts that are part of at least two others' names ("nursing", "energy"):
    the vocabulary holds them so that members can type a field, but found in a CV's running
    text (often inside an employer's name) they say little."""
    if not _BROAD:
        names = [set(n.split()) for n in vocabulary.get_vocabulary().canonicals]
        _BROAD.append(
            frozenset(
                n
                for n in vocabulary.get_vocabulary().canonicals
                if " " not in n and sum(set(n.split()) < other for other in names) >= 2
            )
        )
    return _BROAD[0]


_BROAD: list[frozenset[str]] = []


def _specific(mentioned: list[str]) -> list[str]:
    """Drop broad concepts a scan of running text found (see _broad_concepts)."""
    broad = _broad_concepts()
    return [name for name in mentioned if name not in broad]


def _union_months(spans: list[tuple[date, date]]) -> int:
    """Months covered by the spans, overlaps counted once."""
    total = 0
    current: tuple[date, date] | None = None
    for start, end in sorted(spans):
        if current is None or start > current[1]:
            if current is not None:
                total += _months_between(*current)
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += _months_between(*current)
    return total


# --------------------------------------------------------------------------- contacts

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINKEDIN = re.compile(r"linkedin\.com/in/[\w%-]+/?", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(\+?\(?\d[\d ().-]{7,18}\d)(?![\w])")


def read_contacts(lines: list[str]) -> Contacts:
    """Return the first e-mail, phone number and LinkedIn address in the text."""
    text = "\n".join(lines)
    contacts = Contacts()
    email = _EMAIL.search(text)
    if email:
        contacts.email = email.group(0).rstrip(".").lower()
    linkedin = _LINKEDIN.search(text)
    if linkedin:
        contacts.linkedin = "https://www." + linkedin.group(0).rstrip("/").lower()
    for line in lines:
        if _RANGE.search(fold(line)) and not re.search(r"(tel|phone|\+|mobile|gsm)", fold(line)):
            continue
        for match in _PHONE.finditer(line):
            digits = re.sub(r"\D", "", match.group(1))
            if 9 <= len(digits) <= 15 and not _YEAR_RE.fullmatch(digits[:4] + ""):
                contacts.phone = _SPACES.sub(" ", match.group(1)).strip()
                break
            if 9 <= len(digits) <= 15:
                contacts.phone = _SPACES.sub(" ", match.group(1)).strip()
                break
        if contacts.phone:
            break
    return contacts


# --------------------------------------------------------------------------- language of the CV

_FRENCH_MARKERS = re.compile(
    r"\b(et|des|les|du|de la|pour|avec|dans|experience|formation|competences|langues|"
    r"aujourd'hui|depuis|gestion|annee|chez|au sein)\b"
)
_ENGLISH_MARKERS = re.compile(
    r"\b(and|the|of|for|with|in|experience|education|skills|languages|present|since|"
    r"management|at)\b"
)


def detect_language(text: str) -> str:
    folded = fold(text)
    french = len(_FRENCH_MARKERS.findall(folded))
    english = len(_ENGLISH_MARKERS.findall(folded))
    return "fr" if french > english else "en"


# --------------------------------------------------------------------------- entry point


def read_cv(text: str, today: date | None = None) -> CVReading:
    """Read a CV's plain text into suggestions; never raises on odd text."""
    today = today or datetime.now(UTC).date()
    # PDF text may carry decomposed accents (e + U+0301); the vocabulary's word boundaries
    # would then split "réanimation" before "animation".
    text = unicodedata.normalize("NFC", text)
    lines = _clean_lines(text[:200_000])
    sections = split_sections(lines)
    by_kind: dict[str, list[str]] = {}
    for kind, body in sections:
        by_kind.setdefault(kind, []).extend(body)
    reading = CVReading(language=detect_language(text[:20_000]))
    # Entry lines outside their section (Word tables read after the paragraphs, two columns
    # read in the wrong order) still carry a date range; they count as experience unless a
    # degree word says education.
    stray_experience: list[str] = []
    for kind, body in sections:
        if kind in ("experience", "education"):
            continue
        for line in body:
            if "|" in line and find_range(line) and not _DEGREE.search(fold(line)):
                stray_experience.append(line)
    # A CV without headings (or with headings the reader does not know) is read whole.
    unsorted = by_kind.get("head", []) + by_kind.get("other", [])
    experience_lines = by_kind.get("experience", []) + stray_experience
    if "experience" not in by_kind:
        experience_lines = [
            line for line in unsorted if not _DEGREE.search(fold(line))
        ] + stray_experience
    reading.experience = _dedupe_experience(read_experience(experience_lines))
    education_lines = by_kind.get("education", []) + [
        line
        for kind, body in sections
        if kind not in ("education", "experience")
        for line in body
        if "|" in line and _DEGREE.search(fold(line))
    ]
    if "education" not in by_kind:
        education_lines += [
            line for line in unsorted if not find_range(line) or _DEGREE.search(fold(line))
        ]
    reading.education = read_education(education_lines)
    if "languages" in by_kind:
        reading.languages = read_languages(by_kind["languages"])
    else:
        reading.languages = languages_from_names(text)
    other_text = "\n".join(
        [
            line
            for kind, body in sections
            if kind not in ("skills", "languages", "education")
            for line in body
        ]
        + stray_experience
    )
    reading.skills = read_skills(by_kind.get("skills", []), other_text, reading.experience, today)
    reading.contacts = read_contacts(lines)
    return reading


def _dedupe_experience(entries: list[ExperienceSuggestion]) -> list[ExperienceSuggestion]:
    seen: set[tuple[str, date | None]] = set()
    out = []
    for entry in entries:
        key = (fold(entry.title), entry.start)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out
