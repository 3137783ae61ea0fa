"""Word-level diff of an approved text and a proposed edit, for the queue."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff_html(old: str, new: str) -> SafeString:
    """<del>/<ins> markup over escaped text: safe to show, whatever the texts contain."""
    old_tokens = _TOKENS.findall(old)
    new_tokens = _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[old_start:old_end]))
        added = escape("".join(new_tokens[new_start:new_end]))
        if operation == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f"<del>{removed}</del>")
        if added:
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
