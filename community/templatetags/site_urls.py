"""`{% site_url 'name' %}`: `{% url %}` for the links that are the same for everyone (header,
footer, menus, a page's fixed actions), reversed once per process.

Reversing costs 70-110 µs a link; the header and footer carry about 25 of them, which made them
a tenth of the topic page's time. Only for names whose arguments are constants in the template:
the cache holds one entry per distinct link.
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=256)
def _reverse(script_prefix: str, urlconf, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


@register.simple_tag
def site_url(name: str, *args) -> str:
    # The prefix and urlconf are part of the key: under another mount point the link differs.
    return _reverse(get_script_prefix(), get_urlconf(), name, args)
