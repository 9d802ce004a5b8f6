"""No page strands a user: each demo role follows every same-site link on every page it can reach
(breadth first from the dashboard, bounded), and no link answers 404 or 500; an error page, when a
link leads to one, is in Vietnamese with the menu.

Links are what the templates offer a role: a link to a page the role may not open is a bug of the
template (or the selector behind it), fixed there, not here. Bounded two ways so the run stays
short: at most PER_PATTERN pages per address shape (ids replaced by N, so the 30 meetings are
visited a few at a time), at most PER_DOWNLOAD per document download shape, MAX_PAGES in all.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from baocao.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]

ROLES = ("admin", "tonghop", "lanhdao", "thanhtra", "babe", "nari", "tonghop-tn", "lanhdao-tn")
MAX_PAGES = 400
PER_PATTERN = 15
PER_DOWNLOAD = 2
# Links that end a session or leave the pages a person works in.
SKIP_PREFIXES = ("/logout/", "/admin/", "/static/", "/api/", "/password/reset/")
DOWNLOAD = re.compile(r"/(docx|pdf|odt|xlsx|csv|json|download|export)(/|$)|\.(docx|pdf|odt|xlsx|csv|zip|json)$")


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "#")):
        return None
    url, _ = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(username: str) -> tuple[list[str], list[str], int]:
    """(links answering 404/500 with the page that offered them, error pages lacking Vietnamese or
    the menu, pages visited)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen = {"/"}
    per_pattern: Counter[str] = Counter()
    broken: list[str] = []
    bad_pages: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        url, source = queue.popleft()
        visited += 1
        response = client.get(url)
        status = response.status_code
        if status in (404, 500):
            broken.append(f"{status} {url} ← {source}")
        if status >= 400 and "text/html" in response.get("Content-Type", ""):
            html = response.content.decode()
            if 'lang="vi"' not in html or 'id="mainnav"' not in html:
                bad_pages.append(f"{status} {url}")
        if status != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = LinkParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = same_site(url, href)
            if target is None or target in seen:
                continue
            shape = pattern(urlsplit(target).path)
            limit = PER_DOWNLOAD if DOWNLOAD.search(urlsplit(target).path) else PER_PATTERN
            if per_pattern[shape] >= limit:
                continue
            per_pattern[shape] += 1
            seen.add(target)
            queue.append((target, url))
    return broken, bad_pages, visited


@pytest.mark.parametrize("username", ROLES)
def test_every_link_a_role_is_shown_opens(username):
    broken, bad_pages, visited = crawl(username)
    print(f"{username}: {visited} pages")
    assert visited > 5, f"{username} reached only {visited} pages"
    assert not broken, f"{username}: links that lead nowhere ({len(broken)}):\n" + "\n".join(broken)
    assert not bad_pages, f"{username}: error pages without Vietnamese or the menu:\n" + "\n".join(bad_pages)
