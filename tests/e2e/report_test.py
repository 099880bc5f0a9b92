#!/usr/bin/env python3
"""The Markdown and HTML reports of `emotriage analyze`: the HTML is well-formed (strict XML
parser), self-contained and inert; mail-derived text (subject, display name, attachment name
carrying <script>, <img onerror>, "><svg onload, CRLF, {{mustache}}, [x](javascript:), bidi
controls) never becomes a tag, attribute or link — in our HTML, nor in the HTML a Markdown
renderer (cmark-gfm, raw HTML allowed) makes of the Markdown. Each checker is first shown to fail
on broken or injected markup, so that it cannot pass vacuously.

    report_test.py EMOTRIAGE SOURCE_DIR
"""
import html.parser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

BIN, SOURCE = os.path.abspath(sys.argv[1]), sys.argv[2]
HOSTILE = "tests/data/report/hostile-strings.eml"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SVG = "{http://www.w3.org/2000/svg}"
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "nav", "a", "section", "h1", "h2",
             "h3", "p", "strong", "code", "span", "ul", "ol", "li", "table", "thead", "tbody",
             "tr", "th", "td", "figure"}
SVG_TAGS = {"svg", "title", "text", "rect", "line"}
# What cmark-gfm makes of our Markdown; our own SVG passes through as raw HTML.
MD_TAGS = {"h1", "h2", "h3", "p", "strong", "code", "ul", "ol", "li", "table", "thead", "tbody",
           "tr", "th", "td"} | SVG_TAGS
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}"[:2000])


def run(args):
    r = subprocess.run([BIN] + args, cwd=SOURCE, capture_output=True, timeout=120)
    if r.returncode not in (0, 1):
        raise SystemExit(f"emotriage {' '.join(args)}: exit {r.returncode}\n{r.stderr.decode()}")
    return r.stdout.decode("utf-8")


def html_problems(document):
    """Everything wrong with a report: not well-formed, unknown element, event handler, link
    out of the page, script-able attribute, missing CSP."""
    try:
        root = ET.fromstring(document.split("\n", 1)[1])  # after <!DOCTYPE html>
    except ET.ParseError as error:
        return [f"not well-formed: {error}"]
    problems = []
    csp = [m.get("content") for m in root.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    if csp != [CSP]:
        problems.append(f"CSP meta {csp}")
    for element in root.iter():
        tag = element.tag
        known = tag[len(SVG):] in SVG_TAGS if tag.startswith(SVG) else tag in HTML_TAGS
        if not known:
            problems.append(f"element {tag}")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() in ("src", "srcdoc", "style", "formaction", "xlink:href"):
                problems.append(f"attribute {name}={value!r} on {tag}")
            if name == "href" and not value.startswith("#"):
                problems.append(f"link {value!r}")
            if "javascript:" in value.lower():
                problems.append(f"javascript: in {name}")
    return problems


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def markdown_problems(markdown):
    rendered = subprocess.run(["cmark-gfm", "--unsafe", "-e", "autolink", "-e", "table",
                               "-e", "strikethrough"], input=markdown.encode(),
                              capture_output=True, check=True).stdout.decode()
    collector = TagCollector()
    collector.feed(rendered)
    problems = [f"element {tag}" for tag in set(collector.tags) - MD_TAGS]
    problems += [f"attribute {name}={value!r} on {tag}" for tag, name, value in collector.attributes
                 if name.startswith("on") or name in ("href", "src") or "javascript:" in value.lower()]
    return problems


def self_test():
    """The checkers reject what they are meant to reject."""
    good = run(["analyze", "--profile", "examples/profile.toml", "--format", "html", "--lang", "en", HOSTILE])
    check("checker accepts the report", html_problems(good) == [], html_problems(good))
    unclosed = good.replace("</p>", "", 1)
    check("checker catches an unclosed tag", html_problems(unclosed) != [])
    injected = good.replace("<h2>", '<h2><img src="x" onerror="alert(1)"/>', 1)
    check("checker catches an injected handler", len(html_problems(injected)) >= 2)
    linked = good.replace("<h2>", '<h2><a href="javascript:alert(1)">x</a>', 1)
    check("checker catches a link", html_problems(linked) != [])
    check("markdown checker catches a link", markdown_problems("[x](javascript:alert(1))\n") != [])
    check("markdown checker catches raw html", markdown_problems('x <img src=x onerror="a()">\n') != [])
    check("markdown checker catches an autolink", markdown_problems("see www.evil.example now\n") != [])


def main():
    if shutil.which("cmark-gfm") is None:
        print("cmark-gfm missing: scripts/install-deps.sh --tests")
        return 1
    self_test()
    inputs = {"hostile": [HOSTILE], "incidents": ["examples/incidents"]}
    for name, paths in inputs.items():
        for lang in ("ja", "en"):
            common = ["analyze", "--profile", "examples/profile.toml", "-j", "1", "--lang", lang]
            document = run(common + ["--format", "html"] + paths)
            check(f"html {name} {lang}", html_problems(document) == [], html_problems(document))
            markdown = run(common + ["--format", "md"] + paths)
            check(f"md {name} {lang}", markdown_problems(markdown) == [], markdown_problems(markdown))
            if name == "hostile":
                # Shown, escaped, not dropped; neither a forged line nor an invisible control.
                check(f"html shows the text {lang}", "&lt;script&gt;alert(1)&lt;/script&gt;" in document)
                check(f"html keeps CRLF visible {lang}", "\nX-Injected" not in document and "\\r\\nX-Injected" in document)
                check(f"no bidi control {lang}", "\u202e" not in document and "\u202e" not in markdown)
                check(f"md shows the text {lang}", "\\<script\\>alert\\(1\\)" in markdown)
                check(f"md keeps CRLF visible {lang}", "\nX-Injected" not in markdown)
                check(f"md has no heading from mail {lang}", "\n# heading" not in markdown)
                check(f"hostile mail reaches the summary {lang}",
                      "hostile.sender@gmail.com" in document.split('id="summary"')[1])
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
