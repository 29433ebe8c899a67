"""Seeded, dependency-light generator of coherent demo professionals, institutions and needs."""

from __future__ import annotations

import bisect
import random
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from faker import Faker

from app.reference.districts import DISTRICTS
from app.reference.sectors import Sector

T = TypeVar("T")

DEFAULT_SEED = 20261201
# Diaspora availability windows are drawn from this span (the programme's first cohorts).
WINDOW_START = date(2026, 12, 1)
WINDOW_END = date(2028, 6, 30)
REGISTRATION_START = date(2025, 3, 1)
REGISTRATION_END = date(2026, 11, 15)
CURRENT_YEAR = 2026

SKILL_LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced", "expert")
SENIORITIES: tuple[str, ...] = ("junior", "mid", "senior", "executive")
TIES: tuple[str, ...] = ("citizen", "rwandan_origin", "friend")
GENDERS: tuple[str | None, ...] = ("female", "male", "prefer_not_to_say", None)
INSTITUTION_TYPES: tuple[str, ...] = (
    "ministry_agency",
    "district_authority",
    "public_hospital",
    "university_tvet",
    "research_institute",
    "private_company",
    "cooperative",
    "ngo",
)
OFFERS: tuple[str, ...] = ("travel", "accommodation", "stipend", "none")


# --------------------------------------------------------------------------- dataclasses


@dataclass(slots=True)
class DemoEducation:
    """One degree of a professional."""

    degree: str
    field: str
    institution: str
    country: str
    graduation_year: int


@dataclass(slots=True)
class DemoWork:
    """One job of a professional; end is None for the current job."""

    title: str
    employer: str
    country: str
    start: date
    end: date | None
    description: str


@dataclass(slots=True)
class DemoAvailability:
    """When and how a professional can contribute."""

    mode: str  # remote | onsite | both
    windows: list[tuple[date, date]]
    hours_per_week: int
    onsite_weeks: int
    willing_to_mentor: bool
    open_to_paid: bool
    open_to_unpaid: bool


@dataclass(slots=True)
class DemoConsents:
    """Data-protection consents captured at registration."""

    matching: bool
    newsletters: bool
    statistics: bool


@dataclass(slots=True)
class DemoProfessional:
    """A coherent diaspora professional profile built from an occupation template."""

    email: str
    full_name: str
    preferred_name: str
    gender: str | None
    birth_year: int
    phone: str
    country: str
    city: str
    timezone: str
    tie_to_rwanda: str
    languages: list[tuple[str, str]]
    education: list[DemoEducation]
    experience: list[DemoWork]
    skills: list[tuple[str, str, int]]
    sectors: list[str]
    headline: str
    bio: str
    availability: DemoAvailability
    seniority: str
    years_experience: int
    consents: DemoConsents
    registered_at: date
    occupation: str


@dataclass(slots=True)
class DemoContact:
    """The institution member who posts and follows up needs."""

    name: str
    email: str
    title: str


@dataclass(slots=True)
class DemoInstitution:
    """A Rwandan host institution."""

    name: str
    short_name: str
    type: str
    sector: str
    district: str
    address: str
    website: str
    email_domain: str
    contact: DemoContact
    other_sectors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DemoNeed:
    """A knowledge-transfer placement (terms of reference) posted by an institution."""

    institution_index: int
    title: str
    background: str
    objectives: str
    deliverables: list[str]
    success_criteria: str
    required_skills: list[tuple[str, str]]  # (canonical skill, "must" | "nice")
    sector: str
    mode: str  # remote | onsite | hybrid
    district: str | None
    site: str | None
    start: date
    end: date
    duration_weeks: int
    hours_per_week: int
    languages: list[tuple[str, str]]
    people_needed: int
    offers: list[str]
    application_deadline: date
    contact_person: str
    template: str


# --------------------------------------------------------------------------- countries


@dataclass(frozen=True, slots=True)
class _City:
    """A city of residence with its IANA zone and, for NANP countries, its area codes."""

    name: str
    tz: str
    area_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Country:
    """Residence country: weight, cities, phone plan, name locale and universities."""

    code: str
    weight: float
    cities: tuple[_City, ...]
    calling_code: str
    mobile_prefixes: tuple[str, ...]
    nsn_length: int  # national significant number length, prefix included
    locales: tuple[str, ...]
    languages: tuple[str, ...]
    universities: tuple[str, ...]


def _cities(tz: str, *names: str) -> tuple[_City, ...]:
    """Return cities that share one zone."""
    return tuple(_City(n, tz) for n in names)


_NANP = ""  # North American numbers use the city's area code instead of a mobile prefix.

# fmt: off
_COUNTRIES: tuple[_Country, ...] = (
    _Country(
        "CA", 14, (
            _City("Montreal", "America/Toronto", ("514", "438")),
            _City("Toronto", "America/Toronto", ("416", "647")),
            _City("Ottawa", "America/Toronto", ("613",)),
            _City("Quebec City", "America/Toronto", ("418",)),
            _City("Gatineau", "America/Toronto", ("819",)),
            _City("Vancouver", "America/Vancouver", ("604",)),
            _City("Calgary", "America/Edmonton", ("403",)),
            _City("Edmonton", "America/Edmonton", ("780",)),
            _City("Winnipeg", "America/Winnipeg", ("204",)),
            _City("Halifax", "America/Halifax", ("902",)),
        ), "1", (_NANP,), 10, ("en_CA", "fr_CA"), ("en", "fr"),
        ("McGill University", "Université de Montréal", "University of Toronto",
         "University of Ottawa", "Université Laval", "University of British Columbia",
         "Concordia University", "University of Alberta"),
    ),
    _Country(
        "US", 16, (
            _City("Dallas", "America/Chicago", ("214", "469")),
            _City("Houston", "America/Chicago", ("713", "832")),
            _City("Austin", "America/Chicago", ("512",)),
            _City("Chicago", "America/Chicago", ("312", "773")),
            _City("Minneapolis", "America/Chicago", ("612",)),
            _City("New York", "America/New_York", ("212", "646", "718")),
            _City("Boston", "America/New_York", ("617",)),
            _City("Washington", "America/New_York", ("202",)),
            _City("Atlanta", "America/New_York", ("404", "678")),
            _City("Charlotte", "America/New_York", ("704",)),
            _City("Columbus", "America/New_York", ("614",)),
            _City("Raleigh", "America/New_York", ("919",)),
            _City("Philadelphia", "America/New_York", ("215",)),
            _City("Indianapolis", "America/Indiana/Indianapolis", ("317",)),
            _City("Louisville", "America/Kentucky/Louisville", ("502",)),
            _City("Denver", "America/Denver", ("303",)),
            _City("Phoenix", "America/Phoenix", ("602",)),
            _City("Seattle", "America/Los_Angeles", ("206",)),
            _City("Los Angeles", "America/Los_Angeles", ("213", "310")),
            _City("Portland", "America/Los_Angeles", ("503",)),
        ), "1", (_NANP,), 10, ("en_US",), ("en",),
        ("University of Texas at Austin", "Howard University", "Georgia Institute of Technology",
         "University of Michigan", "Ohio State University", "Boston University",
         "Johns Hopkins University", "University of Minnesota", "Columbia University"),
    ),
    _Country(
        "BE", 12, _cities("Europe/Brussels", "Brussels", "Liège", "Ghent", "Antwerp", "Namur",
                          "Louvain-la-Neuve", "Leuven", "Charleroi"),
        "32", ("470", "471", "472", "473", "475", "476", "477", "478", "479", "484", "485",
               "486", "487", "488", "489", "491", "492", "493", "494", "495", "496", "497",
               "498", "499"), 9, ("fr_BE", "nl_BE"), ("fr", "nl"),
        ("Université catholique de Louvain", "KU Leuven", "Université libre de Bruxelles",
         "Ghent University", "Université de Liège", "University of Antwerp"),
    ),
    _Country(
        "FR", 9, _cities("Europe/Paris", "Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux",
                         "Lille", "Nantes", "Strasbourg", "Montpellier", "Rennes"),
        "33", ("60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"), 9,
        ("fr_FR",), ("fr",),
        ("Sorbonne Université", "Université Paris Cité", "Université Claude Bernard Lyon 1",
         "Université de Bordeaux", "Sciences Po", "Université de Lille", "École Polytechnique"),
    ),
    _Country(
        "GB", 9, _cities("Europe/London", "London", "Manchester", "Birmingham", "Leeds",
                         "Glasgow", "Edinburgh", "Bristol", "Coventry", "Reading", "Cardiff"),
        "44", ("71", "72", "73"), 10, ("en_GB",), ("en",),
        ("University of Manchester", "University College London", "University of Leeds",
         "London School of Hygiene & Tropical Medicine", "University of Edinburgh",
         "University of Birmingham", "King's College London", "SOAS University of London"),
    ),
    _Country(
        "DE", 5, _cities("Europe/Berlin", "Berlin", "Munich", "Frankfurt am Main", "Hamburg",
                         "Cologne", "Stuttgart", "Bonn", "Aachen"),
        "49", ("151", "152", "157", "159", "176"), 11, ("de_DE",), ("de",),
        ("Technical University of Munich", "Humboldt University of Berlin",
         "Heidelberg University", "RWTH Aachen University", "University of Bonn"),
    ),
    _Country(
        "NL", 5, _cities("Europe/Amsterdam", "Amsterdam", "Rotterdam", "The Hague", "Utrecht",
                         "Eindhoven", "Wageningen", "Delft", "Groningen"),
        "31", ("61", "62", "63", "64", "65"), 9, ("nl_NL",), ("nl",),
        ("Delft University of Technology", "Wageningen University & Research",
         "University of Amsterdam", "Erasmus University Rotterdam", "Maastricht University"),
    ),
    _Country(
        "SE", 3, _cities("Europe/Stockholm", "Stockholm", "Gothenburg", "Malmö", "Uppsala",
                         "Västerås", "Linköping"),
        "46", ("70", "72", "73", "76"), 9, ("sv_SE",), ("sv",),
        ("Karolinska Institutet", "KTH Royal Institute of Technology", "Lund University",
         "Uppsala University", "Chalmers University of Technology"),
    ),
    _Country(
        "KE", 4, _cities("Africa/Nairobi", "Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret"),
        "254", ("70", "71", "72", "79"), 9, ("sw",), ("sw",),
        ("University of Nairobi", "Strathmore University", "Kenyatta University",
         "Jomo Kenyatta University of Agriculture and Technology"),
    ),
    _Country(
        "UG", 4, _cities("Africa/Kampala", "Kampala", "Entebbe", "Mbarara", "Gulu", "Jinja"),
        "256", ("70", "75", "77", "78"), 9, ("sw",), ("sw",),
        ("Makerere University", "Mbarara University of Science and Technology",
         "Uganda Christian University", "Kyambogo University"),
    ),
    _Country(
        "ZA", 3, _cities("Africa/Johannesburg", "Johannesburg", "Cape Town", "Pretoria", "Durban",
                         "Stellenbosch"),
        "27", ("71", "72", "73", "76", "78", "82", "83", "84"), 9, ("en_GB",), ("en",),
        ("University of Cape Town", "University of the Witwatersrand", "Stellenbosch University",
         "University of Pretoria", "University of KwaZulu-Natal"),
    ),
    _Country(
        "AE", 3, _cities("Asia/Dubai", "Dubai", "Abu Dhabi", "Sharjah"),
        "971", ("50", "52", "54", "55", "56", "58"), 9, ("en_US",), ("ar",),
        ("Khalifa University", "American University of Sharjah", "University of Dubai"),
    ),
    _Country(
        "CN", 2, _cities("Asia/Shanghai", "Beijing", "Shanghai", "Guangzhou", "Shenzhen",
                         "Hangzhou", "Wuhan", "Nanjing"),
        "86", ("138", "139", "135", "136", "186", "188", "150", "151", "158"), 11, ("en_US",),
        ("zh",),
        ("Tsinghua University", "Zhejiang University", "Huazhong University of Science and "
         "Technology", "Beijing Jiaotong University", "Nanjing University"),
    ),
    _Country(
        "JP", 1.5, _cities("Asia/Tokyo", "Tokyo", "Osaka", "Kyoto", "Nagoya", "Yokohama",
                           "Fukuoka"),
        "81", ("801", "802", "803", "805", "806", "807", "808", "809", "901", "902", "903",
               "905", "906", "907", "908", "909"), 10, ("en_US",), ("ja",),
        ("University of Tokyo", "Kyoto University", "Nagoya University", "Kobe University"),
    ),
    _Country(
        "AU", 2, (
            _City("Sydney", "Australia/Sydney"),
            _City("Canberra", "Australia/Sydney"),
            _City("Melbourne", "Australia/Melbourne"),
            _City("Brisbane", "Australia/Brisbane"),
            _City("Perth", "Australia/Perth"),
            _City("Adelaide", "Australia/Adelaide"),
        ), "61", ("40", "41", "42", "43"), 9, ("en_AU",), ("en",),
        ("University of Sydney", "University of Melbourne", "Monash University",
         "University of Queensland", "Australian National University"),
    ),
    _Country(
        "CH", 1.5, _cities("Europe/Zurich", "Geneva", "Zurich", "Lausanne", "Bern", "Basel"),
        "41", ("75", "76", "77", "78", "79"), 9, ("fr_CH", "de_CH"), ("fr", "de"),
        ("University of Geneva", "ETH Zurich", "EPFL", "University of Bern"),
    ),
    _Country(
        "IT", 1, _cities("Europe/Rome", "Rome", "Milan", "Turin", "Bologna", "Florence"),
        "39", ("320", "328", "329", "330", "333", "335", "338", "339", "340", "345", "347",
               "348", "349", "380", "388", "392", "393"), 10, ("it_IT",), ("it",),
        ("Sapienza University of Rome", "Politecnico di Milano", "University of Bologna"),
    ),
    _Country(
        "ES", 0.7, _cities("Europe/Madrid", "Madrid", "Barcelona", "Valencia", "Seville"),
        "34", ("6",), 9, ("es_ES",), ("es",),
        ("Complutense University of Madrid", "University of Barcelona",
         "Polytechnic University of Valencia"),
    ),
    _Country(
        "NO", 0.7, _cities("Europe/Oslo", "Oslo", "Bergen", "Trondheim"),
        "47", ("40", "41", "46", "47", "48", "90", "91", "92", "93", "94", "95", "96",
               "97", "98", "99"), 8, ("no_NO",), ("no",),
        ("University of Oslo", "Norwegian University of Science and Technology",
         "University of Bergen"),
    ),
    _Country(
        "DK", 0.7, _cities("Europe/Copenhagen", "Copenhagen", "Aarhus", "Odense"),
        "45", ("26", "27", "28"), 8, ("da_DK",), ("da",),
        ("University of Copenhagen", "Aarhus University", "Technical University of Denmark"),
    ),
    _Country(
        "IE", 0.7, _cities("Europe/Dublin", "Dublin", "Cork", "Galway", "Limerick"),
        "353", ("83", "85", "86", "87", "89"), 9, ("en_IE",), ("en",),
        ("Trinity College Dublin", "University College Dublin", "University College Cork"),
    ),
    _Country(
        "FI", 0.4, _cities("Europe/Helsinki", "Helsinki", "Espoo", "Tampere"),
        "358", ("40", "41", "44", "45", "50"), 9, ("fi_FI",), ("fi",),
        ("University of Helsinki", "Aalto University", "Tampere University"),
    ),
    _Country(
        "TZ", 1.5, _cities("Africa/Dar_es_Salaam", "Dar es Salaam", "Arusha", "Dodoma",
                           "Mwanza"),
        "255", ("65", "68", "71", "74", "75", "76", "78"), 9, ("sw",), ("sw",),
        ("University of Dar es Salaam", "Muhimbili University of Health and Allied Sciences",
         "Sokoine University of Agriculture"),
    ),
    _Country(
        "BI", 1, _cities("Africa/Bujumbura", "Bujumbura", "Gitega"),
        "257", ("61", "62", "68", "69", "71", "72", "75", "76", "79"), 8, ("fr_FR",),
        ("fr", "sw"),
        ("Université du Burundi", "Université Lumière de Bujumbura"),
    ),
    _Country(
        "CD", 1, (
            _City("Goma", "Africa/Lubumbashi"),
            _City("Bukavu", "Africa/Lubumbashi"),
            _City("Lubumbashi", "Africa/Lubumbashi"),
            _City("Kinshasa", "Africa/Kinshasa"),
        ), "243", ("81", "82", "84", "85", "89", "97", "99"), 9, ("fr_FR",), ("fr", "sw"),
        ("Université de Kinshasa", "Université Libre des Pays des Grands Lacs",
         "Université de Lubumbashi"),
    ),
    _Country(
        "NG", 0.7, _cities("Africa/Lagos", "Lagos", "Abuja", "Ibadan"),
        "234", ("803", "806", "813", "816", "703", "706", "803", "805", "807", "809", "802",
                "808", "812", "902", "906"), 10, ("en_US",), ("en",),
        ("University of Lagos", "University of Ibadan", "Ahmadu Bello University"),
    ),
    _Country(
        "GH", 0.5, _cities("Africa/Accra", "Accra", "Kumasi"),
        "233", ("20", "24", "26", "27", "50", "54", "55"), 9, ("en_US",), ("en",),
        ("University of Ghana", "Kwame Nkrumah University of Science and Technology"),
    ),
    _Country(
        "ET", 0.5, _cities("Africa/Addis_Ababa", "Addis Ababa"),
        "251", ("91", "92", "93", "94"), 9, ("en_US",), ("am",),
        ("Addis Ababa University",),
    ),
    _Country(
        "IN", 1, _cities("Asia/Kolkata", "Bengaluru", "New Delhi", "Mumbai", "Pune", "Chennai"),
        "91", ("98", "99", "97", "96", "94", "93", "91", "90", "88", "87", "81", "70", "73",
               "79", "63"), 10, ("en_IN",), ("hi",),
        ("Indian Institute of Technology Delhi", "University of Delhi", "Manipal Academy of "
         "Higher Education", "Indian Institute of Science"),
    ),
    _Country(
        "KR", 0.5, _cities("Asia/Seoul", "Seoul", "Daejeon", "Busan"),
        "82", ("102", "103", "104", "106", "107", "108", "109"), 10, ("en_US",), ("ko",),
        ("KAIST", "Seoul National University", "Korea University"),
    ),
    _Country(
        "SG", 0.5, _cities("Asia/Singapore", "Singapore"),
        "65", ("81", "82", "83", "84", "85", "86", "87", "88", "90", "91", "92", "93", "94",
               "95", "96", "97", "98"), 8, ("en_US",), ("en",),
        ("National University of Singapore", "Nanyang Technological University"),
    ),
    _Country(
        "QA", 0.7, _cities("Asia/Qatar", "Doha"),
        "974", ("33", "55", "66", "77"), 8, ("en_US",), ("ar",),
        ("Qatar University", "Hamad Bin Khalifa University"),
    ),
    _Country(
        "SN", 0.4, _cities("Africa/Dakar", "Dakar", "Thiès"),
        "221", ("70", "76", "77", "78"), 9, ("fr_FR",), ("fr",),
        ("Université Cheikh Anta Diop",),
    ),
    _Country(
        "NZ", 0.4, (_City("Auckland", "Pacific/Auckland"), _City("Wellington", "Pacific/Auckland")),
        "64", ("21", "22", "27"), 9, ("en_NZ",), ("en",),
        ("University of Auckland", "Victoria University of Wellington"),
    ),
    _Country(
        "LU", 0.6, _cities("Europe/Luxembourg", "Luxembourg", "Esch-sur-Alzette"),
        "352", ("621", "661", "691"), 9, ("fr_FR", "de_DE"), ("fr", "de"),
        ("University of Luxembourg",),
    ),
    _Country(
        "AT", 0.5, _cities("Europe/Vienna", "Vienna", "Graz", "Innsbruck"),
        "43", ("664", "676", "650", "660"), 10, ("de_AT",), ("de",),
        ("University of Vienna", "TU Wien", "University of Graz"),
    ),
    _Country(
        "PL", 0.4, _cities("Europe/Warsaw", "Warsaw", "Kraków", "Wrocław"),
        "48", ("50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"), 9, ("pl_PL",),
        ("pl",),
        ("University of Warsaw", "Jagiellonian University"),
    ),
    _Country(
        "TR", 0.5, _cities("Europe/Istanbul", "Istanbul", "Ankara"),
        "90", ("530", "532", "533", "535", "536", "505", "506", "541", "542", "544", "545"), 10,
        ("tr_TR",), ("tr",),
        ("Istanbul Technical University", "Middle East Technical University"),
    ),
)
# fmt: on

