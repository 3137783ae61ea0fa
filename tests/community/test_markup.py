"""The one sanitiser: the public XSS corpus through both paths, idempotence, and Markdown that
people actually write.

The oracle is independent of the sanitiser: it parses the output with html5lib the way a
browser would and counts anything executable (shared/xss-corpus/README.md).
"""

import json
import re
from pathlib import Path

import html5lib
import pytest

from community.markup import defang, render_markdown, sanitize_html

CORPUS_PATH = Path(__file__).resolve().parents[3] / "shared" / "xss-corpus" / "payloads.json"
if not CORPUS_PATH.exists():  # the repository checked out on its own, beside shared/
    CORPUS_PATH = Path("/work/shared/xss-corpus/payloads.json")

ORACLE_ALLOWED_ELEMENTS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td", "span",
}
ORACLE_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background",
                         "data", "codebase", "cite", "srcset", "ping"}
ORACLE_SCHEMES = {"http", "https", "mailto"}


def _browser_scheme(value: str) -> str | None:
    url = value.strip("".join(chr(c) for c in range(0x21)))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def executable_findings(html: str) -> list[str]:
    """Everything in `html` a browser could run or navigate to outside http/https/mailto."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    findings = []
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = element.tag.split("}")[-1].lower()
        if tag != "DOCUMENT_FRAGMENT".lower() and element is not fragment and tag not in ORACLE_ALLOWED_ELEMENTS:
            findings.append(f"element <{tag}>")
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on") or name in ("style", "srcdoc"):
                findings.append(f"attribute {name}")
            if name in ORACLE_URL_ATTRIBUTES:
                scheme = _browser_scheme(value)
                if scheme is not None and scheme not in ORACLE_SCHEMES:
                    findings.append(f"{name} with scheme {scheme}")
    return findings


def _payloads():
    return [entry["payload"] for entry in json.loads(CORPUS_PATH.read_text(encoding="utf-8"))]


def test_the_oracle_catches_what_bleach_alone_lets_through():
    import bleach

    bleach_only = bleach.clean('<a href="javascript:123">x</a>', tags={"a"}, attributes={"a": ["href"]})
    assert executable_findings(bleach_only) == ["href with scheme javascript"]
    assert executable_findings('<img src=x onerror=alert(1)>') == ["element <img>", "attribute onerror"]
    assert executable_findings('<p>fine <a href="https://example.org">link</a></p>') == []


@pytest.mark.parametrize("safe_mode", [False, True], ids=["normal", "safe-mode"])
def test_no_payload_of_the_public_corpus_survives_either_path(safe_mode):
    payloads = _payloads()
    assert len(payloads) == 1955
    failures = []
    for payload in payloads:
        for path, output in (
            ("markdown", render_markdown(payload, safe_mode=safe_mode)),
            ("raw html", sanitize_html(payload, safe_mode=safe_mode)),
        ):
            findings = executable_findings(output)
            if findings:
                failures.append((path, payload, output, findings))
    assert failures == []


@pytest.mark.parametrize("safe_mode", [False, True], ids=["normal", "safe-mode"])
def test_sanitising_the_output_again_changes_nothing(safe_mode):
    failures = []
    for payload in _payloads():
        for output in (render_markdown(payload, safe_mode=safe_mode), sanitize_html(payload, safe_mode=safe_mode)):
            if sanitize_html(output, safe_mode=safe_mode) != output:
                failures.append((payload, output))
    assert failures == []


def test_javascript_with_digits_loses_its_href_though_bleach_keeps_it():
    assert sanitize_html('<a href="javascript:123">x</a>') == "<a>x</a>"
    assert sanitize_html('<a href=" \x01java\tscript:alert(1)">x</a>') == "<a>x</a>"
    assert sanitize_html('<a href="JaVaScRiPt:alert(1)">x</a>') == "<a>x</a>"


def test_markdown_links_get_nofollow_noopener_ugc_and_bare_urls_become_links():
    html = render_markdown("See [the guide](https://example.org/guide) or https://example.org/faq.")
    assert '<a href="https://example.org/guide" rel="nofollow noopener ugc">the guide</a>' in html
    assert '<a href="https://example.org/faq" rel="nofollow noopener ugc">https://example.org/faq</a>' in html


def test_typed_html_is_shown_as_text_not_passed_through():
    html = render_markdown("Use <b>bold</b> and <script>alert(1)</script>")
    assert html == "<p>Use &lt;b&gt;bold&lt;/b&gt; and &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_code_blocks_keep_angle_brackets_as_text():
    html = render_markdown("```html\n<div class=\"x\">a < b</div>\n```")
    assert html == ('<pre><code class="language-html">&lt;div class=&quot;x&quot;&gt;a &lt; b&lt;/div&gt;\n'
                    "</code></pre>")
    assert render_markdown("Inline `a<b>` code") == "<p>Inline <code>a&lt;b&gt;</code> code</p>"


def test_lists_quotes_emphasis_and_headings_render():
    html = render_markdown("# Title\n\n## Part\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted *text*\n\n**bold**")
    assert "<h2>Title</h2>" in html and "<h2>Part</h2>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert "<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>" in html
    assert "<strong>bold</strong>" in html


def test_tables_render_with_alignment_but_no_inline_style():
    html = render_markdown("| Country | Contacts |\n|:--|--:|\n| GR | 120 |")
    assert '<th align="left">Country</th>' in html and '<td align="right">120</td>' in html
    assert "style" not in html


def test_images_are_replaced_by_their_description():
    assert render_markdown("![A chart of contacts](https://tracker.example/pixel.png)") == (
        "<p><span>[A chart of contacts]</span></p>"
    )


def test_inline_styles_and_event_handlers_are_removed():
    assert sanitize_html('<p style="color:red" onclick="x()">hi</p>') == "<p>hi</p>"


def test_safe_mode_defangs_links_and_bare_urls_so_nothing_is_clickable():
    html = render_markdown(
        "Reported [this page](https://bad.example.com/path/file.html) and www.other.example.org today",
        safe_mode=True,
    )
    assert "<a" not in html and "href" not in html
    assert '<span class="defanged-link">this page</span> [hxxps://bad[.]example[.]com/path/file[.]html]' in html
    assert "www[.]other[.]example[.]org" in html


def test_safe_mode_defangs_urls_inside_code_too():
    html = render_markdown("```\nhttp://evil.example.com/x\n```", safe_mode=True)
    assert "hxxp://evil[.]example[.]com/x" in html


def test_defang_is_readable_and_stable():
    assert defang("https://example.com/a.b") == "hxxps://example[.]com/a[.]b"
    assert render_markdown(defang("https://example.com/a.b"), safe_mode=True) == "<p>hxxps://example[.]com/a[.]b</p>"
