"""`{{ moment|ago }}`: "just now", "5 minutes ago" (community.time_ago)."""

from django import template

from community.time_ago import time_ago

register = template.Library()


@register.filter
def ago(moment):
    return time_ago(moment) if moment else ""
