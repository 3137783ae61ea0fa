"""Case studies in the project's moderation framework (registered from MeetingsConfig.ready()).

Case studies live in one space, "case_studies". Every submission by SIC staff is pre-moderated,
so it waits in the shared moderation queue as well as on this app's review page; decisions
from either place go through moderation.services.decide and are audited there.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.models import Role
from moderation.registry import Audience, ModeratedModel, PolicyMode, Space, register

from . import permissions
from .models import CaseStudy

CASE_STUDY_SPACE = Space(kind="case_studies", pk=None, label=str(_("Helpline case studies")))


def _coordinators(space: Space):
    return get_user_model().objects.filter(groups__name=Role.NETWORK_COORDINATOR, is_active=True)


def register_case_studies() -> None:
    register(ModeratedModel(
        model=CaseStudy,
        space_of=lambda case_study: CASE_STUDY_SPACE,
        can_moderate=lambda user, space: user.has_role(Role.NETWORK_COORDINATOR),
        moderators_of=_coordinators,
        can_view=permissions.can_view_case_study,
        author_field="author",
        text_fields=("title", "summary", "narrative_source", "outcome", "lessons_learned"),
        html_field="narrative_html",
        title_of=lambda case_study: case_study.title,
        url_of=lambda case_study: reverse("meetings:case_study_detail", args=[case_study.pk]),
        default_policy={Audience.YOUTH_PANELLIST: PolicyMode.PRE_MODERATE, Audience.STAFF: PolicyMode.PRE_MODERATE},
        counts_as_post=False,
    ))
