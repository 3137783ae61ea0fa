from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .events import notification_payload
from .forms import PreferencesForm
from .kinds import get_kind


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") and "text/html" not in request.headers.get(
        "Accept", ""
    )


def notification_list(request):
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_GET
@never_cache
def notification_feed(request):
    """The bell's data: the latest notifications, or with `?after=<id>` what a reconnecting
    or polling client missed, oldest first. Also the unread count."""
    after = request.GET.get("after", "")
    if after.isdigit():
        items = selectors.notifications_after(user=request.user, after_id=int(after))
        has_more = len(items) == selectors.FEED_CATCH_UP_LIMIT
    else:
        items = selectors.latest_notifications_for(user=request.user)
        has_more = False
    return JsonResponse(
        {
            "unread_count": selectors.unread_count_for(user=request.user),
            "notifications": [notification_payload(item) for item in items],
            "has_more": has_more,
        }
    )


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go where it points (on this site only). Someone else's
    notification answers 404, as if it did not exist."""
    notification = get_object_or_404(selectors.notifications_for(user=request.user), pk=pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_mark_read(request, pk):
    """Mark one notification read without leaving the page (the dropdown uses it)."""
    notification = get_object_or_404(selectors.notifications_for(user=request.user), pk=pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    if _wants_json(request):
        return JsonResponse({"unread_count": selectors.unread_count_for(user=request.user)})
    return redirect("notifications:list")


@require_POST
def notification_mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    if _wants_json(request):
        return JsonResponse({"unread_count": 0, "marked": count})
    messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
    return redirect("notifications:list")


def notification_preferences(request):
    is_minor = services.is_minor(request.user)
    rows = selectors.preference_rows_for(user=request.user, is_minor=is_minor)
    form = PreferencesForm(
        request.POST or None,
        rows=rows,
        weekly_digest=selectors.wants_weekly_digest(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(
            user=request.user, deliveries=form.deliveries(), weekly_digest=form.cleaned_data["weekly_digest"]
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "is_minor": is_minor})


@csrf_exempt  # The signed token is the credential: mail clients post without cookies (RFC 8058).
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe. GET only asks (mail scanners follow links); POST acts."""
    try:
        user_id, scope = services.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    is_digest = scope == services.DIGEST_SCOPE
    context = {"scope_label": None if is_digest else get_kind(scope).label, "is_digest": is_digest}
    if request.method == "POST":
        context["done"] = services.unsubscribe(user=user, scope=scope)
        context["is_account"] = not context["done"]
    return render(request, "notifications/unsubscribe.html", context)
