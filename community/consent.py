"""The age of digital consent per country (GDPR art. 8).

Below this age a child cannot consent to an information-society service on their own: a
holder of parental responsibility must authorise it. Youth panels use this table when a
coordinator invites a panellist (the parent's authorisation is recorded at invitation).

Sources: each member state's GDPR implementation act as summarised by the European
Commission and Better Internet for Kids ("age of digital consent" map). Review when a
country changes its law; the table is data, so a change is a one-line edit with a test.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Article 8(1) GDPR: 16 unless national law sets a lower age, not below 13.
GDPR_DEFAULT_CONSENT_AGE = 16

DIGITAL_CONSENT_AGE: dict[str, int] = {
    "AT": 14,
    "BE": 13,
    "BG": 14,
    "HR": 16,
    "CY": 14,
    "CZ": 15,
    "DK": 13,
    "EE": 13,
    "FI": 13,
    "FR": 15,
    "DE": 16,
    "GR": 15,
    "HU": 16,
    "IS": 13,  # EEA
    "IE": 16,
    "IT": 14,
    "LV": 13,
    "LT": 14,
    "LU": 16,
    "MT": 13,
    "NL": 16,
    "NO": 13,  # EEA
    "PL": 16,
    "PT": 13,
    "RO": 16,
    "SK": 16,
    "SI": 15,
    "ES": 14,
    "SE": 13,
    "GB": 13,  # UK GDPR and Data Protection Act 2018
    "RS": 15,  # Serbian Law on Personal Data Protection 2018, art. 16
    # Colombia (SIC+): Law 1581 of 2012 requires the legal representative for every minor.
    "CO": 18,
}


def digital_consent_age(country_code: str) -> int:
    """The age from which a young person consents alone; the GDPR default (16) where a
    country has not set its own (or is outside the GDPR and not listed)."""
    return DIGITAL_CONSENT_AGE.get((country_code or "").upper(), GDPR_DEFAULT_CONSENT_AGE)


def youngest_possible_age(birth_year: int, today: datetime.date | None = None) -> int:
    """We store only the birth year (data minimisation), so count the age a person born late
    in that year would have today."""
    today = today or datetime.date.today()
    return today.year - birth_year - 1


def needs_parental_authorisation(*, birth_year: int | None, country_code: str,
                                 today: datetime.date | None = None) -> bool:
    """Whether a young person may only be activated with a parent's recorded authorisation.
    An unknown birth year is treated as below the age: we never assume an adult."""
    if birth_year is None:
        return True
    return youngest_possible_age(birth_year, today) < digital_consent_age(country_code)


# A birth year outside this span is a typing mistake: nobody this young or this old takes part.
YOUNGEST_PLAUSIBLE_AGE = 8
OLDEST_PLAUSIBLE_AGE = 100


def check_birth_year(birth_year: int, today: datetime.date | None = None) -> None:
    """Refuse a year in the future or outside the plausible span, in words a teenager reads."""
    today = today or datetime.date.today()
    if birth_year > today.year:
        raise ValidationError(_("%(year)d has not happened yet: please check your birth year.") % {"year": birth_year})
    earliest, latest = today.year - OLDEST_PLAUSIBLE_AGE, today.year - YOUNGEST_PLAUSIBLE_AGE
    if not earliest <= birth_year <= latest:
        raise ValidationError(
            _("Please check your birth year: it should be a year between %(earliest)d and %(latest)d.")
            % {"earliest": earliest, "latest": latest}
        )
