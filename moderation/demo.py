"""Demo data for moderation: safeguarding leads and starter word lists. Idempotent."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import BlockedPhrase
from .permissions import SAFEGUARDING_LEAD

User = get_user_model()

# The coordination team is the network lead; the Greek youth coordinator the national lead.
DEMO_LEADS = ("coordinator@demo.sic.community", "youthcoord@demo.sic.community")
STARTER_PHRASES = [
    ("en", "kill yourself"),
    ("en", "send nudes"),
    ("en", "meet me alone"),
    ("el", "σκότωσε τον εαυτό σου"),
    ("de", "bring dich um"),
    ("fr", "suicide-toi"),
]


def load_demo() -> None:
    group, _created = Group.objects.get_or_create(name=SAFEGUARDING_LEAD)
    for lead in User.objects.filter(email__in=DEMO_LEADS):
        lead.groups.add(group)
    for language, phrase in STARTER_PHRASES:
        BlockedPhrase.objects.get_or_create(language=language, phrase=phrase)
