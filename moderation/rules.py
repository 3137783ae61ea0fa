"""Automatic holds: rules that hold content which would otherwise be published.

Each detector is a pure function of the text (plus the lists it needs), so it can be tested
with realistic sentences in many languages. `Hold.code` is stored on the queue item (and
filters the queue); `Hold.message` is what the author reads: kind, specific, no blame.
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Hold:
    code: str
    message: str


HOLD_MESSAGES = {
    "email": _(
        "It looks like it contains an email address. To keep everyone safe, a moderator checks "
        "posts with contact details before they appear."
    ),
    "phone": _(
        "It looks like it contains a phone number. To keep everyone safe, a moderator checks "
        "posts with contact details before they appear."
    ),
    "address": _(
        "It looks like it contains a street address. A moderator checks it first, so nobody can "
        "find out where someone lives."
    ),
    "handle": _(
        "It looks like it contains a username on another app (like Instagram, Snapchat or "
        "Discord). A moderator checks it first, because contact outside the platform isn't safe."
    ),
    "link": _(
        "It contains a link to a website we don't know yet. A moderator checks new links first."
    ),
    "words": _("It contains a word or phrase on our review list, so a moderator reads it first."),
    "new_member": _("Welcome! The first posts of new members are read by a moderator before they appear."),
}

RULE_LABELS = {
    "email": _("Email address"),
    "phone": _("Phone number"),
    "address": _("Street address"),
    "handle": _("Messenger or social handle"),
    "link": _("Link to an unknown website"),
    "words": _("Word list"),
    "new_member": _("New member"),
}


def hold(code: str) -> Hold:
    return Hold(code=code, message=str(HOLD_MESSAGES[code]))


# --- Email addresses, including the ways people hide them -----------------------------------
_TLDS = (
    r"com|org|net|info|edu|gov|int|io|me|app|dev|co|eu|gg|tv|ly|biz|online|"
    r"at|be|bg|ch|cy|cz|de|dk|ee|es|fi|fr|gr|hr|hu|ie|is|it|li|lt|lu|lv|mt|nl|no|pl|pt|ro|rs|"
    r"ru|se|si|sk|uk|us|ca|au|br"
)
_OPEN = r"[\[({<]"
_CLOSE = r"[\])}>]"
# "@", "[at]", "(at)", " at ", Spanish/Portuguese "arroba", Greek "παπάκι" (the @ sign's name).
_AT = (
    rf"(?:\s*@\s*|\s*{_OPEN}\s*(?:at|@|arroba|παπάκι)\s*{_CLOSE}\s*"
    r"|\s+(?:at|arroba|παπάκι|chez|bei)\s+)"
)
_DOT = (
    rf"(?:\s*\.\s*|\s*{_OPEN}\s*(?:dot|punto|punkt|point|ponto|τελεία|\.)\s*{_CLOSE}\s*"
    r"|\s+(?:dot|punto|punkt|point|ponto|τελεία)\s+)"
)
_EMAIL = re.compile(
    rf"(?<![\w.])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}(?:{_TLDS})(?![\w])", re.IGNORECASE
)


def find_emails(text: str) -> list[str]:
    return [match.group(0) for match in _EMAIL.finditer(text)]


# --- Phone numbers in the formats of the network's countries --------------------------------
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d(?![\w])")
_DATE = re.compile(r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$")
# "2023-2024", "2019 2020 2021": years, not a number to call.
_YEAR_RANGE = re.compile(r"^(?:(?:19|20)\d{2}[\s,/-]+)+(?:19|20)\d{2}$")
# 1.000.000 or 12,500,000: a quantity written with thousands separators.
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def find_phone_numbers(text: str) -> list[str]:
    found = []
    for match in _PHONE_CANDIDATE.finditer(text):
        candidate = match.group(0).strip()
        digits = re.sub(r"\D", "", candidate)
        if not 8 <= len(digits) <= 15:
            continue
        if _DATE.match(candidate) or _YEAR_RANGE.match(candidate) or _THOUSANDS.match(candidate):
            continue
        found.append(candidate)
    return found


# --- Street addresses ------------------------------------------------------------------------
_UPPER = r"A-ZÀ-ÖØ-ÞĀ-ŽΆ-ΏΑ-ΩА-Я"
_NAME_WORD = rf"[{_UPPER}][\w'’.-]*"
# "12 Main Street", "221B Baker St", "5 Ashgrove Road"
_NUMBER_FIRST = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:{_NAME_WORD}\s+){{1,3}}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Close|Crescent|Terrace|Boulevard|Way|Court|Place|Square)\b"
)
# "10 rue de la Paix", "25 avenue Foch", "3 calle Mayor"
_NUMBER_THEN_STREET_WORD = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|chemin|place|allée|calle|avenida|rua|via|viale|piazza)\s+"
    rf"(?:(?:de|du|des|la|le|del|della|di|da|do|dos)\s+)*{_NAME_WORD}",
    re.IGNORECASE,
)
# "Via Roma 12", "Calle Mayor 5", "ul. Marszałkowska 10", "Οδός Σταδίου 5", "Rue Neuve 14"
_STREET_WORD_FIRST = re.compile(
    r"(?:\b(?:Via|Viale|Piazza|Calle|Avenida|Rua|Rue|Ulica|Utca|Strada|Iela|Gatvė)|(?<!\w)(?:ul\.|Οδός|οδός|Οδού|Λεωφόρος|Λεωφ\.))"
    rf"\s+(?:{_NAME_WORD}\s+){{1,4}}\d{{1,4}}[a-zA-Z]?\b"
)
# "Hauptstraße 5", "Kungsgatan 12", "Nørregade 3", "Kalverstraat 92", "Mannerheimintie 10"
_COMPOUND_STREET = re.compile(
    r"\b\w+(?:straße|strasse|str\.|gasse|weg|platz|allee|gatan|gata|gade|vej|straat|laan|gracht|"
    r"plein|katu|tie|utca|ulice|iela|tänav)\s+\d{1,4}[a-zA-Z]?\b",
    re.IGNORECASE,
)


def find_street_addresses(text: str) -> list[str]:
    found = []
    for pattern in (_NUMBER_FIRST, _NUMBER_THEN_STREET_WORD, _STREET_WORD_FIRST, _COMPOUND_STREET):
        found.extend(match.group(0) for match in pattern.finditer(text))
    return found


# --- Messenger and social handles ------------------------------------------------------------
_PLATFORMS = (
    r"instagram|insta|ig|snapchat|snap|sc|tiktok|tik\s?tok|discord|telegram|whatsapp|whats\s?app|"
    r"signal|kik|twitter|facebook|fb|messenger|twitch|steam|roblox|reddit|threads|bereal|skype|"
    r"viber|wechat|line|youtube|yt"
)
_HANDLE_PATTERNS = [
    # "snap: alex_2010", "discord - alex#1234", "insta = alex.k"
    re.compile(rf"\b(?:{_PLATFORMS})\b\s*[:=\-–]\s*@?[\w.]{{3,32}}", re.IGNORECASE),
    # "my insta is @alex.k", "on TikTok @alexk"
    re.compile(rf"\b(?:{_PLATFORMS})\b[^\n.!?@]{{0,25}}@[\w.]{{2,32}}", re.IGNORECASE),
    # "@alex.k on insta"
    re.compile(rf"@[\w.]{{2,32}}[^\n.!?]{{0,15}}\b(?:on|in|at|via)\s+(?:{_PLATFORMS})\b", re.IGNORECASE),
    # "add me on snap", "dm me on insta", "text me on whatsapp"
    re.compile(
        rf"\b(?:add|follow|dm|pm|message|msg|text|find|contact|call|write\s+to|hit)\s+me\s+(?:up\s+)?"
        rf"(?:on|at|in|via)\s+(?:{_PLATFORMS}|x)\b",
        re.IGNORECASE,
    ),
    # Discord's old tags: "alex#1234"
    re.compile(r"(?<![\w#&])[A-Za-z][\w.]{1,31}#\d{4}\b"),
]


def find_handles(text: str) -> list[str]:
    found = []
    for pattern in _HANDLE_PATTERNS:
        found.extend(match.group(0) for match in pattern.finditer(text))
    return found


# --- Links to hosts we do not know -------------------------------------------------------------
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|org|net|io|me|gg|ly|app|xyz|info|eu|tv|co|link|site|online|to)\b(?:/[^\s<>()\"']*)?",
    re.IGNORECASE,
)


def host_of(url: str) -> str:
    if not re.match(r"^https?://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def is_known_host(host: str, known_hosts) -> bool:
    return any(host == known or host.endswith("." + known) for known in known_hosts)


def find_unknown_links(text: str, known_hosts) -> list[str]:
    without_emails = _EMAIL.sub(" ", text)
    urls = [match.group(0).rstrip(".,;:!?") for match in _URL.finditer(without_emails)]
    remaining = _URL.sub(" ", without_emails)
    urls += [match.group(0).rstrip(".,;:!?") for match in _BARE_DOMAIN.finditer(remaining)]
    unknown = []
    for url in urls:
        host = host_of(url)
        if host and not is_known_host(host, known_hosts):
            unknown.append(url)
    return unknown


# --- Word lists --------------------------------------------------------------------------------
def normalise(text: str) -> str:
    """Case- and accent-insensitive form, so "Ηλίθιε" matches "ηλιθιε" and "IDIOT" "idiot"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def find_listed_phrases(text: str, phrases) -> list[str]:
    haystack = normalise(text)
    found = []
    for phrase in phrases:
        words = normalise(phrase).split()
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"
        if re.search(pattern, haystack):
            found.append(phrase)
    return found


def contact_data_holds(text: str, known_hosts) -> list[Hold]:
    """The rules for youth panellists' content: anything that lets someone reach them."""
    holds = []
    if find_emails(text):
        holds.append(hold("email"))
    if find_phone_numbers(text):
        holds.append(hold("phone"))
    if find_street_addresses(text):
        holds.append(hold("address"))
    if find_handles(text):
        holds.append(hold("handle"))
    if find_unknown_links(text, known_hosts):
        holds.append(hold("link"))
    return holds
