"""The one sanitiser of the project: Markdown → HTML → bleach allow-list → our own URL check.

Every piece of user text is rendered here once, when it is saved, into a `*_html` field; only
those fields are ever marked safe in templates.

- `render_markdown(source, *, safe_mode=False)`: Markdown without raw-HTML passthrough (typed
  HTML shows as text), headings shifted into h2–h4, images replaced by their description.
- `sanitize_html(html, *, safe_mode=False)`: the allow-list pass; `render_markdown` ends with it
  and it is idempotent, so sanitising stored HTML again changes nothing.

Safe mode (the Hotlines forum): no element is clickable; every URL, in a link or in plain text,
is shown defanged (`hxxps://example[.]com/a[.]html`), and no images or embeds survive. It is done
here, in the output, so no template can forget it.
"""

import re
from functools import partial

import bleach
import markdown
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter, build_url_re
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td", "span",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"
# Attributes that make the browser load or navigate somewhere.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background"})
SPAN_CLASSES = frozenset({"defanged-link", "mention"})
_CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")
# A URL scheme as the URL standard reads one: a letter, then letters, digits, "+", "-", ".".
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
# What linkify would have made into a link; in safe mode these are defanged instead.
_URL_IN_TEXT = build_url_re(protocols=["http", "https", "ftp", "sftp", "ftps", "mailto", "file"])


def is_safe_url(value: str) -> bool:
    """Read the URL the way a browser does and accept only http, https, mailto or a relative URL.

    bleach's own check misses `javascript:123` (its parser reads `scheme:digits` as a path), so
    every URL attribute passes through here after bleach.
    """
    url = _TAB_NEWLINE.sub("", value.strip(_C0_AND_SPACE))
    match = _SCHEME.match(url)
    if match:
        return match.group(1).lower() in ALLOWED_PROTOCOLS
    # No valid scheme: relative, unless a colon comes before any path, query or fragment
    # (something a browser might still read as a scheme we do not know).
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head


def defang(url: str) -> str:
    """`https://example.com/a.html` → `hxxps://example[.]com/a[.]html`: readable, never a link.

    Every dot is bracketed, so the result is never matched as a URL again (idempotence)."""
    url = re.sub(r"^(?i:http)", "hxxp", url)
    url = re.sub(r"^(?i:ftp)", "fxp", url)
    return url.replace(".", "[.]")


def _defang_text(text: str) -> str:
    return _URL_IN_TEXT.sub(lambda match: defang(match.group(0)), text)


class _LinkPolicyFilter(Filter):
    """Runs after bleach: our scheme check on URL attributes, one `rel` for every link, and in
    safe mode links turned into plain, defanged text."""

    def __init__(self, source, safe_mode=False):
        super().__init__(source)
        self.safe_mode = safe_mode

    def __iter__(self):
        open_links: list[str] = []
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EmptyTag"):
                attrs = dict(token.get("data") or {})
                for key in list(attrs):
                    if key[1] in URL_ATTRIBUTES and not is_safe_url(attrs[key]):
                        del attrs[key]
                if token["name"] == "a":
                    if self.safe_mode:
                        open_links.append(attrs.get((None, "href"), ""))
                        token = {"type": kind, "name": "span",
                                 "data": {(None, "class"): "defanged-link"}}
                    else:
                        if (None, "href") in attrs:
                            attrs[(None, "rel")] = LINK_REL
                        else:
                            attrs.pop((None, "rel"), None)
                        token = {**token, "data": attrs}
                else:
                    token = {**token, "data": attrs}
                yield token
            elif kind == "EndTag" and token["name"] == "a" and self.safe_mode:
                yield {"type": "EndTag", "name": "span", "data": {}}
                href = open_links.pop() if open_links else ""
                if href:
                    yield {"type": "Characters", "data": f" [{defang(href)}]"}
            elif kind == "Characters" and self.safe_mode:
                yield {**token, "data": _defang_text(token["data"])}
            else:
                yield token


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title", "rel")
    if tag in ("th", "td"):
        return name == "align" and value in ("left", "center", "right")
    if tag == "code":
        return name == "class" and bool(_CODE_CLASS.match(value))
    if tag == "span":
        return name == "class" and value in SPAN_CLASSES
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


def _link_callback(attrs, new=False):
    # linkify's hook: links it creates get the same rel as written ones (the filter enforces it).
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _cleaner(safe_mode: bool) -> bleach.Cleaner:
    filters = [partial(_LinkPolicyFilter, safe_mode=True)] if safe_mode else [
        partial(LinkifyFilter, callbacks=[_link_callback], skip_tags={"pre", "code"}, parse_email=False),
        partial(_LinkPolicyFilter, safe_mode=False),
    ]
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allow_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=filters,
    )


def sanitize_html(html: str, *, safe_mode: bool = False) -> str:
    """The allow-list pass for any HTML (the raw-HTML path). Idempotent."""
    return _cleaner(safe_mode).clean(html or "")


class _HeadingsAndImagesTreeprocessor(Treeprocessor):
    """h1 becomes h2 and h5/h6 become h4 (the page owns h1); an image becomes its description,
    because images from arbitrary hosts are not shown."""

    HEADING_SHIFT = {"h1": "h2", "h5": "h4", "h6": "h4"}

    def run(self, root):
        for element in root.iter():
            if element.tag in self.HEADING_SHIFT:
                element.tag = self.HEADING_SHIFT[element.tag]
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    description = child.get("alt") or ""
                    replacement = parent.makeelement("span", {})
                    replacement.text = f"[{description}]" if description else ""
                    replacement.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, replacement)
        return None


class _SafeMarkdownExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        # No raw-HTML passthrough: typed tags are shown as text, escaped by the serialiser.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_HeadingsAndImagesTreeprocessor(md), "sic_headings_images", 0)


def render_markdown(source: str, *, safe_mode: bool = False) -> str:
    """Markdown source → sanitised HTML, ready to store in a `*_html` field."""
    html = markdown.markdown(
        source or "",
        extensions=[
            "fenced_code",
            "sane_lists",
            "nl2br",
            TableExtension(use_align_attribute=True),
            _SafeMarkdownExtension(),
        ],
        output_format="html",
    )
    return sanitize_html(html, safe_mode=safe_mode)


def html_to_text(html: str) -> str:
    """The readable text of sanitised HTML (for search and notification excerpts)."""
    text = re.sub(r"<[^>]+>", " ", html)
    text = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))
    return re.sub(r"\s+", " ", text).strip()
