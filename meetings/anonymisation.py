"""Warnings about personal data left in a case study before it is shared.

A heuristic, not a guarantee: it catches the usual slips (an email address, a phone number,
a full name next to an age, a school's name) so the author looks again. The author decides.
"""

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Eight or more digits, allowing spaces, dots, dashes and brackets between them (+30 210 123 4567).
PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s.\-()]*\d){7,}(?![\w])")
NAME = r"[A-ZÀ-ÖØ-ÞΑ-Ω][a-zà-öø-ÿα-ωά-ώ]+(?:[ -][A-ZÀ-ÖØ-ÞΑ-Ω][a-zà-öø-ÿα-ωά-ώ]+)+"
NAME_WITH_AGE = re.compile(
    rf"(?:{NAME}\s*(?:,|\(|\bis\b|\baged\b)\s*(?:aged\s*)?\d{{1,2}}\b)"
    rf"|(?:\b\d{{1,2}}[- ]year[- ]old\s+{NAME})"
)
SCHOOL = re.compile(
    r"\b(?:[A-Z][\w'-]+\s+){1,4}(?:Primary|Secondary|High|Middle|Grammar|Community|National)?\s*"
    r"(?:School|College|Academy|Gymnasium|Lyceum|Lycée|Schule|Scuola|Escuela)\b"
    r"|\b(?:School|College|Academy|Gymnasium|Lyceum)\s+of\s+[A-Z][\w'-]+"
)


def personal_data_warnings(text: str) -> list[str]:
    """One message per kind of likely personal data found, quoting what was found."""
    warnings = []
    checks = [
        (EMAIL, _("an email address")),
        (PHONE, _("a phone number")),
        (NAME_WITH_AGE, _("a full name next to an age")),
        (SCHOOL, _("the name of a school")),
    ]
    for pattern, what in checks:
        match = pattern.search(text or "")
        if match:
            warnings.append(
                _("It looks like the text contains %(what)s: “%(found)s”.")
                % {"what": what, "found": match.group(0).strip()[:80]}
            )
    return warnings
