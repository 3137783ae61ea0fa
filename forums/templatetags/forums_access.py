"""Template filters asking `forums.permissions`, so links lead only where the viewer may go."""

from django import template

from forums import permissions

register = template.Library()


@register.filter
def may_read_blog(user) -> bool:
    return permissions.can_read_blog(user)
