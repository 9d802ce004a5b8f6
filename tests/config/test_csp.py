"""The Content-Security-Policy every page is sent with, and templates that keep to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import World

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "baocao"
# Official documents rendered as HTML: their views allow inline styles (baocao.core.csp).
# Served under core.csp.document_styles (inline styles allowed); _block.html is official.html's include.
DOCUMENT_TEMPLATES = {"documents/templates/documents/official.html", "documents/templates/documents/_block.html",
                      "meetings/templates/meetings/article_page.html"}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_pages_are_sent_with_the_policy():
    world = World()
    client = Client()
    client.force_login(world.compiler)
    for path in ["/login/", "/", "/tasks/", "/admin/login/"]:
        directives = policy(client.get(path))
        assert directives["default-src"] == "default-src 'self'"
        assert directives["script-src"] == "script-src 'self'"
        assert directives["style-src"] == "style-src 'self'"
        assert directives["object-src"] == "object-src 'none'"
        assert directives["base-uri"] == "base-uri 'self'"
        assert directives["form-action"] == "form-action 'self'"
        assert directives["frame-ancestors"] == "frame-ancestors 'none'"


def test_api_errors_carry_it_too():
    assert "script-src 'self'" in Client().get("/api/v1/auth/me")["Content-Security-Policy"]


def test_no_template_has_inline_script_handler_or_style():
    offenders = []
    for path in SRC.rglob("*.html"):
        relative = str(path.relative_to(SRC))
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", text):
            offenders.append(f"{relative}: {match.group(0)}")
        if relative not in DOCUMENT_TEMPLATES:
            offenders += [f"{relative}: {m.group(0)}" for m in re.finditer(r"<style\b|\sstyle\s*=", text)]
    assert offenders == []
