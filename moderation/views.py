import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .diff import word_diff_html
from .forms import (
    AppealForm,
    AuditFilterForm,
    BulkDecisionForm,
    ConcernForm,
    ConcernUpdateForm,
    DecisionForm,
    FlagForm,
    LeadForm,
    ModerationSettingsForm,
    PhraseForm,
    PolicyForm,
    QueueFilterForm,
    SilenceForm,
    SuspendForm,
)
from .models import BlockedPhrase, ModerationItem, ModerationPolicy, ModerationSettings, Sanction
from .reasons import reason_text_for
from .registry import registration_for, registration_for_content_type_id, registrations

User = get_user_model()
QUEUE_PAGE_SIZE = 25


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _with_diffs(items):
    for item in items:
        item.diff_html = (
            word_diff_html(item.previous_text, item.content_text) if item.kind == ModerationItem.Kind.REVISION else ""
        )
        item.reason_template_text = reason_text_for(item.reason_code)
    return items


def index(request, *, failed_form=None, failed_item_id=None, bulk_form=None):
    """The queue: what the viewer may decide, oldest first."""
    scope = selectors.queue_scope(request.user)
    content_types = [
        (ContentType.objects.get_for_model(registration.model).pk, registration.label)
        for registration in registrations()
    ]
    filters = QueueFilterForm(request.GET or None, spaces=scope.spaces, content_types=content_types)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    items = selectors.queue_for(
        request.user, scope=scope, space_key=criteria.get("space", ""),
        content_type_id=criteria.get("content_type") or None, reason=criteria.get("reason", ""),
        rule=criteria.get("rule", ""),
    )
    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/index.html", {
        "filters": filters,
        "page": page,
        "items": _with_diffs(page.object_list),
        "query_string": query.urlencode(),
        "decision_form": DecisionForm(),
        "failed_form": failed_form,
        "failed_item_id": failed_item_id,
        "bulk_form": bulk_form or BulkDecisionForm(auto_id="bulk_%s"),
        "can_view_audit": permissions.can_view_audit(request.user),
        "can_manage_settings": permissions.can_manage_settings(request.user),
        "is_safeguarding_lead": permissions.is_safeguarding_lead(request.user),
    }, status=400 if (failed_form or bulk_form) else 200)


def pending_count(request):
    """The header badge's number, for clients that poll instead of listening on the socket."""
    response = JsonResponse({"pending": selectors.pending_count_for(request.user)})
    response["Cache-Control"] = "private, no-store"
    return response


def _item_in_scope(request, item_id) -> ModerationItem:
    """An item of a space the viewer moderates; anything else does not exist for them."""
    item = ModerationItem.objects.select_related("appeal_of", "author", "content_type").filter(pk=item_id).first()
    if item is None or not permissions.can_moderate_item(request.user, item):
        raise Http404
    return item


def item_detail(request, item_id, *, failed_form=None, silence_form=None, suspend_form=None):
    item = _item_in_scope(request, item_id)
    _with_diffs([item])
    history, entries = selectors.history_of(item)
    return render(request, "moderation/item.html", {
        "item": item,
        "flags": item.flags.select_related("flagged_by"),
        "history": history,
        "entries": entries,
        "can_decide": item.is_open and permissions.can_decide_item(request.user, item),
        "decision_form": failed_form or DecisionForm(),
        "silence_form": silence_form or SilenceForm(),
        "suspend_form": suspend_form or SuspendForm(),
        "can_suspend": permissions.can_suspend_accounts(request.user) and item.author_id not in (None, request.user.pk),
        "can_silence": item.author_id not in (None, request.user.pk) and bool(item.space_kind),
        "author_sanctions": selectors.sanctions_of(item.author) if item.author_id else [],
    }, status=400 if (failed_form or silence_form or suspend_form) else 200)