# --------------------------------------------------------------------------- names

# (given name, gender): f, m or u (used for both). Rwandans commonly pair a Christian or French
# given name with a Kinyarwanda one, so both kinds appear here.
# fmt: off
_RW_GIVEN: tuple[tuple[str, str], ...] = (
    ("Aline", "f"), ("Ange", "f"), ("Uwase", "f"), ("Keza", "f"), ("Gaju", "f"),
    ("Teta", "f"), ("Ineza", "f"), ("Kamikazi", "f"), ("Umutoni", "f"), ("Mutesi", "f"),
    ("Kayitesi", "f"), ("Ingabire", "f"), ("Uwera", "f"), ("Umwali", "f"), ("Isimbi", "f"),
    ("Kirezi", "f"), ("Umuhoza", "f"), ("Uwamahoro", "f"), ("Mugeni", "f"), ("Umurerwa", "f"),
    ("Akaliza", "f"), ("Nyiraneza", "f"), ("Mukeshimana", "f"), ("Shimwa", "f"),
    ("Diane", "f"), ("Claudine", "f"), ("Solange", "f"), ("Vestine", "f"), ("Josiane", "f"),
    ("Marie Claire", "f"), ("Jeanne", "f"), ("Chantal", "f"), ("Clarisse", "f"),
    ("Divine", "f"), ("Grace", "f"), ("Esther", "f"), ("Francine", "f"), ("Sandrine", "f"),
    ("Liliane", "f"), ("Yvette", "f"),
    ("Mugisha", "m"), ("Gatete", "m"), ("Butera", "m"), ("Kwizera", "m"), ("Manzi", "m"),
    ("Rukundo", "m"), ("Mugabo", "m"), ("Ntwari", "m"), ("Gasana", "m"), ("Kalisa", "m"),
    ("Rwema", "m"), ("Shema", "m"), ("Hirwa", "m"), ("Cyusa", "m"), ("Ganza", "m"),
    ("Bruce", "m"), ("Eric", "m"), ("Olivier", "m"), ("Emmanuel", "m"), ("Jean Claude", "m"),
    ("Jean Paul", "m"), ("Innocent", "m"), ("Patrick", "m"), ("Fabrice", "m"), ("Didier", "m"),
    ("Alphonse", "m"), ("Théogène", "m"), ("Faustin", "m"), ("Aimable", "m"), ("Vincent", "m"),
    ("Ishimwe", "u"), ("Iradukunda", "u"), ("Tuyishime", "u"), ("Mahoro", "u"),
    ("Byukusenge", "u"), ("Akimana", "u"), ("Cyiza", "u"), ("Neza", "u"), ("Irakoze", "u"),
    ("Niyigena", "u"),
)
_RW_SURNAMES: tuple[str, ...] = (
    "Uwimana", "Mukamana", "Habimana", "Niyonzima", "Ndayisaba", "Uwase", "Mugisha",
    "Ishimwe", "Nshimiyimana", "Iradukunda", "Nkurunziza", "Hakizimana", "Niyomugabo",
    "Uwamahoro", "Mukeshimana", "Nsengiyumva", "Bizimana", "Ndagijimana", "Uwineza",
    "Mutabazi", "Kayitesi", "Mukandayisenga", "Nyirahabimana", "Murenzi", "Gasana",
    "Rutayisire", "Karangwa", "Kamanzi", "Gatera", "Mugabo", "Mutoni", "Umutoni", "Ingabire",
    "Uwera", "Munyaneza", "Nsabimana", "Hategekimana", "Tuyisenge", "Twagirayezu",
    "Uwayezu", "Nizeyimana", "Niyitegeka", "Ntirenganya", "Mbabazi", "Kwizera", "Manzi",
    "Rukundo", "Ndikumana", "Nsanzimana", "Musoni", "Kabera", "Rugamba", "Sebahire",
    "Semana", "Kalisa", "Mugenzi", "Byiringiro", "Dusabe", "Dushimimana", "Habiyaremye",
    "Harerimana", "Iyamuremye", "Mukiza", "Mushimiyimana", "Ndahiro", "Nkusi", "Ntwari",
    "Nzeyimana", "Rwema", "Sibomana", "Twizeyimana", "Uwamariya", "Uwitonze", "Bayingana",
    "Gakwaya", "Kanamugire", "Mugwaneza", "Tuyishime", "Nyiransabimana", "Umuhoza",
)
# East African names for friends of Rwanda living in the region.
_EA_GIVEN: tuple[tuple[str, str], ...] = (
    ("Amani", "u"), ("Baraka", "m"), ("Neema", "f"), ("Zawadi", "f"), ("Juma", "m"),
    ("Halima", "f"), ("Imani", "f"), ("Furaha", "f"), ("Wanjiku", "f"), ("Achieng", "f"),
    ("Otieno", "m"), ("Kamau", "m"), ("Njeri", "f"), ("Okello", "m"), ("Nakato", "f"),
    ("Mwajuma", "f"), ("Daudi", "m"), ("Rehema", "f"), ("Tumaini", "u"), ("Kato", "m"),
)
_EA_SURNAMES: tuple[str, ...] = (
    "Mwangi", "Otieno", "Kamau", "Wanjiru", "Ochieng", "Mutua", "Okello", "Namukasa",
    "Ssempala", "Mushi", "Mrema", "Kimaro", "Nakato", "Mugenyi", "Odhiambo", "Njoroge",
)
# fmt: on

# --------------------------------------------------------------------------- occupations


@dataclass(frozen=True, slots=True)
class _Occupation:
    """Template of a profession so generated profiles hang together."""

    key: str
    sector: str
    titles: tuple[str, str, str, str]  # junior, mid, senior, executive; "|" separates variants
    core: tuple[str, ...]
    nice: tuple[str, ...]
    degrees: tuple[tuple[str, str], ...]  # from first degree to most advanced
    employers: tuple[str, ...]  # "{city}" is replaced by the city of the job
    duties: tuple[str, ...]
    focus: str
    related: tuple[str, ...] = ()
    weight: float = 1.0


