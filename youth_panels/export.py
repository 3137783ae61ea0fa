"""The youth area's section of the personal-data export: only what the person wrote or what
concerns them, never anyone else's data."""

from .models import BirthYearChange, PanelMembership, YouthComment, YouthFollower, YouthPost


def personal_data_of(user) -> dict:
    return {
        "panel_memberships": [
            {
                "panel": row.panel.name,
                "status": row.status,
                "parental_authorisation_recorded": row.parental_authorisation,
                "authorised_by": row.authorised_by,
                "authorisation_recorded_at": row.authorisation_recorded_at,
                "authorisation_expires_on": row.authorisation_expires_on,
                "authorisation_withdrawn_at": row.authorisation_withdrawn_at,
                "joined_at": row.approved_at,
                "removed_at": row.removed_at,
            }
            for row in PanelMembership.objects.filter(user=user).select_related("panel")
        ],
        "birth_year_changes": list(
            BirthYearChange.objects.filter(user=user).values(
                "previous_year", "requested_year", "status", "requested_at", "decided_at"
            )
        ),
        "follows_youth_work": YouthFollower.objects.filter(user=user).exists(),
        "posts": [
            {
                "space": post.panel.name,
                "title": post.title,
                "body": post.body,
                "image_description": post.image_alt,
                "moderation_state": post.moderation_state,
                "created_at": post.created_at,
                "promoted_at": post.promoted_at,
                "deleted_at": post.deleted_at,
            }
            for post in YouthPost.all_objects.filter(author=user).select_related("panel")
        ],
        "comments": list(
            # The post is named by its id: its title is its author's words, not this person's.
            YouthComment.all_objects.filter(author=user).values(
                "post_id", "body", "moderation_state", "created_at", "deleted_at"
            )
        ),
    }
