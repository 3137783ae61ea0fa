"""The personal-data export ("your data"): everything keyed to the user, nothing of anyone else's.

Feature apps add their sections by registering an exporter in AppConfig.ready().
"""

from collections.abc import Callable

_exporters: dict[str, Callable] = {}


def register_exporter(section: str, exporter: Callable) -> None:
    """`exporter(user) -> list | dict` returns only rows the user authored or that concern them."""
    _exporters[section] = exporter


def personal_data_of(user) -> dict:
    from notifications.models import Notification

    memberships = [
        {
            "organisation": m.organisation.name,
            "country": m.organisation.country.name,
            "role": m.role,
            "status": m.status,
            "services": [s.code for s in m.services.all()],
            "job_title": m.job_title,
            "motivation": m.motivation,
            "requested_at": m.created_at,
            "decided_at": m.decided_at,
            "decision_reason": m.decision_reason,
        }
        for m in user.memberships.select_related("organisation__country").prefetch_related("services")
    ]
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "languages": user.languages,
            "bio": user.bio,
            "birth_year": user.birth_year,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "roles": sorted(user.role_names),
            "privacy": {
                "show_surname": user.show_surname,
                "show_email": user.show_email,
                "show_in_directory": user.show_in_directory,
            },
        },
        "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
        "memberships": memberships,
        "notifications": list(
            Notification.objects.filter(recipient=user).values("kind", "title", "body", "url", "created_at", "read_at")
        ),
    }
    for section, exporter in sorted(_exporters.items()):
        data[section] = exporter(user)
    return data