_S = Sector
# fmt: off
_OCCUPATIONS: tuple[_Occupation, ...] = (
    _Occupation(
        "paediatric_nurse", _S.HEALTH,
        ("Registered Nurse|Staff Nurse", "Paediatric Nurse|Paediatric Staff Nurse",
         "Senior Paediatric Nurse|Clinical Nurse Specialist, Paediatrics",
         "Nurse Manager, Paediatrics|Director of Nursing"),
        ("paediatric nursing", "neonatal intensive care", "neonatal resuscitation",
         "critical care nursing", "infection prevention and control", "maternal and child health",
         "paediatric oncology", "medical education"),
        ("quality improvement", "mentoring and coaching", "training of trainers",
         "hospital accreditation", "electronic medical records"),
        (("BSc", "Nursing"), ("MSc", "Paediatric Nursing"), ("MSc", "Nursing Education")),
        ("{city} Children's Hospital", "{city} General Hospital", "{city} University Hospital",
         "{city} Regional Health Authority"),
        ("Provided family-centred care to children and neonates",
         "Precepted newly hired nurses and nursing students",
         "Led the unit's infection prevention audits",
         "Coordinated neonatal transfers and resuscitation drills"),
        "paediatric and neonatal nursing", (_S.EDUCATION,), 1.6,
    ),
    _Occupation(
        "midwife", _S.HEALTH,
        ("Staff Midwife", "Midwife", "Senior Midwife|Clinical Midwife Specialist",
         "Head of Midwifery"),
        ("midwifery", "maternal and child health", "neonatal resuscitation",
         "obstetrics and gynaecology", "infection prevention and control", "medical education"),
        ("quality improvement", "training of trainers", "public health", "mentoring and coaching"),
        (("BSc", "Midwifery"), ("MSc", "Maternal and Newborn Health")),
        ("{city} Maternity Hospital", "{city} General Hospital", "{city} Women's Health Centre"),
        ("Managed normal and high-risk deliveries", "Ran antenatal education sessions",
         "Trained junior midwives on emergency obstetric care"),
        "maternal and newborn care", (_S.EDUCATION,), 0.8,
    ),
    _Occupation(
        "physician", _S.HEALTH,
        ("Resident Physician", "Physician|Internal Medicine Physician",
         "Consultant Physician|Senior Internist", "Chief Medical Officer|Head of Medicine"),
        ("internal medicine", "cardiology", "nephrology and dialysis", "emergency medicine",
         "medical education", "clinical research", "oncology"),
        ("quality improvement", "hospital management", "mentoring and coaching",
         "telemedicine", "biostatistics"),
        (("MD", "Medicine"), ("Residency", "Internal Medicine"), ("MPH", "Public Health")),
        ("{city} University Hospital", "{city} General Hospital", "{city} Medical Centre",
         "Médecins Sans Frontières"),
        ("Managed an inpatient internal medicine service", "Supervised residents and interns",
         "Set up a dialysis follow-up clinic", "Contributed to multicentre clinical trials"),
        "internal medicine and specialist care", (_S.EDUCATION,), 1.2,
    ),
    _Occupation(
        "surgeon", _S.HEALTH,
        ("Surgical Resident", "Surgeon|General Surgeon", "Consultant Surgeon",
         "Chief of Surgery"),
        ("general surgery", "orthopaedic surgery", "anaesthesiology", "emergency medicine",
         "medical education", "infection prevention and control"),
        ("hospital management", "quality improvement", "mentoring and coaching",
         "clinical research"),
        (("MD", "Medicine"), ("Residency", "General Surgery"), ("Fellowship", "Trauma Surgery")),
        ("{city} University Hospital", "{city} Trauma Centre", "{city} General Hospital"),
        ("Performed elective and emergency surgery", "Led the surgical skills simulation lab",
         "Audited surgical site infections"),
        "surgical care and training", (), 0.8,
    ),
    _Occupation(
        "anaesthetist", _S.HEALTH,
        ("Anaesthesia Resident", "Anaesthesiologist", "Consultant Anaesthesiologist",
         "Head of Anaesthesia and Critical Care"),
        ("anaesthesiology", "critical care nursing", "emergency medicine", "medical education",
         "infection prevention and control"),
        ("quality improvement", "training of trainers", "biomedical equipment maintenance"),
        (("MD", "Medicine"), ("Residency", "Anaesthesiology")),
        ("{city} University Hospital", "{city} General Hospital"),
        ("Provided anaesthesia for major surgery", "Ran the ICU sedation protocol review",
         "Taught airway management to residents"),
        "anaesthesia and critical care", (), 0.5,
    ),
    _Occupation(
        "lab_scientist", _S.HEALTH,
        ("Medical Laboratory Technologist", "Medical Laboratory Scientist",
         "Senior Laboratory Scientist|Laboratory Quality Manager",
         "Director of Laboratory Services"),
        ("medical laboratory quality management", "clinical microbiology", "haematology",
         "infection prevention and control", "hospital accreditation", "biostatistics"),
        ("quality improvement", "standard operating procedures development",
         "training of trainers", "quality management systems"),
        (("BSc", "Biomedical Laboratory Sciences"), ("MSc", "Clinical Microbiology")),
        ("{city} University Hospital", "{city} Public Health Laboratory", "LifeLabs {city}",
         "{city} Reference Laboratory"),
        ("Prepared the laboratory for ISO 15189 accreditation",
         "Validated new microbiology assays", "Trained technologists on quality control"),
        "laboratory quality and diagnostics", (_S.MANUFACTURING,), 0.9,
    ),
    _Occupation(
        "epidemiologist", _S.HEALTH,
        ("Epidemiology Analyst", "Epidemiologist", "Senior Epidemiologist",
         "Director of Epidemiology"),
        ("epidemiology", "public health", "biostatistics", "health information systems (dhis2)",
         "maternal and child health", "clinical research"),
        ("statistical analysis", "r programming", "monitoring and evaluation", "survey design",
         "data visualisation", "grant writing"),
        (("BSc", "Biology"), ("MPH", "Epidemiology"), ("PhD", "Epidemiology")),
        ("{city} Public Health Agency", "World Health Organization", "{city} School of Public "
         "Health", "UNICEF"),
        ("Led outbreak investigations and surveillance reviews",
         "Analysed immunisation coverage data", "Published studies on maternal health"),
        "epidemiology and public health", (_S.ICT,), 1.0,
    ),
    _Occupation(
        "pharmacist", _S.HEALTH,
        ("Pharmacist Intern", "Pharmacist|Clinical Pharmacist", "Senior Clinical Pharmacist",
         "Director of Pharmacy"),
        ("pharmacy practice", "pharmacovigilance", "infection prevention and control",
         "hospital accreditation", "clinical research"),
        ("quality management systems", "logistics and supply chain management",
         "pharmaceutical manufacturing", "training of trainers"),
        (("PharmD", "Pharmacy"), ("MSc", "Clinical Pharmacy")),
        ("{city} General Hospital", "{city} University Hospital", "{city} Community Pharmacy"),
        ("Ran antimicrobial stewardship rounds", "Reported adverse drug reactions",
         "Managed hospital formulary reviews"),
        "pharmacy and medicines safety", (_S.MANUFACTURING,), 0.7,
    ),
    _Occupation(
        "health_informatics", _S.HEALTH,
        ("Health Data Analyst", "Health Informatics Specialist",
         "Senior Health Information Systems Advisor", "Chief Health Information Officer"),
        ("health information systems (dhis2)", "electronic medical records", "telemedicine",
         "public health", "biostatistics"),
        ("data analysis", "database administration", "python programming",
         "data protection and privacy", "project management", "business intelligence"),
        (("BSc", "Computer Science"), ("MSc", "Health Informatics")),
        ("{city} Health Authority", "{city} University Hospital", "World Health Organization",
         "{city} Digital Health Agency"),
        ("Rolled out an electronic medical records system",
         "Configured DHIS2 dashboards for district managers",
         "Trained clinicians on data quality"),
        "digital health and health information systems", (_S.ICT,), 0.8,
    ),
    _Occupation(
        "biomedical_engineer", _S.HEALTH,
        ("Biomedical Technician", "Biomedical Engineer", "Senior Biomedical Engineer",
         "Head of Clinical Engineering"),
        ("biomedical equipment maintenance", "radiology", "hospital management",
         "infection prevention and control"),
        ("maintenance engineering", "electrical installation", "training of trainers",
         "standard operating procedures development", "quality management systems"),
        (("BEng", "Biomedical Engineering"), ("MEng", "Clinical Engineering")),
        ("{city} University Hospital", "{city} General Hospital", "Siemens Healthineers",
         "GE HealthCare"),
        ("Maintained imaging and life-support equipment",
         "Set up a preventive maintenance programme", "Trained technicians on ventilators"),
        "medical equipment and clinical engineering", (_S.MANUFACTURING,), 0.6,
    ),
    _Occupation(
        "psychologist", _S.HEALTH,
        ("Psychology Associate", "Clinical Psychologist", "Senior Clinical Psychologist",
         "Director of Mental Health Services"),
        ("clinical psychology", "mental health and psychosocial support", "public health",
         "medical education"),
        ("conflict resolution and peacebuilding", "training of trainers", "qualitative research",
         "community development"),
        (("BA", "Psychology"), ("MSc", "Clinical Psychology"), ("PsyD", "Clinical Psychology")),
        ("{city} Mental Health Centre", "{city} University Hospital", "{city} Trauma Clinic"),
        ("Delivered trauma-focused therapy", "Supervised psychosocial counsellors",
         "Designed community mental health programmes"),
        "mental health and psychosocial support", (_S.EDUCATION,), 0.6,
    ),
    _Occupation(
        "lecturer_stem", _S.EDUCATION,
        ("Teaching Assistant", "Lecturer|Assistant Professor",
         "Senior Lecturer|Associate Professor", "Professor and Dean"),
        ("university teaching", "postgraduate supervision", "research methodology",
         "academic writing", "stem education", "mathematics teaching", "physics teaching",
         "higher education quality assurance"),
        ("grant writing", "curriculum design", "statistical analysis",
         "research and development management", "e-learning design"),
        (("BSc", "Mathematics"), ("MSc", "Applied Mathematics"), ("PhD", "Physics")),
        ("University of {city}", "{city} Institute of Technology", "{city} Polytechnic"),
        ("Taught undergraduate and graduate courses",
         "Supervised master's and doctoral theses", "Led a research group on applied modelling"),
        "university teaching and research", (_S.ICT,), 1.2,
    ),
    _Occupation(
        "tvet_instructor", _S.EDUCATION,
        ("TVET Instructor", "Senior TVET Instructor", "TVET Programme Coordinator",
         "Principal, Technical College"),
        ("tvet instruction", "competency based curriculum", "work-based learning",
         "tvet management", "teacher training", "assessment and examinations"),
        ("electrical installation", "welding and fabrication", "training of trainers",
         "entrepreneurship education", "industrial health and safety"),
        (("Diploma", "Electrical Technology"), ("BEd", "Technical Education"),
         ("MEd", "Vocational Education")),
        ("{city} Technical College", "{city} Vocational Training Centre",
         "{city} Community College"),
        ("Taught electrical installation and workshop safety",
         "Designed competency-based modules with employers",
         "Placed apprentices in local companies"),
        "technical and vocational education", (_S.MANUFACTURING, _S.ENERGY), 1.0,
    ),
    _Occupation(
        "curriculum_specialist", _S.EDUCATION,
        ("Education Officer", "Curriculum Specialist", "Senior Education Advisor",
         "Director of Curriculum and Standards"),
        ("curriculum design", "competency based curriculum", "assessment and examinations",
         "teacher training", "education policy", "literacy and numeracy",
         "education management information systems"),
        ("monitoring and evaluation", "policy writing", "e-learning design",
         "training of trainers", "gender mainstreaming"),
        (("BEd", "Education"), ("MA", "Curriculum and Instruction"), ("PhD", "Education Policy")),
        ("{city} School Board", "Ministry of Education", "UNESCO", "{city} Teachers' College"),
        ("Revised the primary mathematics curriculum",
         "Designed national assessment frameworks", "Ran teacher professional development"),
        "curriculum, assessment and teacher development", (_S.PUBLIC_ADMINISTRATION,), 1.0,
    ),
    _Occupation(
        "early_childhood", _S.EDUCATION,
        ("Early Childhood Educator", "Early Childhood Education Specialist",
         "Senior ECD Programme Manager", "Director of Early Learning"),
        ("early childhood education", "literacy and numeracy", "special needs education",
         "teacher training", "curriculum design"),
        ("community development", "maternal and child health", "monitoring and evaluation"),
        (("BEd", "Early Childhood Education"), ("MEd", "Inclusive Education")),
        ("{city} Early Learning Centre", "{city} School Board", "Save the Children"),
        ("Ran play-based early learning classrooms", "Coached early childhood teachers",
         "Adapted lessons for children with disabilities"),
        "early childhood and inclusive education", (_S.HEALTH,), 0.6,
    ),
    _Occupation(
        "software_engineer", _S.ICT,
        ("Junior Software Developer", "Software Engineer", "Senior Software Engineer|Staff "
         "Software Engineer", "Engineering Director|CTO"),
        ("software engineering", "python programming", "javascript development",
         "backend development", "frontend development", "cloud infrastructure", "devops",
         "sql", "software architecture", "java programming", "mobile app development",
         "software testing and quality assurance", "agile scrum"),
        ("kubernetes", "mentoring and coaching", "product management", "startup incubation",
         "ui ux design", "data engineering"),
        (("BSc", "Computer Science"), ("MSc", "Software Engineering")),
        ("Shopify", "Microsoft", "Amazon", "{city} Fintech Labs", "Ubisoft", "SAP",
         "{city} Software Studio"),
        ("Built and operated backend services handling millions of requests",
         "Migrated a monolith to cloud-native services",
         "Mentored junior developers and ran code reviews"),
        "software engineering", (_S.FINANCE, _S.EDUCATION), 2.0,
    ),
    _Occupation(
        "data_scientist", _S.ICT,
        ("Data Analyst", "Data Scientist", "Senior Data Scientist|Lead Machine Learning Engineer",
         "Head of Data Science"),
        ("machine learning", "data science", "python programming", "deep learning",
         "natural language processing", "data analysis", "sql", "data engineering",
         "computer vision", "big data", "r programming"),
        ("statistical analysis", "data visualisation", "artificial intelligence strategy",
         "cloud infrastructure", "business intelligence"),
        (("BSc", "Statistics"), ("MSc", "Data Science"), ("PhD", "Machine Learning")),
        ("Google", "Element AI", "{city} Analytics", "IBM", "Mila", "Spotify"),
        ("Developed production machine-learning models",
         "Built NLP pipelines for customer support",
         "Set up experimentation and analytics infrastructure"),
        "data science and machine learning", (_S.HEALTH, _S.FINANCE, _S.AGRICULTURE), 1.4,
    ),
    _Occupation(
        "cybersecurity", _S.ICT,
        ("Security Analyst", "Cybersecurity Engineer", "Senior Cybersecurity Consultant",
         "Chief Information Security Officer"),
        ("cybersecurity risk assessment", "cybersecurity operations", "penetration testing",
         "information security management", "data protection and privacy",
         "network engineering", "linux system administration"),
        ("risk management", "compliance management", "cloud infrastructure", "training of "
         "trainers", "it service management"),
        (("BSc", "Computer Engineering"), ("MSc", "Information Security")),
        ("Deloitte", "{city} Cyber Defence Centre", "Thales", "Palo Alto Networks",
         "{city} Bank"),
        ("Ran ISO 27001 gap assessments", "Led incident response for a regional bank",
         "Performed penetration tests on government portals"),
        "cybersecurity", (_S.FINANCE, _S.PUBLIC_ADMINISTRATION), 1.0,
    ),
    _Occupation(
        "cloud_engineer", _S.ICT,
        ("Systems Administrator", "Cloud Engineer|DevOps Engineer",
         "Senior Site Reliability Engineer", "Head of Infrastructure"),
        ("cloud infrastructure", "devops", "kubernetes", "linux system administration",
         "network engineering", "database administration", "it service management"),
        ("python programming", "cybersecurity operations", "it project management",
         "digital transformation"),
        (("BSc", "Information Technology"), ("MSc", "Distributed Systems")),
        ("Amazon Web Services", "OVHcloud", "{city} Data Centre", "Red Hat", "Orange Business"),
        ("Automated infrastructure with infrastructure-as-code",
         "Ran Kubernetes clusters in production", "Designed disaster recovery for a data centre"),
        "cloud and infrastructure engineering", (_S.PUBLIC_ADMINISTRATION,), 0.9,
    ),
    _Occupation(
        "digital_gov", _S.ICT,
        ("IT Officer", "Digital Transformation Consultant", "Senior E-Government Advisor",
         "Chief Digital Officer"),
        ("e-government systems", "digital transformation", "it project management",
         "product management", "ui ux design", "data protection and privacy",
         "geographic information systems"),
        ("public sector reform", "change management", "citizen service delivery",
         "digital skills training", "stakeholder engagement"),
        (("BSc", "Information Systems"), ("MBA", "Digital Business")),
        ("Accenture", "Capgemini", "{city} City Council", "World Bank", "GovTech {city}"),
        ("Led the redesign of online citizen services", "Managed a national ID integration project",
         "Coached ministries on agile delivery"),
        "digital government", (_S.PUBLIC_ADMINISTRATION,), 0.8,
    ),
    _Occupation(
        "agronomist", _S.AGRICULTURE,
        ("Field Agronomist", "Agronomist", "Senior Agronomist|Crop Research Scientist",
         "Director of Agricultural Research"),
        ("agronomy", "soil science", "plant protection", "plant breeding", "seed systems",
         "agricultural extension", "climate-smart agriculture", "agricultural research",
         "potato seed production", "land husbandry", "horticulture"),
        ("monitoring and evaluation", "statistical analysis", "grant writing",
         "geographic information systems", "training of trainers"),
        (("BSc", "Agronomy"), ("MSc", "Crop Science"), ("PhD", "Plant Breeding")),
        ("{city} Agricultural Research Station", "CGIAR", "One Acre Fund",
         "International Potato Center", "Syngenta"),
        ("Ran multi-site variety trials", "Trained extension officers on integrated pest "
         "management", "Designed soil fertility programmes"),
        "crop science and extension", (_S.ENVIRONMENT,), 1.2,
    ),
    _Occupation(
        "irrigation_engineer", _S.AGRICULTURE,
        ("Irrigation Technician", "Irrigation Engineer", "Senior Irrigation Engineer",
         "Head of Water for Agriculture"),
        ("irrigation design", "land husbandry", "agricultural mechanisation", "soil science",
         "precision agriculture"),
        ("hydraulic engineering", "water resources management", "solar water pumping",
         "autocad drafting", "feasibility studies"),
        (("BEng", "Agricultural Engineering"), ("MSc", "Irrigation and Water Management")),
        ("{city} Water District", "Netafim", "FAO", "{city} Agricultural Engineering Ltd"),
        ("Designed hillside and drip irrigation schemes",
         "Supervised construction of small dams", "Trained water-user associations"),
        "irrigation and water for agriculture", (_S.INFRASTRUCTURE, _S.ENVIRONMENT), 0.8,
    ),
    _Occupation(
        "value_chain", _S.AGRICULTURE,
        ("Value Chain Analyst", "Agribusiness Specialist", "Senior Value Chain Advisor",
         "Director of Agribusiness"),
        ("agricultural value chain analysis", "coffee value chain",
         "coffee cupping and quality grading", "post-harvest loss reduction",
         "agribusiness management", "agricultural cooperatives management",
         "horticulture export standards", "tea value chain", "agricultural finance"),
        ("export readiness", "business plan writing", "marketing strategy",
         "food safety management", "agro-processing"),
        (("BSc", "Agricultural Economics"), ("MSc", "Agribusiness Management")),
        ("Starbucks", "Nespresso", "{city} Commodity Traders", "TechnoServe", "Olam"),
        ("Sourced specialty coffee from East African cooperatives",
         "Built post-harvest handling programmes", "Advised cooperatives on export contracts"),
        "agricultural value chains", (_S.MANUFACTURING, _S.FINANCE), 1.0,
    ),
    _Occupation(
        "veterinarian", _S.AGRICULTURE,
        ("Veterinary Officer", "Veterinarian", "Senior Veterinarian", "Chief Veterinary Officer"),
        ("veterinary medicine", "animal husbandry", "dairy production", "animal nutrition",
         "artificial insemination", "poultry production"),
        ("public health", "epidemiology", "agricultural extension", "food safety management"),
        (("DVM", "Veterinary Medicine"), ("MSc", "Animal Science")),
        ("{city} Veterinary Clinic", "{city} Dairy Cooperative", "ILRI", "Heifer International"),
        ("Managed herd health for dairy farms", "Ran artificial insemination programmes",
         "Investigated zoonotic disease outbreaks"),
        "animal health and livestock", (_S.HEALTH,), 0.8,
    ),
    _Occupation(
        "agri_economist", _S.AGRICULTURE,
        ("Research Assistant", "Agricultural Economist", "Senior Agricultural Economist",
         "Chief Economist, Agriculture"),
        ("agricultural economics", "food security analysis", "agricultural finance",
         "agricultural value chain analysis", "agricultural research"),
        ("economic modelling", "survey design", "impact evaluation", "statistical analysis",
         "policy writing"),
        (("BSc", "Economics"), ("MSc", "Agricultural Economics"), ("PhD", "Development Economics")),
        ("IFPRI", "World Bank", "FAO", "University of {city}"),
        ("Evaluated input subsidy programmes", "Modelled food price transmission",
         "Wrote policy briefs on smallholder finance"),
        "agricultural economics and food security", (_S.FINANCE, _S.PUBLIC_ADMINISTRATION), 0.7,
    ),
    _Occupation(
        "solar_engineer", _S.ENERGY,
        ("Solar Technician", "Renewable Energy Engineer", "Senior Renewable Energy Engineer",
         "Director of Renewable Energy"),
        ("solar pv design", "mini-grid development", "off-grid solar business models",
         "battery energy storage", "rural electrification planning", "solar water pumping",
         "electrical installation", "energy efficiency"),
        ("feasibility studies", "renewable energy project finance", "project management",
         "autocad drafting"),
        (("BEng", "Electrical Engineering"), ("MSc", "Renewable Energy")),
        ("SolarCity", "Schneider Electric", "{city} Solar", "ENGIE", "Bboxx"),
        ("Designed solar PV systems for health centres", "Commissioned off-grid mini-grids",
         "Sized battery storage for rural electrification"),
        "solar energy and mini-grids", (_S.INFRASTRUCTURE,), 1.0,
    ),
    _Occupation(
        "power_engineer", _S.ENERGY,
        ("Junior Electrical Engineer", "Power Systems Engineer", "Senior Power Systems Engineer",
         "Director of Transmission"),
        ("electrical power systems engineering", "power transmission and distribution",
         "grid planning", "electricity loss reduction", "substation design", "scada systems",
         "power system protection", "smart metering", "hydropower engineering"),
        ("energy modelling", "project management", "utility operations management",
         "training of trainers"),
        (("BEng", "Electrical Engineering"), ("MEng", "Power Systems")),
        ("Hydro-Québec", "{city} Power Utility", "Siemens Energy", "ABB", "EDF"),
        ("Planned distribution network reinforcements", "Commissioned 110 kV substations",
         "Led a programme to reduce technical and commercial losses"),
        "power systems", (_S.INFRASTRUCTURE,), 1.0,
    ),
    _Occupation(
        "energy_policy", _S.ENERGY,
        ("Energy Analyst", "Energy Policy Specialist", "Senior Energy Economist",
         "Director of Energy Regulation"),
        ("energy policy and regulation", "electricity tariff design", "power purchase agreements",
         "renewable energy project finance", "energy modelling", "energy access monitoring",
         "clean cooking solutions"),
        ("economic modelling", "policy writing", "public-private partnerships",
         "stakeholder engagement"),
        (("BSc", "Economics"), ("MSc", "Energy Economics")),
        ("International Energy Agency", "{city} Energy Regulator", "World Bank",
         "Sustainable Energy for All"),
        ("Designed cost-reflective tariffs", "Negotiated power purchase agreements",
         "Modelled least-cost electrification plans"),
        "energy policy and regulation", (_S.FINANCE, _S.ENVIRONMENT), 0.6,
    ),
    _Occupation(
        "auditor", _S.FINANCE,
        ("Audit Associate", "Auditor|Senior Associate, Audit", "Audit Manager",
         "Audit Partner|Chief Audit Executive"),
        ("financial audit", "internal audit", "ifrs reporting", "ipsas reporting",
         "financial accounting", "forensic accounting", "taxation"),
        ("risk management", "compliance management", "advanced microsoft excel",
         "public financial management", "corporate governance"),
        (("BCom", "Accounting"), ("MSc", "Accounting and Finance"), ("CPA", "Accounting")),
        ("KPMG", "PwC", "Deloitte", "EY", "{city} City Auditor's Office"),
        ("Led statutory audits of listed companies", "Reviewed IFRS compliance",
         "Investigated procurement fraud cases"),
        "audit and financial reporting", (_S.PUBLIC_ADMINISTRATION,), 1.4,
    ),
    _Occupation(
        "risk_banker", _S.FINANCE,
        ("Credit Analyst", "Risk Analyst", "Senior Risk Manager", "Chief Risk Officer"),
        ("credit risk management", "market risk management", "operational risk management",
         "ifrs 9 expected credit loss modelling", "banking regulation and supervision",
         "anti-money laundering compliance", "treasury management"),
        ("economic modelling", "python programming", "statistical analysis",
         "compliance management"),
        (("BSc", "Finance"), ("MSc", "Financial Engineering"), ("CFA", "Investment Management")),
        ("RBC", "BNP Paribas", "Barclays", "Desjardins", "{city} Savings Bank", "Standard Bank"),
        ("Built IFRS 9 expected credit loss models", "Ran AML transaction monitoring reviews",
         "Prepared ICAAP and stress tests"),
        "banking risk management", (_S.ICT,), 1.0,
    ),
    _Occupation(
        "fintech", _S.FINANCE,
        ("Payments Analyst", "Fintech Product Manager", "Senior Digital Finance Advisor",
         "Head of Digital Financial Services"),
        ("digital payments", "fintech regulation", "financial inclusion", "microfinance",
         "sme finance", "capital markets"),
        ("product management", "data analysis", "blockchain", "business development",
         "digital marketing"),
        (("BSc", "Economics"), ("MBA", "Finance")),
        ("Visa", "Mastercard", "M-Pesa", "Wave", "{city} Fintech Hub", "Interac"),
        ("Launched mobile money merchant payments", "Advised regulators on a fintech sandbox",
         "Scaled an SME lending product"),
        "digital finance and inclusion", (_S.ICT,), 0.9,
    ),
    _Occupation(
        "investment_analyst", _S.FINANCE,
        ("Investment Analyst", "Investment Associate", "Investment Manager",
         "Chief Investment Officer"),
        ("investment analysis", "corporate finance", "capital markets", "impact investing",
         "pension fund management", "actuarial science"),
        ("feasibility studies", "investment promotion", "advanced microsoft excel",
         "negotiation", "business plan writing"),
        (("BCom", "Finance"), ("MSc", "Finance"), ("MBA", "Finance")),
        ("Caisse de dépôt et placement du Québec", "Goldman Sachs", "Africa50",
         "{city} Capital Partners", "AXA Investment Managers"),
        ("Structured infrastructure and SME investments", "Built valuation models",
         "Sat on investee boards"),
        "investment and corporate finance", (_S.INFRASTRUCTURE,), 0.7,
    ),
    _Occupation(
        "civil_engineer", _S.INFRASTRUCTURE,
        ("Graduate Civil Engineer", "Civil Engineer|Structural Engineer",
         "Senior Structural Engineer", "Director of Engineering"),
        ("civil engineering", "structural engineering", "geotechnical engineering",
         "road design", "bridge engineering", "construction project management",
         "construction materials testing", "building information modelling",
         "quantity surveying"),
        ("autocad drafting", "project management", "public-private partnerships",
         "disaster risk reduction"),
        (("BEng", "Civil Engineering"), ("MEng", "Structural Engineering")),
        ("WSP", "AECOM", "SNC-Lavalin", "Arup", "{city} Department of Public Works",
         "Bouygues Construction"),
        ("Designed reinforced-concrete buildings and bridges",
         "Supervised road rehabilitation contracts", "Ran materials testing for major projects"),
        "civil and structural engineering", (_S.ENERGY,), 1.3,
    ),
    _Occupation(
        "urban_planner", _S.INFRASTRUCTURE,
        ("Planning Assistant", "Urban Planner", "Senior Urban Planner",
         "Director of Urban Planning"),
        ("urban planning", "land use planning", "transport planning", "smart city planning",
         "affordable housing development", "building codes and permits", "architecture"),
        ("geographic information systems", "stakeholder engagement", "climate change adaptation",
         "public-private partnerships"),
        (("BA", "Geography"), ("MSc", "Urban Planning")),
        ("{city} City Planning Department", "UN-Habitat", "Gehl", "{city} Transit Authority"),
        ("Prepared neighbourhood master plans", "Led public consultations on zoning",
         "Designed bus rapid transit corridors"),
        "urban planning and housing", (_S.ENVIRONMENT,), 0.9,
    ),
    _Occupation(
        "water_engineer", _S.INFRASTRUCTURE,
        ("Water Engineer-in-Training", "Water and Sanitation Engineer",
         "Senior Water Infrastructure Engineer", "Director of Water Services"),
        ("water supply engineering", "wastewater treatment", "hydraulic engineering",
         "infrastructure asset management", "civil engineering"),
        ("water resources management", "feasibility studies", "project management",
         "environmental impact assessment"),
        (("BEng", "Civil Engineering"), ("MSc", "Water and Environmental Engineering")),
        ("Veolia", "{city} Water Authority", "Suez", "Stantec"),
        ("Designed water distribution networks", "Operated a wastewater treatment plant",
         "Reduced non-revenue water"),
        "water and sanitation", (_S.ENVIRONMENT,), 0.8,
    ),
    _Occupation(
        "logistics", _S.INFRASTRUCTURE,
        ("Logistics Coordinator", "Supply Chain Analyst", "Senior Supply Chain Manager",
         "Director of Logistics"),
        ("logistics and supply chain management", "airport operations",
         "public transport systems", "transport planning", "facilities management"),
        ("operations management", "public procurement", "data analysis", "negotiation"),
        (("BCom", "Supply Chain Management"), ("MSc", "Logistics")),
        ("DHL", "Maersk", "Bolloré Logistics", "{city} Airport Authority", "CN Rail"),
        ("Ran regional distribution centres", "Optimised air cargo operations",
         "Managed transport tenders"),
        "logistics and transport", (_S.MANUFACTURING,), 0.8,
    ),
    _Occupation(
        "production_engineer", _S.MANUFACTURING,
        ("Production Engineer", "Process Engineer", "Senior Manufacturing Engineer",
         "Plant Director"),
        ("lean manufacturing", "six sigma", "production planning", "industrial engineering",
         "maintenance engineering", "industrial automation", "quality management systems",
         "industrial health and safety"),
        ("project management", "supplier development", "mechanical engineering",
         "change management"),
        (("BEng", "Industrial Engineering"), ("MEng", "Manufacturing Systems")),
        ("Bombardier", "Toyota", "Procter & Gamble", "Unilever", "{city} Manufacturing Ltd"),
        ("Led lean transformation on assembly lines", "Cut changeover times with SMED",
         "Implemented preventive maintenance"),
        "manufacturing excellence", (_S.ENERGY,), 1.0,
    ),
    _Occupation(
        "food_technologist", _S.MANUFACTURING,
        ("Food Technologist", "Food Safety Specialist", "Senior Food Quality Manager",
         "Director of Quality and Food Safety"),
        ("food processing technology", "food safety management", "dairy processing",
         "agro-processing", "packaging technology", "quality management systems",
         "beverage production"),
        ("post-harvest loss reduction", "export readiness", "standards development",
         "training of trainers"),
        (("BSc", "Food Science"), ("MSc", "Food Technology")),
        ("Nestlé", "Danone", "Saputo", "{city} Foods", "Agropur"),
        ("Implemented HACCP and FSSC 22000", "Developed new dairy products",
         "Managed supplier quality audits"),
        "food processing and safety", (_S.AGRICULTURE,), 1.0,
    ),
    _Occupation(
        "standards_specialist", _S.MANUFACTURING,
        ("Quality Inspector", "Standards and Conformity Specialist",
         "Senior Metrology Engineer", "Director of Standards"),
        ("standards development", "metrology", "conformity assessment",
         "quality management systems", "product design and development"),
        ("compliance management", "training of trainers", "export readiness",
         "industrial policy"),
        (("BSc", "Chemistry"), ("MSc", "Quality Engineering")),
        ("{city} Standards Council", "Bureau Veritas", "SGS", "Intertek"),
        ("Accredited testing laboratories", "Ran national calibration services",
         "Drafted product standards"),
        "standards, metrology and quality", (_S.PUBLIC_ADMINISTRATION,), 0.7,
    ),
    _Occupation(
        "textile_designer", _S.MANUFACTURING,
        ("Production Assistant", "Garment Technologist", "Senior Apparel Production Manager",
         "Director of Operations, Apparel"),
        ("textile and garment production", "leather processing", "production planning",
         "lean manufacturing", "product design and development"),
        ("fashion design", "export readiness", "supplier development"),
        (("BSc", "Textile Engineering"), ("MSc", "Fashion Management")),
        ("H&M", "Aldo Group", "{city} Garment Works", "Inditex"),
        ("Ran garment production lines", "Developed leather goods collections",
         "Qualified suppliers in East Africa"),
        "textile, apparel and leather", (_S.CREATIVE_INDUSTRIES,), 0.5,
    ),
    _Occupation(
        "hotel_manager", _S.TOURISM,
        ("Guest Relations Officer", "Hotel Operations Manager", "Hotel General Manager",
         "Regional Vice-President, Hotels"),
        ("hotel management", "front office operations", "food and beverage management",
         "revenue management", "housekeeping management", "hospitality service standards",
         "hospitality financial control", "customer experience management"),
        ("team leadership", "hospitality training", "digital marketing", "sales management"),
        (("Diploma", "Hotel Management"), ("BA", "Hospitality Management"),
         ("MBA", "Hospitality")),
        ("Marriott", "Hilton", "Accor", "Fairmont", "Radisson", "{city} Boutique Hotel"),
        ("Opened a 200-room city hotel", "Raised guest satisfaction scores",
         "Set up revenue management processes"),
        "hotel operations", (), 1.0,
    ),
    _Occupation(
        "chef", _S.TOURISM,
        ("Commis Chef", "Chef de Partie|Sous-Chef", "Executive Chef", "Culinary Director"),
        ("culinary arts", "pastry and bakery", "food and beverage management",
         "hospitality training", "sommelier and beverage service"),
        ("food safety management", "entrepreneurship", "team leadership"),
        (("Diploma", "Culinary Arts"), ("BA", "Culinary Management")),
        ("{city} Bistro", "Fairmont", "Four Seasons", "Institut Paul Bocuse", "{city} Catering"),
        ("Ran a brigade of 15 cooks", "Designed seasonal menus around local produce",
         "Trained apprentices in culinary school"),
        "culinary arts", (_S.EDUCATION,), 0.7,
    ),
    _Occupation(
        "tourism_marketer", _S.TOURISM,
        ("Marketing Coordinator", "Destination Marketing Manager",
         "Senior Tourism Development Advisor", "Director of Destination Marketing"),
        ("destination marketing", "ecotourism", "tour operations", "mice and events management",
         "travel and tourism digital marketing", "tourism policy and planning",
         "heritage tourism", "community tourism enterprise development"),
        ("digital marketing", "brand strategy", "investment promotion",
         "stakeholder engagement"),
        (("BA", "Tourism Management"), ("MA", "Tourism and Marketing")),
        ("Destination {city}", "Expedia", "Intrepid Travel", "{city} Convention Centre",
         "TUI"),
        ("Ran international destination campaigns", "Developed community-based tourism products",
         "Bid for and hosted international congresses"),
        "destination marketing and tourism development", (_S.CREATIVE_INDUSTRIES,), 0.9,
    ),
    _Occupation(
        "lawyer", _S.PUBLIC_ADMINISTRATION,
        ("Associate Lawyer", "Lawyer|Legal Counsel", "Senior Legal Counsel", "General Counsel"),
        ("commercial law", "contract law and negotiation", "international trade law",
         "investment law and arbitration", "intellectual property law", "labour law",
         "legislative drafting", "tax law"),
        ("negotiation", "corporate governance", "compliance management",
         "anti-money laundering compliance"),
        (("LLB", "Law"), ("LLM", "International Business Law")),
        ("Norton Rose Fulbright", "Clifford Chance", "{city} Law Chambers",
         "Dentons", "Fasken"),
        ("Advised on cross-border investment contracts", "Represented clients in arbitration",
         "Drafted commercial legislation for development partners"),
        "commercial and international law", (_S.FINANCE,), 1.1,
    ),
    _Occupation(
        "policy_advisor", _S.PUBLIC_ADMINISTRATION,
        ("Policy Officer", "Policy Advisor", "Senior Governance Advisor",
         "Director-General, Policy and Planning"),
        ("public policy analysis", "decentralisation and local governance",
         "district development planning", "public sector reform", "performance management",
         "regulatory impact assessment", "migration and diaspora policy",
         "governance and rule of law"),
        ("monitoring and evaluation", "policy writing", "stakeholder engagement",
         "gender mainstreaming", "statistical analysis"),
        (("BA", "Political Science"), ("MPA", "Public Administration"), ("PhD", "Public Policy")),
        ("Government of {city}", "UNDP", "OECD", "{city} Policy Institute", "World Bank"),
        ("Drafted national policy frameworks", "Evaluated local government performance contracts",
         "Advised on diaspora engagement strategies"),
        "public policy and governance", (_S.EDUCATION,), 1.0,
    ),
    _Occupation(
        "procurement", _S.PUBLIC_ADMINISTRATION,
        ("Procurement Officer", "Procurement Specialist", "Senior Procurement Advisor",
         "Director of Procurement"),
        ("public procurement", "contract law and negotiation", "anti-corruption and integrity",
         "public sector audit"),
        ("logistics and supply chain management", "negotiation", "risk management",
         "training of trainers", "e-government systems"),
        (("BCom", "Procurement"), ("MSc", "Public Procurement")),
        ("World Bank", "{city} Public Works Department", "UNOPS", "{city} Health Authority"),
        ("Ran international competitive bidding", "Rolled out e-procurement",
         "Trained procurement committees"),
        "public procurement", (_S.FINANCE,), 0.8,
    ),
    _Occupation(
        "hr_manager", _S.PUBLIC_ADMINISTRATION,
        ("HR Officer", "Human Resources Business Partner", "Senior HR Manager",
         "Chief Human Resources Officer"),
        ("human resource management", "performance management", "labour law",
         "public sector reform"),
        ("leadership development", "change management", "training needs assessment",
         "mentoring and coaching"),
        (("BA", "Human Resource Management"), ("MBA", "Human Resources")),
        ("{city} City Council", "Deloitte", "Air Canada", "{city} University"),
        ("Redesigned performance appraisal", "Led workforce planning",
         "Ran leadership development programmes"),
        "human resources", (_S.EDUCATION,), 0.7,
    ),
    _Occupation(
        "climate_specialist", _S.ENVIRONMENT,
        ("Environmental Officer", "Climate Change Specialist", "Senior Climate Advisor",
         "Director of Climate Programmes"),
        ("climate change adaptation", "climate change mitigation", "climate finance",
         "greenhouse gas inventory", "carbon markets", "green growth strategy",
         "nature-based solutions", "climate modelling"),
        ("grant writing", "monitoring and evaluation", "policy writing",
         "geographic information systems", "remote sensing"),
        (("BSc", "Environmental Science"), ("MSc", "Climate Change and Development"),
         ("PhD", "Environmental Science")),
        ("Green Climate Fund", "UNEP", "{city} Environment Department", "WWF", "South Pole"),
        ("Wrote climate finance proposals", "Compiled national GHG inventories",
         "Designed ecosystem-based adaptation projects"),
        "climate change and green growth", (_S.ENERGY, _S.AGRICULTURE), 1.0,
    ),
    _Occupation(
        "environmental_engineer", _S.ENVIRONMENT,
        ("Environmental Technician", "Environmental Engineer", "Senior Environmental Engineer",
         "Head of Environment and Social"),
        ("environmental impact assessment", "environmental and social safeguards",
         "solid waste management", "e-waste management", "circular economy",
         "air quality management", "environmental monitoring",
         "environmental laboratory analysis"),
        ("compliance management", "chemicals management", "industrial health and safety",
         "wastewater treatment"),
        (("BEng", "Environmental Engineering"), ("MSc", "Environmental Management")),
        ("Golder", "Veolia", "{city} Environmental Protection Agency", "Jacobs"),
        ("Led environmental and social impact assessments",
         "Designed municipal waste collection systems", "Ran air quality monitoring networks"),
        "environmental engineering", (_S.INFRASTRUCTURE,), 0.9,
    ),
    _Occupation(
        "conservationist", _S.ENVIRONMENT,
        ("Conservation Officer", "Conservation Biologist", "Senior Conservation Scientist",
         "Director of Conservation"),
        ("biodiversity conservation", "wildlife management", "forest landscape restoration",
         "forestry management", "wetland management", "ecosystem services valuation",
         "natural capital accounting", "remote sensing"),
        ("community development", "environmental education", "grant writing",
         "geographic information systems"),
        (("BSc", "Biology"), ("MSc", "Conservation Biology"), ("PhD", "Ecology")),
        ("WWF", "Wildlife Conservation Society", "{city} Parks Service", "IUCN",
         "African Parks"),
        ("Monitored great ape populations", "Restored degraded wetlands and forests",
         "Designed payment-for-ecosystem-services schemes"),
        "biodiversity and landscape restoration", (_S.TOURISM, _S.AGRICULTURE), 0.8,
    ),
    _Occupation(
        "geologist", _S.MINING,
        ("Exploration Geologist", "Geologist", "Senior Geologist", "Chief Geologist"),
        ("mineral exploration", "geological mapping", "economic geology", "geochemistry",
         "geophysics", "mineral resource estimation", "3d geological modelling",
         "drilling operations", "hydrogeology"),
        ("geographic information systems", "remote sensing", "statistical analysis",
         "project management"),
        (("BSc", "Geology"), ("MSc", "Economic Geology"), ("PhD", "Geology")),
        ("Rio Tinto", "Barrick", "Agnico Eagle", "{city} Geological Survey", "Anglo American"),
        ("Led greenfield exploration programmes", "Estimated JORC-compliant resources",
         "Built 3D geological models of tin and tungsten deposits"),
        "geology and mineral exploration", (_S.ENVIRONMENT,), 0.9,
    ),
    _Occupation(
        "mining_engineer", _S.MINING,
        ("Graduate Mining Engineer", "Mining Engineer", "Senior Mining Engineer",
         "Mine General Manager"),
        ("mining engineering", "mine planning and design", "underground mining",
         "mine health and safety", "blasting and explosives management",
         "artisanal and small-scale mining", "mining equipment maintenance", "mine surveying",
         "geotechnical mine engineering"),
        ("industrial health and safety", "project management", "training of trainers",
         "mining environmental management"),
        (("BEng", "Mining Engineering"), ("MEng", "Mining Engineering")),
        ("Glencore", "BHP", "Vale", "{city} Mining Company", "Newmont"),
        ("Designed underground stopes", "Led mine safety audits",
         "Formalised artisanal mining operations"),
        "mining engineering", (_S.INFRASTRUCTURE,), 0.8,
    ),
    _Occupation(
        "metallurgist", _S.MINING,
        ("Process Technician", "Metallurgist", "Senior Process Metallurgist",
         "Head of Processing"),
        ("mineral processing", "metallurgy", "mineral laboratory analysis",
         "mining value addition", "mineral traceability", "gemology"),
        ("quality management systems", "chemical engineering", "export readiness",
         "extractive industries transparency"),
        (("BEng", "Metallurgical Engineering"), ("MSc", "Extractive Metallurgy")),
        ("Umicore", "Glencore", "{city} Refinery", "Mintek", "Anglo American Platinum"),
        ("Optimised tin and tantalum concentrators", "Set up an ISO 17025 assay laboratory",
         "Implemented mineral traceability systems"),
        "mineral processing and value addition", (_S.MANUFACTURING,), 0.6,
    ),
    _Occupation(
        "mining_governance", _S.MINING,
        ("Extractives Analyst", "Mining Policy Specialist", "Senior Extractives Governance Advisor",
         "Director of Mining Regulation"),
        ("mining law and licensing", "mining fiscal regime", "extractive industries transparency",
         "mineral traceability", "artisanal and small-scale mining",
         "mining environmental management"),
        ("policy writing", "taxation", "stakeholder engagement", "environmental impact "
         "assessment"),
        (("LLB", "Law"), ("MSc", "Mineral Economics")),
        ("Natural Resource Governance Institute", "World Bank", "{city} Ministry of Mines",
         "OECD"),
        ("Reviewed mining conventions and royalties", "Supported EITI reporting",
         "Designed due-diligence systems for 3T minerals"),
        "mining governance", (_S.PUBLIC_ADMINISTRATION,), 0.5,
    ),
    _Occupation(
        "filmmaker", _S.CREATIVE_INDUSTRIES,
        ("Production Assistant", "Film Producer|Director", "Senior Producer",
         "Executive Producer"),
        ("film production", "film directing", "screenwriting", "cinematography",
         "video editing", "sound engineering", "broadcast media production"),
        ("storytelling for development", "festival and cultural event production",
         "grant writing", "digital content creation"),
        (("BA", "Film Studies"), ("MFA", "Film Production")),
        ("National Film Board of Canada", "Netflix", "BBC", "{city} Film Studio",
         "Canal+ Afrique", "Arte"),
        ("Produced feature documentaries", "Directed television series episodes",
         "Ran filmmaking workshops for young creators"),
        "film and television", (_S.TOURISM, _S.EDUCATION), 0.9,
    ),
    _Occupation(
        "designer", _S.CREATIVE_INDUSTRIES,
        ("Junior Designer", "Graphic Designer|UX Designer", "Senior Designer|Art Director",
         "Creative Director"),
        ("graphic design", "brand strategy", "advertising and creative direction", "animation",
         "photography", "interior design", "digital content creation"),
        ("ui ux design", "digital marketing", "entrepreneurship", "game design"),
        (("BA", "Graphic Design"), ("MA", "Design")),
        ("Ogilvy", "Publicis", "{city} Design Studio", "Cossette", "Pentagram"),
        ("Led brand identity projects", "Art-directed national campaigns",
         "Built a design studio from scratch"),
        "design and branding", (_S.ICT, _S.TOURISM), 0.9,
    ),
    _Occupation(
        "music_arts", _S.CREATIVE_INDUSTRIES,
        ("Arts Programme Assistant", "Music Producer|Arts Manager", "Senior Arts Manager",
         "Director of Cultural Programmes"),
        ("music production", "music business management", "arts management",
         "copyright and creative rights management", "performing arts", "choreography",
         "festival and cultural event production", "music education", "creative economy policy"),
        ("grant writing", "digital marketing", "entrepreneurship", "sound engineering"),
        (("BA", "Music"), ("MA", "Arts Management")),
        ("Universal Music", "{city} Arts Council", "{city} Jazz Festival", "Sony Music",
         "British Council"),
        ("Produced albums for East African artists", "Ran an international music festival",
         "Set up royalty collection for songwriters"),
        "music and cultural management", (_S.TOURISM, _S.EDUCATION), 0.8,
    ),
    _Occupation(
        "heritage", _S.CREATIVE_INDUSTRIES,
        ("Museum Assistant", "Curator|Heritage Conservator", "Senior Curator",
         "Museum Director"),
        ("museum curation", "cultural heritage conservation", "archive digitisation",
         "crafts and artisan product development", "visual arts",
         "creative writing and publishing"),
        ("records and archives management", "heritage tourism", "grant writing",
         "storytelling for development"),
        (("BA", "History of Art"), ("MA", "Museum Studies")),
        ("Musée du quai Branly", "{city} Museum", "Royal Museum for Central Africa",
         "Smithsonian Institution"),
        ("Curated exhibitions on East African heritage", "Digitised photographic archives",
         "Developed crafts cooperatives' product lines"),
        "heritage and museums", (_S.TOURISM,), 0.6,
    ),
)
# fmt: on
_OCCUPATION_BY_KEY: dict[str, _Occupation] = {o.key: o for o in _OCCUPATIONS}


