"""The moderation section of a member's personal-data export.

Safeguarding concerns *about* the member are not included: they are kept confidential for the
safeguarding leads (the GDPR allows restricting access where it protects others); concerns the
member raised are.
"""

from .models import Flag, ModerationItem, SafeguardingConcern, Sanction


def personal_data_of(user) -> dict:
    return {
        "submissions": list(
            ModerationItem.objects.filter(author=user).values(
                "kind", "reason", "hold_rules", "status", "title", "space_label", "created_at", "decision",
                "decided_at", "reason_code", "reason_text", "appeal_text",
            )
        ),
        "flags_raised": list(
            Flag.objects.filter(flagged_by=user).values("category", "note", "created_at", "resolved_at")
        ),
        "sanctions": list(
            Sanction.objects.filter(user=user).values("kind", "space_label", "reason", "starts_at", "ends_at",
                                                      "lifted_at")
        ),
        "concerns_raised": list(
            SafeguardingConcern.objects.filter(raised_by=user).values("about_self", "message", "created_at", "status")
        ),
    }
