"""HTTP for the forums and the blog: parse with a form, call a selector or a service, render.

Every object is loaded through a selector that checks the viewer may see it (404 otherwise).
"""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moderation.services import helpline_for

from . import permissions, queries, selectors, services
from .forms import (
    BlogPostForm,
    BlogTrackingForm,
    CommentForm,
    DraftForm,
    EditPostForm,
    FlagForm,
    ForumForm,
    ForumSettingsForm,
    MoveTopicForm,
    NewForumForm,
    ReplyForm,
    SearchForm,
    TopicFilterForm,
    TopicForm,
    TrackingForm,
)
from .models import Draft, Forum


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _query_string(request, drop=("page",)) -> str:
    return urlencode([(key, value) for key, value in request.GET.items() if key not in drop and value])


# --- Index and topic lists -----------------------------------------------------------------

def index(request):
    user = request.user
    return render(request, "forums/index.html", {
        "forums": selectors.listed_forums_for(user),
        "latest": selectors.latest_topics_for_dashboard(user, limit=10),
        "can_read_blog": permissions.can_read_blog(user),
        "can_create_forum": permissions.can_create_forum(user),
    })


def forum_create(request):
    """Network coordinators add a community forum and decide its audience."""
    permissions.check_create_forum(request.user)
    form = NewForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.create_forum(
                actor=request.user, name=data["name"], slug=data["slug"], description=data["description"],
                safe_mode=data["safe_mode"], composer_notice=data["composer_notice"], position=data["position"],
                reader_groups=data["reader_roles"], poster_groups=data["poster_roles"],
                moderator_groups=data["moderator_roles"],
                read_services=data["read_services"], post_services=data["post_services"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The forum %(name)s is open.") % {"name": forum.name})
            return redirect(forum.get_absolute_url())
    return render(request, "forums/forum_form.html", {"form": form, "forum": None})


def forum_edit(request, slug):
    """Network coordinators change a forum; a community of practice's audience too (another
    app's space gets its audience from that app)."""
    forum = selectors.forum_for(request.user, slug)
    permissions.check_change_forum(request.user, forum)
    edits_audience = permissions.can_change_forum_audience(request.user, forum)
    fields = ("name", "description", "safe_mode", "composer_notice", "position")
    if edits_audience:
        form = ForumForm(request.POST or None, initial=ForumForm.initial_for(forum, permissions.audience_of(forum)))
    else:
        form = ForumSettingsForm(request.POST or None, initial={name: getattr(forum, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_forum(actor=request.user, forum=forum, **{name: form.cleaned_data[name] for name in fields},
                                  audience=form.audience() if edits_audience else None)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The forum is saved."))
            return redirect(forum.get_absolute_url())
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum, "edits_audience": edits_audience})


def topic_list(request):
    """Latest, unread or watched topics across every listed forum the viewer may read."""
    filters = TopicFilterForm(request.GET or None)
    show, tag, country = "latest", "", ""
    if filters.is_valid():
        show = filters.cleaned_data["show"] or "latest"
        tag = filters.cleaned_data["tag"].slug if filters.cleaned_data["tag"] else ""
        country = filters.cleaned_data["country"].code if filters.cleaned_data["country"] else ""
    topics = selectors.topics_for(request.user, show=show, tag=tag, country=country)
    page = Paginator(topics, selectors.TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forums/topic_list.html", {
        "filters": filters, "page": page, "show": show, "query_string": _query_string(request),
    })


def forum_detail(request, slug):
    forum = selectors.forum_for(request.user, slug)
    filters = TopicFilterForm(request.GET or None)
    show, tag, country = "latest", "", ""
    if filters.is_valid():
        show = filters.cleaned_data["show"] or "latest"
        tag = filters.cleaned_data["tag"].slug if filters.cleaned_data["tag"] else ""
        country = filters.cleaned_data["country"].code if filters.cleaned_data["country"] else ""
    topics = selectors.topics_for(request.user, forum=forum, show=show, tag=tag, country=country)
    page = Paginator(topics, selectors.TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forums/forum_detail.html", {
        "forum": forum, "filters": filters, "page": page, "show": show,
        "query_string": _query_string(request),
        "can_post": permissions.can_post_in_forum(request.user, forum),
        "can_moderate": permissions.can_moderate_forum(request.user, forum),
        "can_change": permissions.can_change_forum(request.user, forum),
        "tracking_form": TrackingForm(initial={"level": selectors.forum_tracking_level(request.user, forum)}),
    })


@require_POST
def mark_read(request):
    forum = None
    if request.POST.get("forum"):
        forum = selectors.forum_for(request.user, request.POST["forum"])
    services.mark_all_read(user=request.user, forum=forum)
    messages.success(request, _("Everything is marked as read."))
    return redirect(forum.get_absolute_url() if forum else "forums:index")


@require_POST
def forum_tracking(request, slug):
    forum = selectors.forum_for(request.user, slug)
    form = TrackingForm(request.POST)
    if form.is_valid():
        services.set_forum_tracking(user=request.user, forum=forum, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification level for this forum is saved."))
    return redirect(forum.get_absolute_url())


def topic_create(request, slug):
    forum = selectors.forum_for(request.user, slug)
    permissions.check_post_in_forum(request.user, forum)
    draft_key = Draft.new_topic_key(forum.pk)
    if request.method == "POST":
        form = TopicForm(request.POST, safe_mode=forum.safe_mode)
        if form.is_valid():
            try:
                topic = services.create_topic(
                    actor=request.user, forum=forum, title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"], tags=form.cleaned_data["tags"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if not topic.is_published:
                    messages.info(request, _("Thank you. Your topic is waiting for a moderator's review."))
                return redirect(topic.get_absolute_url())
    else:
        draft = selectors.draft_for(request.user, draft_key)
        form = TopicForm(initial={"title": draft.title, "body": draft.body} if draft else None,
                         safe_mode=forum.safe_mode)
    return render(request, "forums/topic_form.html", {"forum": forum, "form": form, "draft_key": draft_key})


# --- A topic ---------------------------------------------------------------------------------

def topic_detail(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    page = selectors.posts_page(request.user, topic, request.GET.get("page"))
    return render(request, "forums/topic_detail.html", _topic_page(request, topic, page))


def _topic_page(request, topic, page, reply_form=None) -> dict:
    """The topic page's context: one page of posts with what the viewer may do to each, and
    the composer (`reply_form` when it comes back with errors)."""
    user = request.user
    posts = list(page.object_list)
    can_moderate = permissions.can_moderate_forum(user, topic.forum)
    can_reply = permissions.can_reply(user, topic)
    viewer = selectors.viewer_topic_state(user, topic)
    read_position = viewer.read_position
    if posts and posts[-1].number > read_position:
        # The only write on a plain read: moving the read position forward.
        services.mark_topic_read(user=user, topic=topic, number=posts[-1].number)
    # The rule of permissions.can_edit_post, for a page of posts the viewer already reads.
    may_edit_own = permissions.can_post_in_forum(user, topic.forum) and not topic.is_locked
    viewer_id = user.pk  # once: request.user is a lazy object, each attribute read goes through it
    for post in posts:
        own = post.author_id == viewer_id
        post.is_unread = post.number > read_position
        post.viewer_can_edit = post.deleted_at is None and (
            can_moderate or (own and may_edit_own and post.moderation_state != "hidden"))
        post.viewer_can_delete = post.deleted_at is None and (can_moderate or own)
        post.viewer_can_flag = post.deleted_at is None and not own
    draft_key = Draft.reply_key(topic.pk)
    if can_reply and reply_form is None:
        reply_form = ReplyForm(initial=_reply_initial(request, topic, viewer.reply_draft),
                               safe_mode=topic.forum.safe_mode)
    # Youth discussions show the national helpline, like every other youth page.
    helpline = helpline_for(user) if queries.is_youth_panel_forum(topic.forum) else None
    return {
        "helpline": helpline,
        "topic": topic, "forum": topic.forum, "page": page, "posts": posts, "can_reply": can_reply,
        "can_moderate": can_moderate, "reply_form": reply_form if can_reply else None, "draft_key": draft_key,
        "tracking_form": TrackingForm(initial={"level": viewer.tracking_level}),
        "tags": list(topic.tags.all()),
    }


def _reply_initial(request, topic, draft: str | None) -> dict:
    quote_id = request.GET.get("quote", "")
    if quote_id.isdigit():
        try:
            quoted = selectors.post_for(request.user, int(quote_id))
        except Http404:
            quoted = None
        if quoted is not None and quoted.topic_id == topic.pk and quoted.deleted_at is None:
            return {"body": services.quote_markdown(quoted), "quote": quoted.pk}
    return {"body": draft} if draft else {}


@require_POST
def topic_reply(request, topic_id):
    user = request.user
    topic = selectors.topic_for(user, topic_id)
    permissions.check_reply(user, topic)
    form = ReplyForm(request.POST, safe_mode=topic.forum.safe_mode)
    if form.is_valid():
        quote = None
        if form.cleaned_data["quote"]:
            try:
                quote = selectors.post_for(user, form.cleaned_data["quote"])
            except Http404:
                form.add_error(None, _("You can only quote a post of this topic."))
        if not form.errors:
            try:
                post = services.reply(actor=user, topic=topic, body=form.cleaned_data["body"], quote=quote,
                                      submission_token=form.cleaned_data["submission_token"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if not post.is_published:
                    messages.info(request, _("Thank you. Your reply is waiting for a moderator's review."))
                return redirect(post.get_absolute_url())
    # Keep what they wrote: show the topic's last page with the composer and its errors.
    page = selectors.posts_page(user, topic, "last")
    return render(request, "forums/topic_detail.html", _topic_page(request, topic, page, reply_form=form), status=400)


def topic_first_unread(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    post = selectors.first_unread_post(request.user, topic)
    if post is None:
        page = selectors.posts_page(request.user, topic, "last")
        return redirect(f"{topic.get_absolute_url()}?page={page.number}#replies-end")
    return redirect(post.get_absolute_url())


@require_POST
def topic_tracking(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    form = TrackingForm(request.POST)
    if form.is_valid():
        services.set_topic_tracking(user=request.user, topic=topic, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification level for this topic is saved."))
    return redirect(topic.get_absolute_url())


MODERATION_ACTIONS = {
    "pin": (services.pin_topic, _("The topic is pinned.")),
    "unpin": (services.unpin_topic, _("The topic is no longer pinned.")),
    "lock": (services.lock_topic, _("The topic is locked: only moderators can reply.")),
    "unlock": (services.unlock_topic, _("The topic is open for replies again.")),
}


@require_POST
def topic_moderate(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    action = MODERATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    service, message = action
    service(actor=request.user, topic=topic)
    messages.success(request, message)
    return redirect(topic.get_absolute_url())


def topic_move(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    permissions.check_moderate_forum(request.user, topic.forum)
    form = MoveTopicForm(request.POST or None, forums=selectors.moveable_forums(request.user, topic))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_topic(actor=request.user, topic=topic, forum=form.cleaned_data["forum"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The topic was moved to %(forum)s.") % {"forum": form.cleaned_data["forum"]})
            return redirect(topic.get_absolute_url())
    return render(request, "forums/topic_move.html", {"topic": topic, "form": form})


# --- Posts ---------------------------------------------------------------------------------

def post_permalink(request, post_id):
    post = selectors.post_for(request.user, post_id)
    page = selectors.page_of_post(request.user, post)
    suffix = f"?page={page}" if page > 1 else ""
    return HttpResponseRedirect(f"{post.topic.get_absolute_url()}{suffix}#post-{post.number}")


def post_edit(request, post_id):
    post = selectors.post_for(request.user, post_id)
    permissions.check_edit_post(request.user, post)
    is_opening = post.number == 1
    if request.method == "POST":
        form = EditPostForm(request.POST, is_opening_post=is_opening, safe_mode=post.topic.forum.safe_mode)
        if form.is_valid():
            try:
                outcome = services.edit_post(actor=request.user, post=post, body=form.cleaned_data["body"],
                                             title=form.cleaned_data.get("title") if is_opening else None,
                                             tags=form.cleaned_data.get("tags") if is_opening else None)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                _say_edit_outcome(request, outcome)
                return redirect(post.get_absolute_url())
    else:
        form = EditPostForm(initial={"body": post.body, "title": post.topic.title,
                                     "tags": list(post.topic.tags.all()) if is_opening else []},
                            is_opening_post=is_opening, safe_mode=post.topic.forum.safe_mode)
    return render(request, "forums/post_edit.html", {"post": post, "topic": post.topic, "form": form,
                                                     "forum": post.topic.forum})


def _say_edit_outcome(request, outcome: str) -> None:
    if outcome == services.EditOutcome.HELD:
        messages.info(request, _("Thank you. Your edit is waiting for a moderator's review; "
                                 "the previous version stays visible until then."))
    elif outcome == services.EditOutcome.SAVED:
        messages.success(request, _("Your changes are saved."))


def post_delete(request, post_id):
    post = selectors.post_for(request.user, post_id)
    permissions.check_delete_post(request.user, post)
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post)
        if post.number == 1:
            messages.success(request, _("The topic was deleted."))
            return redirect(post.topic.forum.get_absolute_url())
        messages.success(request, _("The post was deleted."))
        return redirect(post.topic.get_absolute_url())
    return render(request, "forums/post_delete.html", {"post": post, "topic": post.topic})


@require_POST
def post_restore(request, post_id):
    post = selectors.post_for(request.user, post_id)
    services.restore_post(actor=request.user, post=post)
    messages.success(request, _("The post is restored."))
    return redirect(post.get_absolute_url())


def post_history(request, post_id):
    post = selectors.post_for(request.user, post_id)
    permissions.check_read_post_history(request.user, post)
    return render(request, "forums/post_history.html", {
        "post": post, "topic": post.topic, "revisions": selectors.revisions_of(post),
    })


def post_flag(request, post_id):
    post = selectors.post_for(request.user, post_id)
    permissions.check_flag_post(request.user, post)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_post(actor=request.user, post=post, category=form.cleaned_data["category"],
                               note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. Moderators will look at this post."))
        return redirect(post.get_absolute_url())
    return render(request, "forums/flag.html", {"form": form, "item_title": post.topic.title,
                                                "back_url": post.get_absolute_url()})


# --- Search and drafts ---------------------------------------------------------------------

def search(request):
    user = request.user
    forums = Forum.objects.filter(pk__in=permissions.readable_forum_ids(user))
    form = SearchForm(request.GET or None, forums=forums)
    page = None
    results = []
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        filtered = any(data[name] for name in ("forum", "tag", "author", "date_from", "date_to"))
        filters = selectors.SearchFilters(
            query=data["q"], forum=data["forum"], tag=data["tag"].slug if data["tag"] else "",
            author=data["author"], date_from=_start_of(data["date_from"]),
            date_to=_start_of(data["date_to"] and data["date_to"] + timedelta(days=1)),
        )
        page = Paginator(selectors.search_posts(user, filters), 20).get_page(request.GET.get("page"))
        results = [(post, selectors.snippet_parts(post, data["q"])) for post in page.object_list]
    return render(request, "forums/search.html", {
        "form": form, "page": page, "searched": page is not None, "results": results, "filtered": filtered,
        "query_string": _query_string(request), "result_limit": selectors.SEARCH_RESULT_LIMIT,
    })


def _start_of(day):
    """Midnight at the start of `day` in the site's time zone (dates filter whole days)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


@require_POST
def draft_save(request):
    """Autosave from the composer (forums.js). Answers JSON; never loses the text on error."""
    form = DraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False}, status=400)
    try:
        draft = services.save_draft(user=request.user, key=form.cleaned_data["key"],
                                    title=form.cleaned_data["title"], body=form.cleaned_data["body"])
    except ValidationError:
        return JsonResponse({"saved": False}, status=400)
    except Http404:
        return JsonResponse({"saved": False}, status=404)
    return JsonResponse({"saved": True, "updated_at": draft.updated_at.isoformat() if draft else None})


# --- Blog ----------------------------------------------------------------------------------

def blog_list(request):
    user = request.user
    permissions.check_read_blog(user)
    filters = TopicFilterForm(request.GET or None)
    tag = country = ""
    if filters.is_valid():
        tag = filters.cleaned_data["tag"].slug if filters.cleaned_data["tag"] else ""
        country = filters.cleaned_data["country"].code if filters.cleaned_data["country"] else ""
    author_id = request.GET.get("author", "")
    author_id = int(author_id) if author_id.isdigit() else None
    posts = selectors.blog_posts_for(user, tag=tag, country=country, author_id=author_id)
    page = Paginator(posts, 12).get_page(request.GET.get("page"))
    return render(request, "forums/blog_list.html", {
        "page": page, "filters": filters, "authors": selectors.blog_authors(user), "author_id": author_id,
        "query_string": _query_string(request), "can_write": permissions.can_write_blog(user),
    })


def blog_create(request):
    user = request.user
    permissions.check_read_blog(user)
    draft_key = Draft.NEW_BLOG_POST_KEY
    if request.method == "POST":
        form = BlogPostForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                blog_post = services.create_blog_post(
                    actor=user, title=data["title"], body=data["body"], tags=data["tags"],
                    cover_image=data["cover_image"], cover_alt=data["cover_alt"],
                    submission_token=data["submission_token"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if not blog_post.is_published:
                    messages.info(request, _("Thank you. Your article is waiting for a moderator's review."))
                return redirect(blog_post.get_absolute_url())
    else:
        draft = selectors.draft_for(user, draft_key)
        form = BlogPostForm(initial={"title": draft.title, "body": draft.body} if draft else None)
    return render(request, "forums/blog_form.html", {"form": form, "draft_key": draft_key, "blog_post": None})


def blog_detail(request, blog_post_id):
    user = request.user
    blog_post = selectors.blog_post_for(user, blog_post_id)
    draft_key = Draft.comment_key(blog_post.pk)
    draft = selectors.draft_for(user, draft_key)
    comments = list(selectors.comments_for(user, blog_post))
    for comment in comments:
        comment.blog_post = blog_post  # already read and checked: no query per comment
        comment.viewer_can_edit = permissions.can_edit_comment(user, comment)
        comment.viewer_can_delete = permissions.can_delete_comment(user, comment)
    return render(request, "forums/blog_detail.html", {
        "blog_post": blog_post, "tags": list(blog_post.tags.all()),
        "comments": comments,
        "comment_form": CommentForm(initial={"body": draft.body} if draft else None)
        if permissions.can_comment(user, blog_post) else None,
        "draft_key": draft_key, "can_edit": permissions.can_edit_blog_post(user, blog_post),
        "can_delete": permissions.can_delete_blog_post(user, blog_post),
        "tracking_form": BlogTrackingForm(initial={"level": selectors.blog_tracking_level(user, blog_post)}),
    })


def blog_edit(request, blog_post_id):
    user = request.user
    blog_post = selectors.blog_post_for(user, blog_post_id)
    permissions.check_edit_blog_post(user, blog_post)
    has_cover = bool(blog_post.cover_image)
    draft_key = Draft.blog_post_key(blog_post.pk)
    if request.method == "POST":
        form = BlogPostForm(request.POST, request.FILES, has_cover=has_cover)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = services.edit_blog_post(
                    actor=user, blog_post=blog_post, title=data["title"], body=data["body"], tags=data["tags"],
                    cover_image=data["cover_image"], cover_alt=data["cover_alt"],
                    remove_cover=data.get("remove_cover", False),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                _say_edit_outcome(request, outcome)
                return redirect(blog_post.get_absolute_url())
    else:
        initial = {"title": blog_post.title, "body": blog_post.body, "tags": list(blog_post.tags.all()),
                   "cover_alt": blog_post.cover_alt}
        draft = selectors.draft_for(user, draft_key)
        if draft:
            initial.update(title=draft.title or blog_post.title, body=draft.body or blog_post.body)
        form = BlogPostForm(initial=initial, has_cover=has_cover)
    return render(request, "forums/blog_form.html", {"form": form, "draft_key": draft_key,
                                                     "blog_post": blog_post})


def blog_delete(request, blog_post_id):
    blog_post = selectors.blog_post_for(request.user, blog_post_id)
    permissions.check_delete_blog_post(request.user, blog_post)
    if request.method == "POST":
        services.delete_blog_post(actor=request.user, blog_post=blog_post)
        messages.success(request, _("The article was deleted."))
        return redirect("forums:blog")
    return render(request, "forums/blog_delete.html", {"blog_post": blog_post})


def blog_cover(request, blog_post_id):
    """Cover images are served only to people who may read the article."""
    blog_post = selectors.blog_post_for(request.user, blog_post_id)
    if not blog_post.cover_image:
        raise Http404
    response = FileResponse(blog_post.cover_image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def blog_comment(request, blog_post_id):
    user = request.user
    blog_post = selectors.blog_post_for(user, blog_post_id)
    permissions.check_comment(user, blog_post)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_on_blog_post(actor=user, blog_post=blog_post, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not comment.is_published:
                messages.info(request, _("Thank you. Your comment is waiting for a moderator's review."))
            return redirect(comment.get_absolute_url())
    return render(request, "forums/blog_detail.html", {
        "blog_post": blog_post, "tags": list(blog_post.tags.all()),
        "comments": selectors.comments_for(user, blog_post), "comment_form": form,
        "draft_key": Draft.comment_key(blog_post.pk), "can_edit": permissions.can_edit_blog_post(user, blog_post),
        "can_moderate": permissions.can_moderate_blog(user),
        "tracking_form": BlogTrackingForm(initial={"level": selectors.blog_tracking_level(user, blog_post)}),
    }, status=400)


@require_POST
def blog_tracking(request, blog_post_id):
    blog_post = selectors.blog_post_for(request.user, blog_post_id)
    form = BlogTrackingForm(request.POST)
    if form.is_valid():
        services.set_blog_tracking(user=request.user, blog_post=blog_post, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification level for this article is saved."))
    return redirect(blog_post.get_absolute_url())


def comment_edit(request, comment_id):
    comment = selectors.comment_for(request.user, comment_id)
    permissions.check_edit_comment(request.user, comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.edit_comment(actor=request.user, comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _say_edit_outcome(request, outcome)
            return redirect(comment.get_absolute_url())
    return render(request, "forums/comment_edit.html", {"comment": comment, "form": form})


def comment_delete(request, comment_id):
    comment = selectors.comment_for(request.user, comment_id)
    permissions.check_delete_comment(request.user, comment)
    if request.method == "POST":
        services.delete_comment(actor=request.user, comment=comment)
        messages.success(request, _("The comment was deleted."))
        return redirect(comment.blog_post.get_absolute_url())
    return render(request, "forums/comment_delete.html", {"comment": comment})


def blog_flag(request, blog_post_id):
    item = selectors.blog_post_for(request.user, blog_post_id)
    return _flag_blog_item(request, item, item.title)


def comment_flag(request, comment_id):
    item = selectors.comment_for(request.user, comment_id)
    return _flag_blog_item(request, item, item.blog_post.title)


def _flag_blog_item(request, item, title):
    if item.deleted_at is not None:
        raise Http404
    if not permissions.can_flag(request.user, item, readable=True):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_blog_item(actor=request.user, item=item, category=form.cleaned_data["category"],
                                    note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. Moderators will look at it."))
        return redirect(item.get_absolute_url())
    return render(request, "forums/flag.html", {"form": form, "item_title": title, "back_url": item.get_absolute_url()})

