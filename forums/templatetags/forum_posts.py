"""Per-row forum markup rendered in Python (see forums.rendering for why)."""

from django import template

from forums import rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def post_cards(context, posts, *, forum, page, can_moderate, can_reply):
    cards = rendering.PostCards(request=context["request"], forum=forum, page=page,
                                can_moderate=can_moderate, can_reply=can_reply)
    return cards.render(posts)


@register.simple_tag
def topic_rows(topics, *, show_forum=False):
    return rendering.topic_rows(topics, show_forum=show_forum)


@register.simple_tag
def search_results(results):
    return rendering.search_results(results)


@register.simple_tag
def author_line(person):
    return rendering.author_line(person)


@register.simple_tag
def moderation_status(item):
    return rendering.moderation_status(item)