def occupation_keys() -> list[str]:
    """Return the keys of all occupation templates (DemoProfessional.occupation values)."""
    return list(_OCCUPATION_BY_KEY)


def occupation_sector(key: str) -> str:
    """Return the sector slug of an occupation template key."""
    return str(_OCCUPATION_BY_KEY[key].sector)


# Early-career jobs of Rwandan citizens are often at home; by sector.
# fmt: off
_RW_EMPLOYERS: dict[str, tuple[str, ...]] = {
    _S.HEALTH: ("CHUK", "King Faisal Hospital", "Rwanda Biomedical Centre",
                "Butaro District Hospital", "Partners In Health / Inshuti Mu Buzima"),
    _S.EDUCATION: ("University of Rwanda", "Rwanda Basic Education Board", "IPRC Kigali",
                   "Groupe Scolaire Officiel de Butare"),
    _S.ICT: ("Rwanda Information Society Authority", "MTN Rwanda", "Irembo", "kLab"),
    _S.AGRICULTURE: ("Rwanda Agriculture and Animal Resources Development Board",
                     "One Acre Fund Rwanda", "National Agricultural Export Development Board"),
    _S.ENERGY: ("Rwanda Energy Group", "Energy Development Corporation Limited"),
    _S.FINANCE: ("Bank of Kigali", "National Bank of Rwanda", "Rwanda Revenue Authority",
                 "I&M Bank Rwanda"),
    _S.INFRASTRUCTURE: ("Rwanda Transport Development Agency", "Rwanda Housing Authority",
                        "WASAC", "City of Kigali"),
    _S.MANUFACTURING: ("Inyange Industries", "Rwanda Standards Board", "Bralirwa"),
    _S.TOURISM: ("Rwanda Development Board", "Kigali Serena Hotel", "RwandAir"),
    _S.PUBLIC_ADMINISTRATION: ("Ministry of Justice", "Rwanda Governance Board",
                               "Ministry of Local Government", "Rwanda Public Procurement "
                               "Authority"),
    _S.ENVIRONMENT: ("Rwanda Environment Management Authority", "Rwanda Forestry Authority",
                     "Rwanda Water Resources Board"),
    _S.MINING: ("Rwanda Mines, Petroleum and Gas Board", "Trinity Metals"),
    _S.CREATIVE_INDUSTRIES: ("Rwanda Arts Council", "Rwanda Broadcasting Agency",
                             "Rwanda Cultural Heritage Academy"),
}
# fmt: on
_RW_UNIVERSITIES: tuple[str, ...] = (
    "University of Rwanda",
    "National University of Rwanda",
    "Kigali Institute of Science and Technology",
    "Kigali Health Institute",
    "Adventist University of Central Africa",
    "Université Libre de Kigali",
)