@require_POST
def item_decide(request, item_id):
    item = _item_in_scope(request, item_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if request.POST.get("from") == "queue":
            return index(request, failed_form=form, failed_item_id=item.pk)
        return item_detail(request, item_id, failed_form=form)
    try:
        decided = services.decide(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return item_detail(request, item_id, failed_form=form)
    if decided:
        messages.success(request, _("Decided: “%(title)s”.") % {"title": item.title})
    else:
        messages.info(request, _("Another moderator decided this one a moment ago."))
    return redirect("moderation:index")


def _check_decidable(user, item_ids) -> None:
    """Items no longer in the viewer's queue: "decided by another moderator" is only true of
    items the viewer may decide; any other id does not exist for them."""
    items = list(ModerationItem.objects.filter(pk__in=item_ids))
    if len(items) != len(item_ids) or not all(permissions.can_decide_item(user, item) for item in items):
        raise Http404


@require_POST
def bulk_decide(request):
    scope = selectors.queue_scope(request.user)
    open_ids = list(selectors.queue_for(request.user, scope=scope).values_list("pk", flat=True))
    form = BulkDecisionForm(request.POST, item_ids=open_ids, auto_id="bulk_%s")
    if not form.is_valid():
        submitted = {int(value) for value in request.POST.getlist("items") if value.isdigit()}
        if submitted and "items" in form.errors and not submitted & set(open_ids):
            _check_decidable(request.user, submitted)
            messages.info(request, _("Those items were already decided by another moderator."))
            return redirect("moderation:index")
        return index(request, bulk_form=form)
    items = selectors.queue_for(request.user, scope=scope).filter(pk__in=form.cleaned_data["items"])
    decided = services.decide_many(
        actor=request.user, items=items, decision=form.cleaned_data["decision"],
        reason_code=form.cleaned_data["reason_code"], reason_text=form.cleaned_data["reason_text"],
    )
    skipped = len(form.cleaned_data["items"]) - decided
    message = _("Decided %(count)d items.") % {"count": decided}
    if skipped:
        message += " " + _("%(count)d were already decided by someone else.") % {"count": skipped}
    messages.success(request, message)
    return redirect("moderation:index")


@require_POST
def item_silence(request, item_id):
    item = _item_in_scope(request, item_id)
    if item.author is None:
        raise Http404
    form = SilenceForm(request.POST)
    if not form.is_valid():
        return item_detail(request, item_id, silence_form=form)
    try:
        services.silence_member(
            actor=request.user, member=item.author, space=item.space,
            registration=registration_for_content_type_id(item.content_type_id), **form.cleaned_data,
        )
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return item_detail(request, item_id, silence_form=form)
    messages.success(request, _("%(name)s can read but not post in %(space)s until the date you chose.")
                     % {"name": item.author_name, "space": item.space_label})
    return redirect("moderation:item", item_id=item.pk)


@require_POST
def item_suspend(request, item_id):
    item = _item_in_scope(request, item_id)
    if item.author is None:
        raise Http404
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return item_detail(request, item_id, suspend_form=form)
    try:
        sanction = services.suspend_account(actor=request.user, member=item.author, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return item_detail(request, item_id, suspend_form=form)
    if sanction is None:
        messages.info(request, _("This account is already suspended."))
    else:
        messages.success(request, _("The account of %(name)s is suspended.") % {"name": item.author_name})
    return redirect("moderation:item", item_id=item.pk)


@require_POST
def sanction_lift(request, sanction_id):
    sanction = get_object_or_404(Sanction.objects.select_related("user"), pk=sanction_id)
    try:
        lifted = services.lift_sanction(actor=request.user, sanction=sanction)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Sanction lifted.") if lifted else _("This sanction had already ended."))
    return redirect(request.POST.get("next") if url_has_allowed_host_and_scheme(
        request.POST.get("next"), allowed_hosts={request.get_host()}) else "moderation:index")


# --- Authors ---------------------------------------------------------------------------------------
def my_items(request, *, failed_form=None, failed_item_id=None):
    items = selectors.items_by_author(request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    links = selectors.author_links(request.user, page.object_list)
    for item in page.object_list:
        item.reason_template_text = reason_text_for(item.reason_code)
        item.author_link = links.get(item.pk, "")
    return render(request, "moderation/my_items.html", {
        "page": page,
        "sanctions": selectors.active_sanctions_of(request.user),
        "appeal_form": AppealForm(),
        "failed_form": failed_form,
        "failed_item_id": failed_item_id,
    }, status=400 if failed_form else 200)


@require_POST
def item_appeal(request, item_id):
    item = ModerationItem.objects.filter(pk=item_id, author=request.user).first()
    if item is None:
        raise Http404
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal(actor=request.user, item=item, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", _error_text(error))
    if form.errors:
        return my_items(request, failed_form=form, failed_item_id=item.pk)
    messages.success(request, _("Thank you. A different moderator will look at it again."))
    return redirect("moderation:my_items")


# --- Flags -----------------------------------------------------------------------------------------
def _flaggable(request, content_type_id, object_id):
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = content_type.model_class()
    registration = registration_for(model) if model is not None else None
    if registration is None:
        raise Http404
    target = model._base_manager.filter(pk=object_id).first()
    if target is None or not target.is_published or not registration.can_view(request.user, target):
        raise Http404
    return registration, target


def flag(request, content_type_id, object_id):
    registration, target = _flaggable(request, content_type_id, object_id)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_content(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Thank you. A moderator will look at it; we will tell you when they have."))
            return redirect(registration.url_of(target) or "dashboard")
    return render(request, "moderation/flag.html", {
        "form": form, "target_title": registration.title_of(target), "target_url": registration.url_of(target),
    }, status=400 if form.errors else 200)


# --- Safeguarding ----------------------------------------------------------------------------------
def concern_new(request):
    about = None
    about_id = request.GET.get("about") or request.POST.get("about")
    if about_id and str(about_id).isdigit():
        about = User.objects.filter(pk=about_id, is_active=True).first()
    page_url = request.GET.get("from") or request.POST.get("from") or ""
    if not url_has_allowed_host_and_scheme(page_url, allowed_hosts={request.get_host()}):
        page_url = ""
    form = ConcernForm(request.POST or None)
    helpline = services.helpline_for(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_concern(
                actor=request.user, message=form.cleaned_data["message"], about_self=form.cleaned_data["about_self"],
                about_user=None if form.cleaned_data["about_self"] else about, page_url=page_url,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return render(request, "moderation/concern_sent.html", {"helpline": helpline})
    return render(request, "moderation/concern_form.html", {
        "form": form, "about": about, "page_url": page_url, "helpline": helpline,
    }, status=400 if form.errors else 200)


def concern_list(request):
    if not permissions.is_safeguarding_lead(request.user):
        raise Http404
    show_closed = request.GET.get("show") == "all"
    concerns = selectors.concerns_for(request.user)
    if not show_closed:
        concerns = concerns.exclude(status="closed")
    page = Paginator(concerns, 30).get_page(request.GET.get("page"))
    return render(request, "moderation/concern_list.html", {"page": page, "show_closed": show_closed})


def concern_detail(request, concern_id):
    concern = selectors.concern_for(request.user, concern_id)
    if concern is None:
        raise Http404
    form = ConcernUpdateForm(request.POST or None, initial={"status": concern.status})
    if request.method == "POST" and form.is_valid():
        services.update_concern(actor=request.user, concern=concern, **form.cleaned_data)
        messages.success(request, _("Saved to the concern's trail."))
        return redirect("moderation:concern", concern_id=concern.pk)
    return render(request, "moderation/concern_detail.html", {
        "concern": concern, "form": form, "helpline": services.helpline_for(concern.about_user or concern.raised_by)
        if (concern.about_user or concern.raised_by) else None,
    }, status=400 if form.errors else 200)


# --- Audit -----------------------------------------------------------------------------------------
def _filtered_audit(request):
    permissions.check_view_audit(request.user)
    form = AuditFilterForm(request.GET or None, spaces=selectors.audit_spaces())
    criteria = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        action=criteria.get("action", ""), actor=criteria.get("actor", ""), space_key=criteria.get("space", ""),
        date_from=criteria.get("date_from"), date_to=criteria.get("date_to"),
    )
    return form, entries


def audit_log(request):
    form, entries = _filtered_audit(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/audit.html", {"form": form, "page": page, "query_string": query.urlencode()})


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: neutralise them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_log_csv(request):
    _form, entries = _filtered_audit(request)
    writer = csv.writer(_Echo())
    header = ["time (UTC)", "actor", "action", "object type", "object id", "object", "space", "member", "reason"]

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=500):
            yield writer.writerow([_csv_cell(value) for value in (
                entry.created_at.strftime("%Y-%m-%d %H:%M:%S"), entry.actor_name, entry.action,
                entry.content_type.model if entry.content_type else "", entry.object_id, entry.object_label,
                entry.space_label, entry.subject_name, entry.reason,
            )])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="moderation-audit.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Settings (network coordinators) ---------------------------------------------------------------
def _content_choices():
    return [(registration.model._meta.label_lower, registration.label) for registration in registrations()]


def _space_choices():
    choices = []
    for registration in registrations():
        if registration.all_spaces is None:
            continue
        for space in registration.all_spaces():
            if (space.key, space.label) not in choices:
                choices.append((space.key, space.label))
    return choices


def moderation_settings(request, *, forms=None):
    permissions.check_manage_settings(request.user)
    forms = forms or {}
    current = ModerationSettings.current()
    return render(request, "moderation/settings.html", {
        "policy_form": forms.get("policy") or PolicyForm(
            content_choices=_content_choices(), space_choices=_space_choices()
        ),
        "settings_form": forms.get("settings") or ModerationSettingsForm(initial={
            "flag_threshold": current.flag_threshold, "new_member_review_count": current.new_member_review_count,
        }),
        "phrase_form": forms.get("phrase") or PhraseForm(),
        "lead_form": forms.get("lead") or LeadForm(),
        "policies": ModerationPolicy.objects.select_related("content_type", "updated_by"),
        "registrations": registrations(),
        "phrases": BlockedPhrase.objects.all(),
        "leads": services.safeguarding_leads().order_by("display_name"),
    }, status=400 if forms else 200)


def _registration_by_label(label: str):
    for registration in registrations():
        if registration.model._meta.label_lower == label:
            return registration
    return None


@require_POST
def settings_action(request, action):
    permissions.check_manage_settings(request.user)
    if action == "policy":
        form = PolicyForm(request.POST, content_choices=_content_choices(), space_choices=_space_choices())
        if form.is_valid():
            registration = _registration_by_label(form.cleaned_data["content"])
            space_key = form.cleaned_data["space"]
            spaces = {space.key: space for space in (registration.all_spaces() if registration.all_spaces else [])}
            if space_key and space_key not in spaces:
                form.add_error("space", _("This kind of content is not posted in that space."))
            else:
                services.set_policy(
                    actor=request.user, registration=registration, audience=form.cleaned_data["audience"],
                    mode=form.cleaned_data["mode"], space=spaces.get(space_key),
                )
    elif action == "settings":
        form = ModerationSettingsForm(request.POST)
        if form.is_valid():
            services.update_settings(actor=request.user, **form.cleaned_data)
    elif action == "phrase":
        form = PhraseForm(request.POST)
        if form.is_valid():
            try:
                services.add_blocked_phrase(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("phrase", _error_text(error))
    elif action == "lead":
        form = LeadForm(request.POST)
        if form.is_valid():
            member = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if member is None:
                form.add_error("email", _("No member has this email address."))
            else:
                try:
                    services.appoint_safeguarding_lead(actor=request.user, member=member)
                except ValidationError as error:
                    form.add_error("email", _error_text(error))
    else:
        raise Http404
    if form.errors:
        return moderation_settings(request, forms={action: form})
    messages.success(request, _("Saved."))
    return redirect(reverse("moderation:settings") + f"#{action}")


@require_POST
def phrase_remove(request, phrase_id):
    permissions.check_manage_settings(request.user)
    entry = get_object_or_404(BlockedPhrase, pk=phrase_id)
    services.remove_blocked_phrase(actor=request.user, entry=entry)
    messages.success(request, _("Removed “%(phrase)s”.") % {"phrase": entry.phrase})
    return redirect(reverse("moderation:settings") + "#phrase")
