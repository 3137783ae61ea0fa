from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.urls import urlpatterns as site_urlpatterns
from notifications.services import notify


@csrf_exempt
@require_POST
def notify_member(request, user_id):
    """Stands in for a feature app's service: one transaction, notify(), commit."""
    recipient = get_user_model().objects.get(pk=user_id)
    with transaction.atomic():
        notify(recipients=[recipient], kind="role_change", title=request.POST["title"], actor=request.user)
    return HttpResponse(status=204)


urlpatterns = [path("test-only/notify/<int:user_id>/", notify_member), *site_urlpatterns]