# --------------------------------------------------------------------------- institutions


@dataclass(frozen=True, slots=True)
class _InstitutionSpec:
    """Static description of a real (public) Rwandan institution used in the demo."""

    name: str
    short: str
    type: str
    sector: str
    district: str
    street: str
    website: str
    contact_title: str
    other_sectors: tuple[str, ...] = ()


# fmt: off
_INSTITUTIONS: tuple[_InstitutionSpec, ...] = (
    _InstitutionSpec("University of Rwanda - College of Medicine and Health Sciences", "ur-cmhs",
                     "university_tvet", _S.HEALTH, "nyarugenge", "KN 7 Ave, Remera Campus",
                     "https://cmhs.ur.ac.rw", "Deputy Principal for Academic Affairs",
                     (_S.EDUCATION,)),
    _InstitutionSpec("King Faisal Hospital Rwanda", "kfh", "public_hospital", _S.HEALTH,
                     "gasabo", "KG 544 St, Kacyiru", "https://kfh.rw",
                     "Head of Clinical Education"),
    _InstitutionSpec("University Teaching Hospital of Kigali (CHUK)", "chuk", "public_hospital",
                     _S.HEALTH, "nyarugenge", "KN 4 Ave, Nyarugenge", "https://chuk.rw",
                     "Director of Nursing and Midwifery"),
    _InstitutionSpec("Rwanda Biomedical Centre", "rbc", "ministry_agency", _S.HEALTH, "gasabo",
                     "KG 644 St, Kimihurura", "https://rbc.gov.rw",
                     "Division Manager, Health Information", (_S.ICT,)),
    _InstitutionSpec("Butaro District Hospital", "butaro", "public_hospital", _S.HEALTH,
                     "burera", "Butaro Sector, Burera", "",
                     "Hospital Director"),
    _InstitutionSpec("Rwanda Polytechnic - IPRC Kigali", "iprc-kigali", "university_tvet",
                     _S.EDUCATION, "kicukiro", "KK 15 Rd, Kicukiro", "https://www.rp.ac.rw",
                     "Principal", (_S.MANUFACTURING, _S.ENERGY, _S.ICT)),
    _InstitutionSpec("Rwanda Polytechnic - IPRC Tumba", "iprc-tumba", "university_tvet",
                     _S.ENERGY, "rulindo", "Tumba, Rulindo", "https://www.rp.ac.rw",
                     "Head of Renewable Energy Department", (_S.EDUCATION, _S.ICT)),
    _InstitutionSpec("Ministry of ICT and Innovation", "minict", "ministry_agency", _S.ICT,
                     "nyarugenge", "KN 3 Rd, Nyarugenge", "https://www.minict.gov.rw",
                     "Director General, Innovation", (_S.PUBLIC_ADMINISTRATION,)),
    _InstitutionSpec("Kigali Innovation City", "kic", "private_company", _S.ICT, "gasabo",
                     "Special Economic Zone, Masoro", "",
                     "Ecosystem Development Lead", (_S.EDUCATION, _S.FINANCE)),
    _InstitutionSpec("African Institute for Mathematical Sciences (AIMS) Rwanda", "aims",
                     "research_institute", _S.EDUCATION, "kicukiro", "KN 3 Rd, Kigali",
                     "https://aims.ac.rw", "Academic Director", (_S.ICT,)),
    _InstitutionSpec("Rwanda Agriculture and Animal Resources Development Board (RAB)", "rab",
                     "research_institute", _S.AGRICULTURE, "huye", "Rubona Research Station, "
                     "Huye", "https://www.rab.gov.rw", "Head of Research Programmes"),
    _InstitutionSpec("University of Rwanda - College of Agriculture, Animal Sciences and "
                     "Veterinary Medicine", "ur-cavm", "university_tvet", _S.AGRICULTURE,
                     "musanze", "Busogo Campus, Musanze", "https://cavm.ur.ac.rw",
                     "Dean of Agriculture", (_S.EDUCATION,)),
    _InstitutionSpec("Rwanda Institute for Conservation Agriculture (RICA)", "rica",
                     "university_tvet", _S.AGRICULTURE, "bugesera", "Gashora, Bugesera",
                     "https://rica.rw", "Director of Academic Programs", (_S.ENVIRONMENT,)),
    _InstitutionSpec("Maraba Coffee Cooperative (Abahuzamugambi ba Kawa)", "maraba",
                     "cooperative", _S.AGRICULTURE, "huye", "Maraba Sector, Huye", "",
                     "Cooperative Manager", (_S.MANUFACTURING,)),
    _InstitutionSpec("Nyagatare District", "nyagatare", "district_authority", _S.AGRICULTURE,
                     "nyagatare", "District Office, Nyagatare", "https://www.nyagatare.gov.rw",
                     "Director of Planning", (_S.PUBLIC_ADMINISTRATION, _S.INFRASTRUCTURE)),
    _InstitutionSpec("Musanze District", "musanze", "district_authority", _S.TOURISM,
                     "musanze", "District Office, Musanze", "https://www.musanze.gov.rw",
                     "Director of Planning", (_S.PUBLIC_ADMINISTRATION, _S.INFRASTRUCTURE,
                                              _S.ENVIRONMENT)),
    _InstitutionSpec("Rubavu District", "rubavu", "district_authority", _S.TOURISM, "rubavu",
                     "District Office, Gisenyi", "https://www.rubavu.gov.rw",
                     "Vice Mayor, Economic Development", (_S.PUBLIC_ADMINISTRATION,
                                                          _S.INFRASTRUCTURE)),
    _InstitutionSpec("Rwanda Development Board", "rdb", "ministry_agency", _S.TOURISM,
                     "gasabo", "KG 220 St, Gishushu", "https://rdb.rw",
                     "Chief Tourism Officer", (_S.FINANCE, _S.ICT, _S.CREATIVE_INDUSTRIES)),
    _InstitutionSpec("Rwanda Energy Group", "reg", "ministry_agency", _S.ENERGY, "nyarugenge",
                     "KN 82 St, Nyarugenge", "https://www.reg.rw",
                     "Head of Planning and Projects"),
    _InstitutionSpec("Bank of Kigali", "bk", "private_company", _S.FINANCE, "nyarugenge",
                     "KN 4 Ave, Nyarugenge", "https://www.bk.rw", "Chief Risk Officer",
                     (_S.ICT,)),
    _InstitutionSpec("National Bank of Rwanda", "bnr", "ministry_agency", _S.FINANCE,
                     "nyarugenge", "KN 6 Ave, Nyarugenge", "https://www.bnr.rw",
                     "Director, Financial Stability", (_S.ICT, _S.PUBLIC_ADMINISTRATION)),
    _InstitutionSpec("Rwanda Housing Authority", "rha", "ministry_agency", _S.INFRASTRUCTURE,
                     "gasabo", "KG 17 Ave, Kimihurura", "https://www.rha.gov.rw",
                     "Head of Urban Planning"),
    _InstitutionSpec("Rwanda Standards Board", "rsb", "ministry_agency", _S.MANUFACTURING,
                     "kicukiro", "KK 15 Rd, Kicukiro", "https://www.rsb.gov.rw",
                     "Head of Standards Development"),
    _InstitutionSpec("Inyange Industries", "inyange", "private_company", _S.MANUFACTURING,
                     "kicukiro", "Masaka, Kicukiro", "https://www.inyangeindustries.com",
                     "Quality Assurance Manager", (_S.AGRICULTURE,)),
    _InstitutionSpec("Rwanda Mines, Petroleum and Gas Board", "rmb", "ministry_agency",
                     _S.MINING, "gasabo", "KG 7 Ave, Kacyiru", "https://www.rmb.gov.rw",
                     "Head of Geology and Mineral Exploration", (_S.ENERGY,)),
    _InstitutionSpec("Rwanda Environment Management Authority", "rema", "ministry_agency",
                     _S.ENVIRONMENT, "gasabo", "KG 7 Ave, Kacyiru", "https://www.rema.gov.rw",
                     "Director of Climate Change", (_S.PUBLIC_ADMINISTRATION,)),
    _InstitutionSpec("Akagera National Park", "akagera", "ngo", _S.ENVIRONMENT, "kayonza",
                     "Park Headquarters, Kayonza", "https://www.africanparks.org",
                     "Park Manager", (_S.TOURISM,)),
    _InstitutionSpec("Rwanda Arts Council", "rac", "ministry_agency", _S.CREATIVE_INDUSTRIES,
                     "gasabo", "KG 17 Ave, Kigali", "",
                     "Head of Arts Development", (_S.TOURISM, _S.EDUCATION)),
    _InstitutionSpec("Institute of Legal Practice and Development (ILPD)", "ilpd",
                     "university_tvet", _S.PUBLIC_ADMINISTRATION, "nyanza", "Nyanza Town",
                     "https://www.ilpd.ac.rw", "Head of Training", (_S.EDUCATION,)),
    _InstitutionSpec("Imbuto Foundation", "imbuto", "ngo", _S.EDUCATION, "gasabo",
                     "KG 9 Ave, Kigali", "https://imbutofoundation.org",
                     "Programmes Director", (_S.HEALTH,)),
    _InstitutionSpec("Rusizi District", "rusizi", "district_authority",
                     _S.PUBLIC_ADMINISTRATION, "rusizi", "District Office, Kamembe",
                     "https://www.rusizi.gov.rw", "Director of Planning",
                     (_S.INFRASTRUCTURE, _S.TOURISM, _S.AGRICULTURE)),
)
# fmt: on

# --------------------------------------------------------------------------- need templates


@dataclass(frozen=True, slots=True)
class _NeedTemplate:
    """Terms-of-reference skeleton; {inst}, {district} and {seat} are filled per need."""

    key: str
    sector: str
    title: str
    background: str
    objectives: str
    deliverables: tuple[str, ...]
    success: str
    must: tuple[str, ...]
    nice: tuple[str, ...]
    modes: tuple[str, ...]  # drawn uniformly, so repeat a mode to weight it
    weeks: tuple[int, int]
    hours: tuple[int, ...]
    languages: tuple[tuple[str, str], ...]
    site: str = "{inst}, {seat}"
    field_districts: tuple[str, ...] = ()  # where national agencies send people for field work
    types: tuple[str, ...] = ()  # restrict host institution types (empty: any)


