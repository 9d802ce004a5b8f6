"""Hostile requests never answer 500 (issue 10, item 4): NUL bytes and numbers no column or calendar
can hold, in the query string, the form body or the path, on every page of the URLconf.

The pages and the parameter names are enumerated, not hand-listed, so a new page or filter is
swept too: every URL pattern outside the admin and the API; every name a view reads from GET/POST
(found in the views' source) plus every field of every form class.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import baocao
from baocao.accounts.models import User

NUL = "a\x00b"
HUGE = "99999999999999999999"  # beyond 64 bits: OverflowError on SQLite, NumericValueOutOfRange on PostgreSQL
BIG_YEAR = "99999999999"  # fits 64 bits, but no calendar has that year
NOT_ASCII_DIGIT = "²"  # str.isdigit() says yes, int() says no
NUMBERS = (HUGE, BIG_YEAR, NOT_ASCII_DIGIT, "-" + HUGE)

SRC = Path(baocao.__file__).parent
PARAM_READ = re.compile(r"""\b(?:GET|POST|post|query)(?:\.get|\.getlist|)\s*[\[(]\s*["']([A-Za-z_][\w-]*)["']""")


def _view_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(SRC)], "baocao.")
            if m.name.rsplit(".", 1)[-1] in {"views", "bulk_views", "template_views", "forms"}]


def parameter_names() -> list[str]:
    """Every query or form parameter a page reads: literal GET/POST keys in the views' source,
    their FILTER_KEYS, and the fields of every Django form."""
    names: set[str] = {"page", "q", "year"}
    for module_name in _view_modules():
        module = importlib.import_module(module_name)
        names.update(PARAM_READ.findall(Path(module.__file__ or "").read_text(encoding="utf-8")))
        names.update(getattr(module, "FILTER_KEYS", ()))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                names.update(getattr(value, "base_fields", ()))
    return sorted(names)


def _patterns(resolvers, prefix: str = ""):
    for entry in resolvers:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            yield from _patterns(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _first_pk(name: str) -> int:
    """The id of a stored row for a path parameter `<int:case_id>`: the model named like it."""
    stem = name.removesuffix("_id")
    models = apps.get_models()
    for model in [m for m in models if m._meta.model_name == stem] + [
            m for m in models if m._meta.model_name.endswith(stem)]:
        pk = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            return pk
    return 1


def page_urls() -> list[str]:
    urls = []
    for route in _patterns(get_resolver().url_patterns):
        def fill(match: re.Match) -> str:
            converter, name = match.group(1) or "str", match.group(2)
            return str(_first_pk(name)) if converter == "int" else {"period": "2022S1", "fmt": "docx"}.get(name, "x")
        urls.append("/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route))
    return sorted(set(urls))



@pytest.fixture(autouse=True)
def _bounded_at_the_boundary(caplog):
    """The middleware's last resort (overflow from the database turned into 400) must not be what
    saved a request: every parameter is bounded before it reaches a query."""
    yield
    assert not [r for r in caplog.records if r.name == "baocao.http"], "input reached the database unbounded"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]


def _client(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def _assert_refused(response, what: str) -> None:
    assert response.status_code == 400, (what, response.status_code, response.content[:300])
    assert "không hợp lệ" in response.content.decode("utf-8", "replace"), what


def test_sweep_finds_the_pages_and_their_parameters():
    urls, names = page_urls(), parameter_names()
    assert "/cases/" in urls and "/meetings/" in urls and "/tasks/" in urls and len(urls) > 40
    assert {"page", "q", "year", "sector", "officer", "unit", "regime", "base_version"} <= set(names)


@pytest.mark.parametrize("username", ["tonghop", "babe"])
def test_nul_anywhere_is_refused_before_any_view(username):
    client = _client(username)
    for url in page_urls():
        _assert_refused(client.get(url, {"q": NUL}), f"GET {url}?q=NUL")
        _assert_refused(client.get(url + "?a%00b=1"), f"GET {url} NUL in a key")
        _assert_refused(client.post(url, {name: NUL for name in parameter_names()}), f"POST {url}")
        _assert_refused(client.post(url, {"x": "1", "file": io.BytesIO(b"1")} | {"q": NUL}),
                        f"POST multipart {url}")


def test_nul_in_the_path_is_refused():
    client = _client("tonghop")
    _assert_refused(client.get("/submissions/open/1/2022S1%00/"), "NUL in a path segment")


@pytest.mark.parametrize("username", ["tonghop", "babe"])
def test_numbers_out_of_range_never_500(username):
    client = _client(username)
    names = parameter_names()
    for url in page_urls():
        for value in NUMBERS:
            response = client.get(url, {name: value for name in names})
            assert response.status_code != 500, (url, value)
            response = client.post(url, {name: value for name in names})
            assert response.status_code != 500, ("POST", url, value)
        if "<" not in url and url.count("/") <= 2:  # list pages: one parameter at a time
            for name in names:
                for value in (HUGE, BIG_YEAR):
                    response = client.get(url, {name: value})
                    assert response.status_code < 500, (url, name, value, response.status_code)


def test_huge_page_number_and_year_are_400_pages():
    client = _client("tonghop")
    _assert_refused(client.get("/meetings/", {"year": BIG_YEAR}), "meetings year")
    _assert_refused(client.get("/cases/", {"sector": HUGE}), "cases sector")
    _assert_refused(client.get("/tasks/", {"plan": HUGE}), "tasks plan")


def test_ids_beyond_64_bits_in_page_paths_are_not_found():
    client = _client("tonghop")
    for url in ("/cases/" + HUGE + "/", "/meetings/" + HUGE + "/", "/submissions/" + HUGE + "/",
                "/tasks/" + HUGE + "/", "/reports/" + HUGE + "/"):
        assert client.get(url).status_code == 404, url


def test_multipart_without_boundary_is_a_vietnamese_400():
    client = _client("tonghop")
    for url in ("/cases/new/", "/tasks/new/", "/exchange/"):
        response = client.generic("POST", url, b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--",
                                  content_type="multipart/form-data")
        _assert_refused(response, url)
        response = client.generic("POST", url, b"garbage", content_type="multipart/form-data; boundary=zz")
        assert response.status_code < 500, (url, response.status_code)
