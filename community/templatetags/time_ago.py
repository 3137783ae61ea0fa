"""`{{ moment|ago }}`: "just now", "5 minutes ago"; `{{ moment|waited }}`: "less than a minute",
"5 minutes" (community.time_ago)."""

from django import template

from community.time_ago import time_ago, time_since

register = template.Library()


@register.filter
def ago(moment):
    return time_ago(moment) if moment else ""


@register.filter
def waited(moment):
    return time_since(moment) if moment else ""