# fmt: off
_NEEDS: tuple[_NeedTemplate, ...] = (
    _NeedTemplate(
        "nicu_mentoring", _S.HEALTH, "Neonatal intensive care nursing mentorship",
        "{inst} runs a growing neonatal unit whose nurses have limited specialised training. "
        "Mortality audits point to gaps in thermal care, resuscitation and infection control.",
        "Strengthen the clinical competence of neonatal nurses through bedside mentorship, "
        "skills drills and the introduction of standard protocols.",
        ("Baseline skills assessment of neonatal nursing staff",
         "Bedside mentorship plan and weekly skills drills",
         "Adapted neonatal care protocols (thermal care, feeding, resuscitation)",
         "End-of-assignment report with recommendations"),
        "At least 80% of neonatal nurses pass the post-training skills assessment and the "
        "protocols are approved by the clinical governance committee.",
        ("paediatric nursing", "neonatal intensive care", "neonatal resuscitation",
         "infection prevention and control", "critical care nursing", "medical education"),
        ("training of trainers", "quality improvement", "mentoring and coaching"),
        ("onsite", "onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"), ("rw", "B1")),
    ),
    _NeedTemplate(
        "lab_accreditation", _S.HEALTH, "Laboratory quality management towards ISO 15189",
        "{inst} aims to obtain ISO 15189 accreditation for its clinical laboratory. A gap "
        "assessment found weaknesses in document control, internal audits and equipment "
        "management.",
        "Coach the laboratory team through the quality management system and prepare for the "
        "accreditation pre-assessment.",
        ("Updated quality manual and document control system",
         "Internal audit programme and trained internal auditors",
         "Corrective action tracker", "Pre-assessment readiness report"),
        "Laboratory scores at least 85% on the SLIPTA checklist by the end of the assignment.",
        ("medical laboratory quality management", "hospital accreditation",
         "clinical microbiology", "haematology", "standard operating procedures development"),
        ("quality management systems", "training of trainers", "quality improvement"),
        ("hybrid", "onsite", "remote"), (6, 20), (10, 20, 40), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "dhis2", _S.HEALTH, "Health information systems (DHIS2) data-use strengthening",
        "{inst} collects routine health data through DHIS2, but district teams rarely use "
        "dashboards for decisions and data quality varies between facilities.",
        "Improve data quality and data use by redesigning dashboards, automating quality "
        "checks and training district data managers.",
        ("Data quality review and validation rules", "Redesigned programme dashboards",
         "Training curriculum and sessions for data managers", "Sustainability plan"),
        "Reporting completeness above 95% and dashboards used in monthly district meetings.",
        ("health information systems (dhis2)", "public health", "data analysis",
         "biostatistics", "electronic medical records", "business intelligence"),
        ("training of trainers", "data visualisation", "python programming"),
        ("remote", "hybrid", "remote"), (8, 24), (8, 10, 15), (("en", "B2"),),
        "{inst}, Kigali",
    ),
    _NeedTemplate(
        "paed_oncology", _S.HEALTH, "Paediatric oncology nursing and protocols",
        "{inst} is a referral centre for childhood cancers. Demand is growing faster than the "
        "number of nurses trained in chemotherapy administration and palliative care.",
        "Train nurses on safe chemotherapy handling, symptom management and family education, "
        "and adapt treatment protocols.",
        ("Competency framework for paediatric oncology nurses",
         "Training sessions and supervised practice", "Safe handling SOPs",
         "Family education materials in Kinyarwanda and English"),
        "All oncology ward nurses certified on chemotherapy safety; zero handling incidents "
        "during the assignment.",
        ("paediatric oncology", "paediatric nursing", "oncology",
         "infection prevention and control", "pharmacy practice"),
        ("mental health and psychosocial support", "training of trainers"),
        ("onsite", "hybrid"), (4, 10), (30, 40), (("en", "B2"), ("rw", "B1")),
    ),
    _NeedTemplate(
        "anaesthesia", _S.HEALTH, "Anaesthesia and surgical safety training",
        "{inst} performs a growing volume of emergency surgery with few specialist "
        "anaesthesiologists; non-physician anaesthetists carry most of the load.",
        "Upgrade anaesthesia practice through supervised theatre sessions, simulation and the "
        "WHO surgical safety checklist.",
        ("Theatre practice assessment", "Simulation-based training on airway and obstetric "
         "emergencies", "Checklist compliance audit", "Mentorship handover plan"),
        "Surgical safety checklist compliance above 90% and trainees complete the simulation "
        "curriculum.",
        ("anaesthesiology", "emergency medicine", "medical education", "general surgery",
         "critical care nursing"),
        ("quality improvement", "biomedical equipment maintenance"),
        ("onsite",), (2, 8), (40,), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "cbc_tvet", _S.EDUCATION, "Competency-based curriculum review for TVET programmes",
        "{inst} is revising its diploma programmes to align with labour-market needs and the "
        "national TVET qualifications framework.",
        "Review selected programmes, develop competency-based modules with employers and "
        "train instructors in their delivery and assessment.",
        ("Labour-market and occupational analysis", "Revised competency-based modules",
         "Assessment guidelines and tools", "Instructor training workshop"),
        "Revised modules validated by industry panels and approved by the academic senate.",
        ("competency based curriculum", "curriculum design", "tvet instruction",
         "work-based learning", "assessment and examinations", "teacher training"),
        ("training needs assessment", "stakeholder engagement"),
        ("hybrid", "remote", "onsite"), (6, 16), (10, 20, 40), (("en", "B2"),),
    ),
    _NeedTemplate(
        "stem_lecturing", _S.EDUCATION, "Visiting lecturer in applied mathematics and data",
        "{inst} runs postgraduate programmes in mathematical sciences and needs visiting "
        "faculty to teach advanced modules and supervise research projects.",
        "Teach one intensive module, supervise master's projects and help young faculty "
        "publish.",
        ("Module syllabus and teaching materials", "Three-week intensive course",
         "Supervision of 3-5 master's projects", "Joint publication plan"),
        "Module delivered with positive student evaluations and projects defended on time.",
        ("university teaching", "postgraduate supervision", "mathematics teaching",
         "research methodology", "machine learning", "academic writing"),
        ("python programming", "statistical analysis", "grant writing"),
        ("onsite", "hybrid"), (3, 8), (30, 40), (("en", "C1"),),
    ),
    _NeedTemplate(
        "elearning", _S.EDUCATION, "Blended and e-learning course design",
        "{inst} wants to move part of its teaching online to reach working students and "
        "learners outside Kigali.",
        "Design a blended-learning model, set up the learning management system and coach "
        "lecturers to build their first online courses.",
        ("Blended-learning policy and quality standards", "Configured LMS course templates",
         "Five pilot courses", "Lecturer coaching sessions"),
        "Five courses live on the LMS with at least 70% learner completion in the pilot.",
        ("e-learning design", "learning management systems", "educational technology",
         "curriculum design", "university teaching"),
        ("digital skills training", "ui ux design"),
        ("remote", "remote", "hybrid"), (8, 24), (6, 10, 15), (("en", "B2"), ("fr", "B2")),
    ),
    _NeedTemplate(
        "ecd_inclusion", _S.EDUCATION, "Inclusive early childhood education coaching",
        "{inst} supports community early childhood centres where caregivers have little "
        "training in play-based learning or in supporting children with disabilities.",
        "Build caregivers' skills in play-based, inclusive early learning through a coaching "
        "model that local trainers can continue.",
        ("Caregiver training package", "Coaching visits to pilot centres",
         "Simple learning-progress tools", "Training of local trainers"),
        "Caregivers in pilot centres apply play-based methods observed in at least 3 of 4 "
        "classroom visits.",
        ("early childhood education", "special needs education", "literacy and numeracy",
         "teacher training"),
        ("training of trainers", "community development", "monitoring and evaluation"),
        ("onsite", "hybrid"), (4, 12), (20, 40), (("rw", "B2"), ("en", "B1")),
    ),
    _NeedTemplate(
        "cyber_risk", _S.ICT, "Cybersecurity risk assessment of government digital services",
        "{inst} oversees a fast-growing portfolio of online public services. A structured "
        "view of cyber risks and controls across institutions is missing.",
        "Carry out a risk assessment of priority services, recommend controls aligned with "
        "ISO 27001 and build the capacity of the security team.",
        ("Risk assessment methodology and asset register", "Risk register for priority services",
         "Control gap analysis against ISO 27001", "Capacity-building sessions"),
        "Risk register adopted by management and a prioritised remediation plan funded.",
        ("cybersecurity risk assessment", "information security management",
         "cybersecurity operations", "penetration testing", "data protection and privacy",
         "network engineering"),
        ("risk management", "training of trainers", "cloud infrastructure"),
        ("hybrid", "remote", "onsite"), (6, 16), (10, 20, 40), (("en", "B2"),),
    ),
    _NeedTemplate(
        "ml_analytics", _S.ICT, "Machine learning and analytics capability building",
        "{inst} holds valuable administrative data but has few staff able to build predictive "
        "models or production analytics.",
        "Deliver a hands-on data science programme and co-develop one machine-learning use "
        "case with the internal team.",
        ("Data and use-case assessment", "Hands-on training curriculum",
         "Prototype model with documentation", "Deployment and governance recommendations"),
        "Prototype meets agreed accuracy targets and internal staff can retrain it unaided.",
        ("machine learning", "data science", "python programming", "data engineering", "sql",
         "natural language processing"),
        ("artificial intelligence strategy", "cloud infrastructure", "mentoring and coaching"),
        ("remote", "hybrid", "remote"), (8, 24), (6, 10, 15, 20), (("en", "B2"),),
    ),
    _NeedTemplate(
        "cloud_migration", _S.ICT, "Cloud migration and DevOps practices",
        "{inst} runs critical systems on ageing on-premise servers, with manual deployments "
        "and no tested disaster recovery.",
        "Design a migration path to the national data centre / cloud, introduce CI/CD and "
        "train the operations team.",
        ("Infrastructure assessment", "Target architecture and migration plan",
         "CI/CD pipelines for two systems", "Disaster recovery test report"),
        "Two systems migrated with automated deployments and a successful recovery test.",
        ("cloud infrastructure", "devops", "kubernetes", "linux system administration",
         "software architecture"),
        ("it project management", "cybersecurity operations"),
        ("remote", "hybrid"), (8, 20), (8, 10, 20), (("en", "B2"),),
    ),
    _NeedTemplate(
        "startup_mentoring", _S.ICT, "Technical mentorship for tech startups",
        "{inst} supports early-stage technology startups that struggle with software "
        "architecture, product discipline and investor readiness.",
        "Provide structured mentorship to a cohort of startups on engineering, product and "
        "go-to-market.",
        ("Diagnostic of each startup", "Mentorship sessions and office hours",
         "Technical roadmap per startup", "Demo-day preparation"),
        "Each startup ships a roadmap milestone and at least two reach investor meetings.",
        ("software engineering", "product management", "startup incubation",
         "software architecture", "mobile app development"),
        ("business development", "mentoring and coaching", "digital marketing"),
        ("remote", "hybrid"), (8, 26), (4, 6, 8), (("en", "B2"),),
    ),
    _NeedTemplate(
        "irrigation", _S.AGRICULTURE, "Hillside irrigation scheme design review",
        "{inst} is developing small-scale hillside irrigation in {district}. Several schemes "
        "underperform because of design flaws and weak water-user organisation.",
        "Review scheme designs, propose cost-effective improvements including solar pumping, "
        "and train engineers and water-user associations.",
        ("Technical review of existing schemes", "Improved designs and bills of quantities",
         "Operation and maintenance guidelines", "Training for engineers and water users"),
        "Revised designs approved and at least one scheme rehabilitated to design capacity.",
        ("irrigation design", "land husbandry", "hydraulic engineering", "soil science",
         "solar water pumping"),
        ("agricultural cooperatives management", "autocad drafting"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"), ("rw", "B1")),
        "Irrigation sites, {district}",
        field_districts=(
            "kirehe", "nyagatare", "gatsibo", "bugesera", "ngoma", "kayonza", "gisagara"
        )
    ),
    _NeedTemplate(
        "post_harvest", _S.AGRICULTURE, "Post-harvest loss reduction for maize and beans",
        "Smallholders in {district} lose a large share of maize and beans after harvest "
        "through poor drying and storage.",
        "Assess loss points, pilot improved drying and hermetic storage with cooperatives and "
        "design a scale-up plan.",
        ("Post-harvest loss assessment", "Pilot with two cooperatives",
         "Training materials for farmers", "Scale-up and financing plan"),
        "Measured losses in pilot cooperatives fall by at least 30%.",
        ("post-harvest loss reduction", "agricultural cooperatives management",
         "agricultural extension", "agricultural value chain analysis", "food security analysis"),
        ("business plan writing", "monitoring and evaluation"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("rw", "B1"), ("en", "B1")),
        "Cooperative stores, {district}",
        field_districts=("nyagatare", "gatsibo", "kayonza", "kirehe", "ngoma", "bugesera")
    ),
    _NeedTemplate(
        "coffee_quality", _S.AGRICULTURE, "Specialty coffee quality and market access",
        "{inst} processes coffee from smallholders and wants to raise cup quality and sell a "
        "larger share as specialty lots.",
        "Improve washing-station practices, build cupping capacity and connect the "
        "cooperative with specialty buyers.",
        ("Washing-station practice audit", "Cupping lab set-up and cupper training",
         "Quality protocols from cherry to parchment", "Buyer engagement plan"),
        "Share of lots scoring 84+ increases and at least one new direct-trade contract.",
        ("coffee value chain", "coffee cupping and quality grading",
         "post-harvest loss reduction", "agricultural cooperatives management",
         "horticulture export standards"),
        ("export readiness", "marketing strategy"),
        ("onsite", "hybrid"), (3, 10), (30, 40), (("rw", "B1"), ("en", "B1"), ("fr", "B1")),
        "Washing station, {seat}",
    ),
    _NeedTemplate(
        "dairy", _S.AGRICULTURE, "Dairy herd health and productivity",
        "Dairy farmers in {district} supply milk collection centres, but productivity is held "
        "back by animal health, feeding and breeding practices.",
        "Train veterinarians and farmers on herd health, feed formulation and artificial "
        "insemination, and set up simple herd records.",
        ("Herd health baseline", "Feed formulation guidelines with local ingredients",
         "Training of veterinarians and lead farmers", "Herd record system"),
        "Average yield per cow in pilot farms up by 15% within the assignment period.",
        ("veterinary medicine", "dairy production", "animal nutrition",
         "artificial insemination", "animal husbandry"),
        ("agricultural extension", "food safety management"),
        ("onsite",), (4, 10), (40,), (("rw", "B1"), ("en", "B1")),
        "Milk collection centres, {district}",
        field_districts=("nyagatare", "gatsibo", "nyabihu", "rubavu", "gicumbi")
    ),
    _NeedTemplate(
        "minigrid", _S.ENERGY, "Solar mini-grid design and technician training",
        "{inst} is electrifying off-grid villages with solar mini-grids and needs stronger "
        "in-house design and maintenance capacity.",
        "Review mini-grid designs and sizing, and train engineers and technicians on "
        "installation, battery management and maintenance.",
        ("Design review of planned mini-grids", "Standard sizing tool",
         "Maintenance procedures", "Hands-on training for technicians"),
        "Designs standardised and technicians certified on maintenance procedures.",
        ("solar pv design", "mini-grid development", "battery energy storage",
         "electrical installation", "rural electrification planning"),
        ("off-grid solar business models", "training of trainers"),
        ("hybrid", "onsite"), (4, 12), (20, 40), (("en", "B2"),),
        site="Mini-grid sites, {district}",
        field_districts=("nyaruguru", "nyamasheke", "rutsiro", "gakenke", "kirehe")
    ),
    _NeedTemplate(
        "grid_losses", _S.ENERGY, "Distribution network planning and loss reduction",
        "{inst} faces high technical and commercial losses on parts of its distribution "
        "network, and network planning relies on outdated models.",
        "Build a network model, quantify losses and design a prioritised loss-reduction and "
        "reinforcement programme.",
        ("Network model of priority feeders", "Loss assessment report",
         "Loss-reduction investment plan", "Training for planning engineers"),
        "Investment plan adopted and engineers able to update the model independently.",
        ("grid planning", "electricity loss reduction", "power transmission and distribution",
         "electrical power systems engineering", "smart metering", "energy modelling"),
        ("scada systems", "project management"),
        ("hybrid", "remote"), (8, 20), (10, 20, 40), (("en", "B2"),),
    ),
    _NeedTemplate(
        "ifrs9", _S.FINANCE, "IFRS 9 expected credit loss model validation",
        "{inst} must strengthen its IFRS 9 impairment models ahead of supervisory review.",
        "Validate the expected credit loss methodology, improve forward-looking scenarios and "
        "transfer modelling skills to the risk team.",
        ("Model validation report", "Improved macroeconomic scenario framework",
         "Model documentation", "Training of risk analysts"),
        "Validation findings closed and documentation accepted by the external auditor.",
        ("ifrs 9 expected credit loss modelling", "credit risk management",
         "ifrs reporting", "banking regulation and supervision", "economic modelling"),
        ("python programming", "statistical analysis"),
        ("remote", "hybrid"), (6, 16), (8, 10, 20), (("en", "B2"),),
    ),
    _NeedTemplate(
        "fintech_sandbox", _S.FINANCE, "Fintech regulatory sandbox and digital payments",
        "{inst} wants to support innovation in digital payments while protecting consumers "
        "and financial stability.",
        "Advise on sandbox rules, assess pending applications and build staff capacity on "
        "digital payment risks.",
        ("Sandbox framework review", "Assessment toolkit for applicants",
         "Risk guidance for digital payments", "Staff workshop"),
        "Sandbox guidelines published and first cohort admitted.",
        ("fintech regulation", "digital payments", "financial inclusion",
         "anti-money laundering compliance", "banking regulation and supervision"),
        ("data protection and privacy", "policy writing"),
        ("remote", "hybrid"), (6, 16), (6, 10, 15), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "internal_audit", _S.FINANCE, "Internal audit and IPSAS capacity for local government",
        "{inst} receives recurring audit findings on financial reporting and internal "
        "controls.",
        "Strengthen the internal audit function with risk-based audit plans and support "
        "accountants in IPSAS-compliant reporting.",
        ("Risk-based internal audit plan", "Audit working papers and templates",
         "IPSAS reporting checklist", "Training for accountants and auditors"),
        "Year-end statements submitted on time with fewer audit findings than the prior year.",
        ("internal audit", "ipsas reporting", "public financial management",
         "financial accounting", "public sector audit"),
        ("risk management", "advanced microsoft excel"),
        ("onsite", "hybrid"), (4, 10), (30, 40), (("en", "B2"), ("rw", "B1")),
    ),
    _NeedTemplate(
        "urban_plan", _S.INFRASTRUCTURE, "Secondary city master plan implementation",
        "{district} is a designated secondary city. Its master plan needs detailed physical "
        "plans and stronger development control.",
        "Prepare detailed plans for priority zones, streamline permitting and train the "
        "one-stop centre staff.",
        ("Detailed physical plans for two zones", "GIS land-use database",
         "Permitting process improvements", "Training of one-stop centre staff"),
        "Detailed plans approved by the district council and permit processing time reduced.",
        ("urban planning", "land use planning", "building codes and permits",
         "geographic information systems", "smart city planning"),
        ("stakeholder engagement", "affordable housing development"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"), ("rw", "B1")),
        "District office, {seat}",
        types=("district_authority",)
    ),
    _NeedTemplate(
        "affordable_housing", _S.INFRASTRUCTURE, "Affordable housing structural design review",
        "{inst} is preparing affordable housing estates and wants cost-effective, safe "
        "designs using local materials.",
        "Review structural designs and specifications, propose cost savings and build the "
        "capacity of in-house engineers.",
        ("Design and specification review", "Cost-optimisation options",
         "Site supervision checklist", "Engineer training sessions"),
        "Construction cost per unit reduced without compromising structural safety.",
        ("structural engineering", "affordable housing development", "quantity surveying",
         "construction materials testing", "construction project management",
         "building information modelling"),
        ("green building design", "public-private partnerships"),
        ("hybrid", "onsite", "remote"), (6, 16), (10, 20, 40), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "water_supply", _S.INFRASTRUCTURE, "Rural water supply network optimisation",
        "Water schemes in {district} suffer from intermittent supply and high non-revenue "
        "water.",
        "Model the networks, identify losses and design a rehabilitation and operations plan "
        "with the district and operators.",
        ("Hydraulic model of priority schemes", "Non-revenue water assessment",
         "Rehabilitation designs", "Operator training"),
        "Plan adopted and non-revenue water reduced in the pilot scheme.",
        ("water supply engineering", "hydraulic engineering",
         "infrastructure asset management", "civil engineering"),
        ("water resources management", "geographic information systems"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B1"), ("rw", "B1")),
        "Water schemes, {district}",
        field_districts=("gisagara", "nyaruguru", "ngororero", "bugesera", "kirehe")
    ),
    _NeedTemplate(
        "haccp", _S.MANUFACTURING, "HACCP and ISO 22000 implementation in dairy processing",
        "{inst} wants to expand exports, which requires certified food safety management "
        "across its processing lines.",
        "Close gaps against ISO 22000, build the HACCP team and prepare for the "
        "certification audit.",
        ("Gap assessment", "HACCP plans for each line", "Prerequisite programmes",
         "Internal audit and mock certification audit"),
        "Certification audit passed with no major non-conformities.",
        ("food safety management", "dairy processing", "quality management systems",
         "food processing technology", "standard operating procedures development"),
        ("export readiness", "training of trainers"),
        ("onsite", "hybrid"), (4, 12), (40,), (("en", "B2"), ("rw", "B1")),
    ),
    _NeedTemplate(
        "metrology", _S.MANUFACTURING, "Metrology and conformity assessment services",
        "{inst} is expanding calibration and testing services demanded by manufacturers and "
        "exporters.",
        "Strengthen calibration procedures, support ISO/IEC 17025 accreditation of new "
        "services and train metrologists.",
        ("Review of calibration procedures", "Uncertainty budgets",
         "Accreditation readiness plan", "Training of metrologists"),
        "Two new calibration services ready for accreditation assessment.",
        ("metrology", "conformity assessment", "standards development",
         "quality management systems"),
        ("training of trainers", "industrial policy"),
        ("onsite", "hybrid"), (3, 10), (40,), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "lean", _S.MANUFACTURING, "Lean manufacturing for Made-in-Rwanda producers",
        "{inst} supports local manufacturers whose productivity is limited by waste, "
        "downtime and unplanned maintenance.",
        "Run lean diagnostics and coaching in pilot factories and train local lean coaches.",
        ("Lean diagnostics in three factories", "Kaizen events", "Maintenance plans",
         "Lean coach training"),
        "Pilot factories reduce downtime by 20% and local coaches run kaizen unaided.",
        ("lean manufacturing", "six sigma", "production planning", "maintenance engineering",
         "industrial engineering"),
        ("change management", "industrial health and safety"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"),),
    ),
    _NeedTemplate(
        "hospitality_standards", _S.TOURISM, "Hospitality service standards training",
        "Hotels and lodges around {district} attract more international visitors, but "
        "service standards are uneven.",
        "Train managers and front-line staff on service standards and help establish an "
        "in-house training system.",
        ("Mystery-guest baseline", "Service standards manual",
         "Training sessions for managers and staff", "In-house trainer toolkit"),
        "Guest satisfaction scores in participating hotels rise by 10 points.",
        ("hospitality service standards", "hotel management", "hospitality training",
         "front office operations", "food and beverage management"),
        ("customer experience management", "training of trainers"),
        ("onsite",), (3, 8), (40,), (("en", "B2"), ("fr", "B1"), ("rw", "B1")),
        "Partner hotels, {seat}",
        field_districts=("musanze", "rubavu", "karongi", "huye", "rusizi")
    ),
    _NeedTemplate(
        "ecotourism", _S.TOURISM, "Community-based ecotourism product development",
        "{inst} wants communities around protected areas in {district} to earn more from "
        "tourism through new experiences.",
        "Design and test community tourism products, and coach community enterprises on "
        "quality and marketing.",
        ("Product opportunity assessment", "Three tested tourism experiences",
         "Marketing plan and online listings", "Coaching of community enterprises"),
        "Three products listed with tour operators and first paying visitors received.",
        ("ecotourism", "community tourism enterprise development", "destination marketing",
         "tour operations", "wildlife tourism and guiding"),
        ("travel and tourism digital marketing", "community development"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"), ("rw", "B1")),
        "Communities around the park, {district}",
        field_districts=("musanze", "kayonza", "nyamagabe", "rusizi", "nyaruguru")
    ),
    _NeedTemplate(
        "mice", _S.TOURISM, "Conference and events (MICE) bidding and operations",
        "{inst} is growing Kigali as a destination for international conferences.",
        "Strengthen bid preparation, event operations and post-event evaluation for "
        "international meetings.",
        ("Bid toolkit", "Event operations manual", "Post-event impact methodology",
         "Team coaching"),
        "Toolkit used in at least two international bids.",
        ("mice and events management", "destination marketing", "tourism statistics"),
        ("stakeholder engagement", "negotiation", "brand strategy"),
        ("remote", "hybrid"), (6, 16), (6, 10, 15), (("en", "C1"), ("fr", "B2")),
    ),
    _NeedTemplate(
        "procurement", _S.PUBLIC_ADMINISTRATION, "Public procurement and contract management",
        "{inst} manages a growing capital budget but contracts are often delayed by weak "
        "bidding documents and contract management.",
        "Improve procurement planning and bidding documents, and train staff on contract "
        "management on the e-procurement system.",
        ("Procurement process review", "Standard bidding document templates",
         "Contract management toolkit", "Staff training"),
        "Average procurement lead time reduced and no complaints upheld during the period.",
        ("public procurement", "contract law and negotiation", "anti-corruption and integrity",
         "e-government systems"),
        ("risk management", "training of trainers"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"), ("rw", "B1")),
    ),
    _NeedTemplate(
        "legal_training", _S.PUBLIC_ADMINISTRATION, "Commercial law and arbitration training",
        "{inst} trains legal professionals who increasingly handle cross-border commercial "
        "disputes and investment contracts.",
        "Deliver an advanced course on commercial contracts, investment law and arbitration, "
        "and develop case materials.",
        ("Course outline and case materials", "Two-week intensive course",
         "Moot arbitration exercise", "Recommendations for the curriculum"),
        "Participants' post-test scores improve by 25% and materials added to the curriculum.",
        ("commercial law", "investment law and arbitration", "contract law and negotiation",
         "international trade law", "legislative drafting"),
        ("university teaching", "intellectual property law"),
        ("onsite", "hybrid"), (2, 6), (40,), (("en", "C1"), ("fr", "B2")),
    ),
    _NeedTemplate(
        "district_me", _S.PUBLIC_ADMINISTRATION, "District planning, M&E and performance contracts",
        "{inst} must report on performance contracts (imihigo) and its district development "
        "strategy but lacks a reliable monitoring system.",
        "Set up a results framework, indicators and a simple dashboard, and train planning "
        "staff in monitoring and evaluation.",
        ("Results framework and indicator reference sheets", "Data collection tools",
         "Monitoring dashboard", "Training of planning and M&E staff"),
        "Quarterly reports produced from the new system and used in council meetings.",
        ("district development planning", "monitoring and evaluation", "performance management",
         "decentralisation and local governance", "statistics and census"),
        ("data visualisation", "survey design"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("rw", "B2"), ("en", "B1")),
        "District office, {seat}",
    ),
    _NeedTemplate(
        "climate_finance", _S.ENVIRONMENT, "Climate finance proposal development",
        "{inst} coordinates climate-resilience projects and needs bankable proposals for "
        "international climate funds.",
        "Develop a full funding proposal with the project team, including the climate "
        "rationale, results framework and safeguards.",
        ("Concept note", "Climate rationale and theory of change", "Results framework",
         "Full proposal and safeguards annexes"),
        "Proposal submitted to the fund within the assignment period.",
        ("climate finance", "climate change adaptation", "environmental and social safeguards",
         "green growth strategy", "nature-based solutions"),
        ("grant writing", "monitoring and evaluation", "feasibility studies"),
        ("remote", "hybrid"), (8, 20), (8, 10, 20), (("en", "C1"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "waste", _S.ENVIRONMENT, "Solid waste and e-waste management improvement",
        "Growing towns in {district} face rising volumes of solid waste and electronic waste "
        "without segregation or recovery.",
        "Design an integrated waste management plan with segregation, recycling and "
        "e-waste take-back, and build local capacity.",
        ("Waste characterisation study", "Integrated waste management plan",
         "Recycling business models", "Awareness and training plan"),
        "Plan adopted by the district and a segregation pilot running in one sector.",
        ("solid waste management", "e-waste management", "circular economy",
         "environmental impact assessment"),
        ("community development", "business plan writing"),
        ("onsite", "hybrid"), (4, 12), (30, 40), (("en", "B2"), ("rw", "B1")),
        "Town centres, {district}",
        field_districts=("muhanga", "huye", "rubavu", "musanze", "nyagatare", "rusizi")
    ),
    _NeedTemplate(
        "restoration", _S.ENVIRONMENT, "Forest landscape and wetland restoration monitoring",
        "{inst} leads restoration commitments and needs robust monitoring of forest cover, "
        "wetlands and biodiversity.",
        "Set up a remote-sensing based restoration monitoring system and train staff in "
        "field verification.",
        ("Monitoring methodology", "Baseline maps", "Field verification protocol",
         "Staff training"),
        "Baseline maps validated and first monitoring report published.",
        ("forest landscape restoration", "remote sensing", "wetland management",
         "biodiversity conservation", "forestry management"),
        ("geographic information systems", "data visualisation"),
        ("remote", "hybrid", "onsite"), (6, 16), (10, 20, 40), (("en", "B2"),),
    ),
    _NeedTemplate(
        "exploration", _S.MINING, "Geological mapping and mineral exploration support",
        "{inst} is updating geological maps and exploration data to attract investment in "
        "tin, tungsten, tantalum and lithium.",
        "Support field mapping, data integration and resource estimation, and train "
        "geologists on modern exploration tools.",
        ("Field mapping campaign", "Integrated exploration database",
         "3D model of a priority target", "Training of geologists"),
        "Priority target ready for promotion to investors with documented data.",
        ("geological mapping", "mineral exploration", "geochemistry",
         "3d geological modelling", "mineral resource estimation", "economic geology"),
        ("remote sensing", "geographic information systems"),
        ("onsite", "hybrid"), (4, 12), (40,), (("en", "B2"), ("fr", "B1")),
        "Exploration licences, {district}",
        field_districts=(
            "rutsiro", "ngororero", "musanze", "gatsibo", "rwamagana", "nyamasheke", "karongi"
        )
    ),
    _NeedTemplate(
        "asm_safety", _S.MINING, "Artisanal mine safety and environmental practices",
        "Artisanal and small-scale mines in {district} have frequent accidents and "
        "environmental damage.",
        "Assess safety and environmental practices at selected sites and train operators and "
        "inspectors.",
        ("Site safety and environmental assessments", "Practical safety guidelines",
         "Training of operators and inspectors", "Rehabilitation recommendations"),
        "Zero fatal incidents at pilot sites and guidelines adopted by the regulator.",
        ("mine health and safety", "artisanal and small-scale mining",
         "mining environmental management", "mining engineering",
         "blasting and explosives management"),
        ("training of trainers", "industrial health and safety"),
        ("onsite",), (3, 8), (40,), (("rw", "B1"), ("en", "B1"), ("fr", "B1")),
        "Mine sites, {district}",
        field_districts=(
            "rutsiro", "ngororero", "kamonyi", "muhanga", "gatsibo", "nyamasheke", "rulindo"
        )
    ),
    _NeedTemplate(
        "mineral_value", _S.MINING, "Mineral processing and traceability",
        "{inst} promotes local mineral value addition and traceable exports.",
        "Advise on processing and laboratory capacity and strengthen traceability and "
        "due-diligence systems.",
        ("Processing options study", "Laboratory capacity review",
         "Traceability system assessment", "Training workshop"),
        "Recommendations adopted in the mineral value-addition roadmap.",
        ("mineral processing", "metallurgy", "mineral traceability",
         "mineral laboratory analysis", "mining value addition"),
        ("extractive industries transparency", "export readiness"),
        ("remote", "hybrid"), (6, 16), (8, 10, 20), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "film", _S.CREATIVE_INDUSTRIES, "Film production masterclass and mentoring",
        "{inst} supports a young generation of Rwandan filmmakers who lack access to "
        "advanced training in directing, cinematography and post-production.",
        "Deliver a practical masterclass and mentor participants through the production of "
        "short films.",
        ("Masterclass curriculum", "Two-week practical workshop",
         "Mentorship of short-film productions", "Screening event"),
        "At least four short films completed and submitted to festivals.",
        ("film production", "film directing", "cinematography", "video editing",
         "screenwriting"),
        ("sound engineering", "storytelling for development"),
        ("onsite", "hybrid"), (2, 8), (30, 40), (("en", "B2"), ("rw", "B1"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "heritage_digitisation", _S.CREATIVE_INDUSTRIES, "Heritage archive digitisation",
        "{inst} holds fragile photographs, recordings and objects documenting Rwanda's "
        "cultural heritage.",
        "Design a digitisation and preservation workflow and train staff on cataloguing and "
        "conservation.",
        ("Collection assessment", "Digitisation workflow and metadata standard",
         "Pilot digitisation of 500 items", "Staff training"),
        "Pilot collection digitised and searchable in the catalogue.",
        ("archive digitisation", "cultural heritage conservation", "museum curation",
         "records and archives management"),
        ("photography", "heritage tourism"),
        ("hybrid", "onsite"), (4, 12), (20, 40), (("en", "B2"), ("fr", "B1")),
    ),
    _NeedTemplate(
        "music_rights", _S.CREATIVE_INDUSTRIES, "Music industry and copyright management",
        "{inst} wants artists to earn fair revenue from their work through better rights "
        "management and business skills.",
        "Advise on collective management of rights and deliver business-of-music training to "
        "artists and managers.",
        ("Review of rights management practices", "Training on the business of music",
         "Artist-manager toolkit", "Policy recommendations"),
        "Recommendations adopted and 40 artists/managers trained.",
        ("copyright and creative rights management", "music business management",
         "music production", "creative economy policy", "arts management"),
        ("digital marketing", "intellectual property law"),
        ("remote", "hybrid", "onsite"), (4, 12), (8, 20, 40), (("en", "B2"), ("rw", "B1")),
    ),
)
# fmt: on

# --------------------------------------------------------------------------- helpers


# Hand-rolled draws on rng.random(): random.choice/sample/randint are several times slower
# (ABC checks, Python-level rejection sampling) and dominate 100,000-profile runs.
def _pick(rng: random.Random, seq: Sequence[T]) -> T:
    """Return a uniformly drawn element of seq."""
    return seq[int(rng.random() * len(seq))]


def _randint(rng: random.Random, a: int, b: int) -> int:
    """Return a uniformly drawn integer in [a, b]."""
    return a + int(rng.random() * (b - a + 1))


def _sample(rng: random.Random, seq: Sequence[T], k: int) -> list[T]:
    """Return k distinct elements of seq in random order (partial Fisher-Yates)."""
    pool = list(seq)
    n = len(pool)
    for i in range(min(k, n)):
        j = i + int(rng.random() * (n - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def _weighted(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    """Return one item drawn with the given relative weights."""
    x = rng.random() * sum(weights)
    for item, weight in zip(items, weights, strict=True):
        x -= weight
        if x < 0:
            return item
    return items[-1]


def _cumulative(rng: random.Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    """Return one item drawn with precomputed cumulative weights."""
    return items[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]


def _ascii_slug(text: str) -> str:
    """Return a lowercase ASCII slug for e-mail local parts ("Théogène N." → "theogene-n")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in folded.lower()).split()
    return "-".join(words) or "member"


def _variant(rng: random.Random, titles: str) -> str:
    """Pick one of the "|"-separated variants."""
    options = titles.split("|")
    return options[0] if len(options) == 1 else _pick(rng, options)


def _article(word: str) -> str:
    """Return 'an' before a vowel sound, else 'a'."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _country_name(code: str) -> str:
    """Return a country's display name (imported lazily to keep pycountry off the hot path)."""
    from app.reference.countries import country_name

    return country_name(code)


class _NamePools:
    """Names drawn from Faker once per locale so 100,000 profiles never call Faker per row."""

    def __init__(self, seed: int, size: int = 80) -> None:
        """Prepare lazily filled pools."""
        self._seed = seed
        self._size = size
        self._pools: dict[str, tuple[list[str], list[str], list[str]]] = {}

    def get(self, locale: str) -> tuple[list[str], list[str], list[str]]:
        """Return (female given, male given, surnames) for a Faker locale."""
        pool = self._pools.get(locale)
        if pool is None:
            fake = Faker(locale)
            # Stable per-locale seed: same profiles whatever the order locales are first needed.
            fake.seed_instance(self._seed * 1009 + sum(map(ord, locale)))
            female = _unique(fake.first_name_female for _ in range(self._size))
            male = _unique(fake.first_name_male for _ in range(self._size))
            last = _unique(fake.last_name for _ in range(self._size))
            pool = (female, male, last)
            self._pools[locale] = pool
        return pool


def _unique(calls: Iterable[Callable[[], str]]) -> list[str]:
    """Call each zero-argument callable and keep distinct results in order."""
    out: list[str] = []
    seen: set[str] = set()
    for call in calls:
        value = call()
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


_RW_FEMALE = [n for n, g in _RW_GIVEN if g in "fu"]
_RW_MALE = [n for n, g in _RW_GIVEN if g in "mu"]
_EA_FEMALE = [n for n, g in _EA_GIVEN if g in "fu"]
_EA_MALE = [n for n, g in _EA_GIVEN if g in "mu"]

_YEARS_BY_SENIORITY: dict[str, tuple[int, int]] = {
    "junior": (1, 4),
    "mid": (5, 10),
    "senior": (11, 20),
    "executive": (18, 32),
}
_LEVELS_BY_SENIORITY: dict[str, tuple[str, ...]] = {
    "junior": ("beginner", "intermediate", "intermediate"),
    "mid": ("intermediate", "advanced", "advanced"),
    "senior": ("advanced", "advanced", "expert"),
    "executive": ("advanced", "expert", "expert"),
}
_MOTIVATIONS: dict[str, tuple[str, ...]] = {
    "remote": (
        "Keen to support Rwandan colleagues through regular remote mentoring sessions.",
        "Wants to share practical know-how with Rwandan institutions from abroad.",
        "Available for remote advisory work and reviews alongside a full-time role.",
    ),
    "onsite": (
        "Plans to spend time in Rwanda to work side by side with local teams.",
        "Looking for a short on-site assignment to give back to Rwanda.",
        "Eager to train and mentor young professionals during visits home.",
    ),
    "both": (
        "Open to a mix of remote support and short stays in Rwanda.",
        "Would like to combine on-site training in Rwanda with remote follow-up.",
        "Motivated to build lasting partnerships between Rwandan and international teams.",
    ),
}


def _phone(rng: random.Random, country: _Country, city: _City) -> str:
    """Return a plausible E.164 mobile number for the country (and city, for NANP)."""
    if country.calling_code == "1":
        exchange = f"{_randint(rng, 2, 9)}{_randint(rng, 0, 9)}{_randint(rng, 0, 9)}"
        # N11 codes are service numbers and 555 is reserved for fiction.
        if exchange[1:] == "11" or exchange == "555":
            exchange = "234"
        return f"+1{_pick(rng, city.area_codes)}{exchange}{int(rng.random() * 10_000):04d}"
    prefix = _pick(rng, country.mobile_prefixes)
    rest = country.nsn_length - len(prefix)
    return f"+{country.calling_code}{prefix}{int(rng.random() * 10**rest):0{rest}d}"


def _windows(rng: random.Random, mode: str) -> list[tuple[date, date]]:
    """Return 1-3 non-overlapping availability windows within WINDOW_START..WINDOW_END."""
    span = (WINDOW_END - WINDOW_START).days
    count = _weighted(rng, (1, 2, 3), (55, 33, 12))
    starts = sorted(_randint(rng, 0, span - 15) for _ in range(count))
    out: list[tuple[date, date]] = []
    previous_end = -1
    for offset in starts:
        offset = max(offset, previous_end + 8)
        if offset >= span - 7:
            break
        weeks = _randint(rng, 4, 26) if mode == "remote" else _randint(rng, 2, 12)
        end = min(offset + weeks * 7 - 1, span)
        out.append((WINDOW_START + timedelta(days=offset), WINDOW_START + timedelta(days=end)))
        previous_end = end
    return out


# --------------------------------------------------------------------------- professionals


def generate_professionals(n: int, seed: int = DEFAULT_SEED) -> list[DemoProfessional]:
    """Return n coherent demo professionals; the same seed always gives the same list."""
    rng = random.Random(seed)
    pools = _NamePools(seed)
    country_weights = list(_accumulate(c.weight for c in _COUNTRIES))
    occupation_weights = list(_accumulate(o.weight for o in _OCCUPATIONS))
    return [_professional(rng, pools, i, country_weights, occupation_weights) for i in range(n)]


def _accumulate(values: Iterable[float]) -> list[float]:
    """Return cumulative sums for random.choices(cum_weights=...)."""
    total = 0.0
    out: list[float] = []
    for v in values:
        total += v
        out.append(total)
    return out


def _professional(
    rng: random.Random,
    pools: _NamePools,
    index: int,
    country_weights: list[float],
    occupation_weights: list[float],
) -> DemoProfessional:
    """Build one profile; every field derives from the occupation, country and seniority."""
    country = _cumulative(rng, _COUNTRIES, country_weights)
    city = _pick(rng, country.cities)
    occ = _cumulative(rng, _OCCUPATIONS, occupation_weights)
    tie = _weighted(rng, TIES, (60, 25, 15))
    gender = _weighted(rng, GENDERS, (47, 47, 3, 3))
    name_female = gender == "female" or (gender not in ("male", "female") and rng.random() < 0.5)

    given, surname, native = _name(rng, pools, country, tie, name_female)
    full_name = f"{given} {surname}"
    email = f"{_ascii_slug(given)}.{_ascii_slug(surname)}.{index + 1}@example.org"

    seniority = _weighted(rng, SENIORITIES, (20, 40, 30, 10))
    level_idx = SENIORITIES.index(seniority)
    lo, hi = _YEARS_BY_SENIORITY[seniority]
    years = _randint(rng, lo, hi)
    birth_year = CURRENT_YEAR - (22 + years + _randint(rng, 0, 6))

    education = _education(rng, occ, country, tie, seniority, years)
    experience = _experience(rng, occ, country, city, tie, level_idx, years)
    current = experience[-1]

    levels = _LEVELS_BY_SENIORITY[seniority]
    k_core = min(len(occ.core), _randint(rng, 3, 4) + min(level_idx, 2))
    skills: list[tuple[str, str, int]] = [
        (s, _pick(rng, levels), _randint(rng, max(1, years // 2), years))
        for s in _sample(rng, occ.core, k_core)
    ]
    skills += [
        (
            s,
            _pick(rng, ("beginner", "intermediate", "advanced")),
            _randint(rng, 1, max(1, years // 2)),
        )
        for s in _sample(rng, occ.nice, min(len(occ.nice), _randint(rng, 1, 3)))
    ]

    sectors = [str(occ.sector)]
    for related in occ.related:
        if rng.random() < 0.5:
            sectors.append(str(related))

    languages = _languages(rng, country, tie, native)

    mode = _weighted(rng, ("remote", "onsite", "both"), (45, 15, 40))
    windows = _windows(rng, mode)
    shortest = min((e - s).days for s, e in windows) // 7 + 1
    paid = rng.random() < 0.75
    unpaid = rng.random() < 0.65 or not paid
    availability = DemoAvailability(
        mode=mode,
        windows=windows,
        hours_per_week=_pick(rng, (4, 6, 8, 10, 15, 20))
        if mode == "remote"
        else _pick(rng, (10, 20, 30, 40)),
        onsite_weeks=0 if mode == "remote" else _randint(rng, 1, max(1, min(8, shortest))),
        willing_to_mentor=rng.random() < 0.7,
        open_to_paid=paid,
        open_to_unpaid=unpaid,
    )

    country_label = _country_name(country.code)
    years_text = "1 year" if years == 1 else f"{years} years"
    bio = (
        f"{given} works as {_article(current.title)} {current.title} at {current.employer} in "
        f"{city.name}, {country_label}, with {years_text} of experience in {occ.focus}. "
        f"Highlights include: {_pick(rng, occ.duties).lower()}. "
        f"{_pick(rng, _MOTIVATIONS[mode])}"
    )
    span = (REGISTRATION_END - REGISTRATION_START).days
    return DemoProfessional(
        email=email,
        full_name=full_name,
        preferred_name=given.split()[0] if rng.random() < 0.3 else given,
        gender=gender,
        birth_year=birth_year,
        phone=_phone(rng, country, city),
        country=country.code,
        city=city.name,
        timezone=city.tz,
        tie_to_rwanda=tie,
        languages=languages,
        education=education,
        experience=experience,
        skills=skills,
        sectors=sectors,
        headline=f"{current.title} · {occ.focus[:1].upper()}{occ.focus[1:]} · {city.name}",
        bio=bio,
        availability=availability,
        seniority=seniority,
        years_experience=years,
        consents=DemoConsents(
            matching=rng.random() < 0.97,
            newsletters=rng.random() < 0.6,
            statistics=rng.random() < 0.9,
        ),
        registered_at=REGISTRATION_START + timedelta(days=_randint(rng, 0, span)),
        occupation=occ.key,
    )


def _name(
    rng: random.Random, pools: _NamePools, country: _Country, tie: str, female: bool
) -> tuple[str, str, str]:
    """Return (given name, surname, native language code) for the tie and country."""
    if tie == "citizen" or (tie == "rwandan_origin" and rng.random() < 0.6):
        return _pick(rng, _RW_FEMALE if female else _RW_MALE), _pick(rng, _RW_SURNAMES), "rw"
    locale = _pick(rng, country.locales)
    if locale == "sw":
        given = _pick(rng, _EA_FEMALE if female else _EA_MALE)
        surname = _pick(rng, _EA_SURNAMES)
    else:
        f_pool, m_pool, last = pools.get(locale)
        given = _pick(rng, f_pool if female else m_pool)
        surname = _pick(rng, last)
    if tie == "rwandan_origin":
        # Children of Rwandan parents abroad: local given name, Rwandan family name.
        return given, _pick(rng, _RW_SURNAMES), "rw"
    native = locale.split("_")[0]
    return given, surname, native


def _education(
    rng: random.Random, occ: _Occupation, country: _Country, tie: str, seniority: str, years: int
) -> list[DemoEducation]:
    """Return degrees from first to most advanced, timed before and during the career."""
    wanted = {
        "junior": 1,
        "mid": _randint(rng, 1, 2),
        "senior": 2,
        "executive": _randint(rng, 2, 3),
    }
    count = min(len(occ.degrees), wanted[seniority])
    year = CURRENT_YEAR - years - _randint(rng, 0, 1)
    out: list[DemoEducation] = []
    for i, (degree, field_name) in enumerate(occ.degrees[:count]):
        if i == 0 and tie == "citizen" and rng.random() < 0.55:
            school, school_country = _pick(rng, _RW_UNIVERSITIES), "RW"
        else:
            school, school_country = _pick(rng, country.universities), country.code
        if i > 0:
            year = min(CURRENT_YEAR - 1, year + _randint(rng, 2, max(2, years // 3)))
        out.append(DemoEducation(degree, field_name, school, school_country, year))
    return out


def _experience(
    rng: random.Random,
    occ: _Occupation,
    country: _Country,
    city: _City,
    tie: str,
    level_idx: int,
    years: int,
) -> list[DemoWork]:
    """Return jobs in chronological order, titles rising to the current seniority."""
    count = 1 if years <= 3 else 2 if years <= 8 else 3 if years <= 15 else 4
    today = date(CURRENT_YEAR, 10, 1)
    career_start = date(CURRENT_YEAR - years, _randint(rng, 1, 12), 1)
    total = (today - career_start).days
    # Evenly spaced job changes with jitter below half a segment, so jobs never overlap.
    segment = total / count
    cuts = [int(segment * k + (rng.random() - 0.5) * segment * 0.6) for k in range(1, count)]
    starts = [career_start] + [career_start + timedelta(days=c) for c in cuts]
    jobs: list[DemoWork] = []
    for k, start in enumerate(starts):
        title_idx = max(0, level_idx - (count - 1 - k))
        title = _variant(rng, occ.titles[title_idx])
        if k == 0 and tie == "citizen" and rng.random() < 0.4:
            employer, job_country = _pick(rng, _RW_EMPLOYERS[occ.sector]), "RW"
        else:
            employer, job_country = _pick(rng, occ.employers).format(city=city.name), country.code
        end = starts[k + 1] - timedelta(days=1) if k + 1 < count else None
        duties = _sample(rng, occ.duties, min(2, len(occ.duties)))
        jobs.append(DemoWork(title, employer, job_country, start, end, ". ".join(duties) + "."))
    return jobs


def _languages(
    rng: random.Random, country: _Country, tie: str, native: str
) -> list[tuple[str, str]]:
    """Return (ISO 639-1 code, CEFR level or 'native') pairs, first one the strongest."""
    out: dict[str, str] = {}
    if tie == "citizen":
        out["rw"] = "native"
        out["en"] = _pick(rng, ("B2", "C1", "C1", "C2"))
        if rng.random() < 0.6:
            out["fr"] = _pick(rng, ("B1", "B2", "C1", "C2"))
        if rng.random() < 0.35:
            out["sw"] = _pick(rng, ("A2", "B1", "B2"))
    elif tie == "rwandan_origin":
        out["rw"] = _pick(rng, ("A2", "B1", "B2", "C1"))
        local = country.languages[0]
        out[local] = "native"
        if "en" not in out:
            out["en"] = _pick(rng, ("B2", "C1", "C2"))
    else:
        out[native] = "native"
        if native != "en":
            out["en"] = _pick(rng, ("B1", "B2", "C1"))
        if rng.random() < 0.3:
            out.setdefault("fr", _pick(rng, ("A2", "B1", "B2")))
        if rng.random() < 0.3:
            out.setdefault("rw", _pick(rng, ("A1", "A2")))
    local = country.languages[0]
    if local not in out and rng.random() < 0.7:
        out[local] = _pick(rng, ("A2", "B1", "B2", "C1"))
    ordered = sorted(out.items(), key=lambda kv: kv[1] != "native")
    return ordered


# --------------------------------------------------------------------------- institutions


def generate_institutions(seed: int = DEFAULT_SEED) -> list[DemoInstitution]:
    """Return the demo host institutions (real public bodies, invented contact people)."""
    rng = random.Random(seed + 1)
    out: list[DemoInstitution] = []
    for spec in _INSTITUTIONS:
        female = rng.random() < 0.5
        given = _pick(rng, _RW_FEMALE if female else _RW_MALE)
        surname = _pick(rng, _RW_SURNAMES)
        # example.org sub-domains are reserved, so demo mail can never reach a real inbox.
        domain = f"{spec.short}.example.org"
        district = DISTRICTS[spec.district]
        out.append(
            DemoInstitution(
                name=spec.name,
                short_name=spec.short,
                type=spec.type,
                sector=str(spec.sector),
                district=spec.district,
                address=f"{spec.street}, {district.label} District, Rwanda",
                website=spec.website,
                email_domain=domain,
                contact=DemoContact(
                    name=f"{given} {surname}",
                    email=f"{_ascii_slug(given)}.{_ascii_slug(surname)}@{domain}",
                    title=spec.contact_title,
                ),
                other_sectors=[str(s) for s in spec.other_sectors],
            )
        )
    return out


# --------------------------------------------------------------------------- needs


def generate_needs(
    institutions: Sequence[DemoInstitution],
    n: int = 48,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
) -> list[DemoNeed]:
    """Return n needs spread over templates and institutions; deterministic for seed and today."""
    # Placements run on Kigali time, so "today" is the date in Rwanda.
    today = today or datetime.now(tz=ZoneInfo("Africa/Kigali")).date()
    rng = random.Random(seed + 2)
    templates = list(_NEEDS)
    rng.shuffle(templates)
    load = [0] * len(institutions)
    used: dict[str, int] = {}
    needs: list[DemoNeed] = []
    for i in range(n):
        tpl = templates[i % len(templates)]
        candidates = [
            j
            for j, inst in enumerate(institutions)
            if (inst.sector == tpl.sector or tpl.sector in inst.other_sectors)
            and (not tpl.types or inst.type in tpl.types)
        ]
        if not candidates:
            continue
        # Least-loaded host first so every institution gets work; random among ties.
        fewest = min(load[j] for j in candidates)
        idx = _pick(rng, [j for j in candidates if load[j] == fewest])
        load[idx] += 1
        needs.append(_need(rng, tpl, idx, institutions[idx], today, used))
    return needs


def _need(
    rng: random.Random,
    tpl: _NeedTemplate,
    idx: int,
    inst: DemoInstitution,
    today: date,
    used: dict[str, int],
) -> DemoNeed:
    """Instantiate one terms-of-reference template for a host institution."""
    district_slug = inst.district
    # National agencies send people to the field; district authorities host in their district.
    if (
        tpl.field_districts
        and inst.type != "district_authority"
        and (DISTRICTS[inst.district].province == "kigali" or rng.random() < 0.5)
    ):
        district_slug = _pick(rng, tpl.field_districts)
    district = DISTRICTS[district_slug]
    fill = {"inst": inst.name, "district": district.label, "seat": district.seat}

    mode = _pick(rng, tpl.modes)
    start = today + timedelta(days=_randint(rng, 45, 420))
    start += timedelta(days=(7 - start.weekday()) % 7)  # placements start on a Monday
    weeks = _randint(rng, *tpl.weeks)
    end = start + timedelta(days=weeks * 7 - 3)  # ... and end on a Friday
    deadline = max(today + timedelta(days=14), start - timedelta(days=_randint(rng, 21, 45)))

    must = _sample(rng, tpl.must, _randint(rng, 3, min(6, len(tpl.must))))
    nice = _sample(rng, tpl.nice, _randint(rng, 1, min(3, len(tpl.nice))))
    if mode == "remote":
        offers = list(_weighted(rng, (("none",), ("stipend",)), (75, 25)))
    else:
        offers = [
            o
            for o, p in (("travel", 0.8), ("accommodation", 0.75), ("stipend", 0.5))
            if rng.random() < p
        ] or ["none"]

    used[tpl.key] = used.get(tpl.key, 0) + 1
    title = tpl.title if used[tpl.key] == 1 else f"{tpl.title} ({district.label})"
    return DemoNeed(
        institution_index=idx,
        title=title,
        background=tpl.background.format(**fill),
        objectives=tpl.objectives.format(**fill),
        deliverables=list(tpl.deliverables),
        success_criteria=tpl.success.format(**fill),
        required_skills=[(s, "must") for s in must] + [(s, "nice") for s in nice],
        sector=str(tpl.sector),
        mode=mode,
        district=None if mode == "remote" else district_slug,
        site=None if mode == "remote" else tpl.site.format(**fill),
        start=start,
        end=end,
        duration_weeks=weeks,
        hours_per_week=_pick(rng, tpl.hours),
        languages=list(tpl.languages),
        people_needed=_weighted(rng, (1, 2, 3), (70, 22, 8)),
        offers=offers,
        application_deadline=deadline,
        contact_person=inst.contact.name,
        template=tpl.key,
    )
