"""The settings module itself, imported in a fresh interpreter under the environment a deployment
sets: no SECRET_KEY refuses to start unless DEBUG=1, and SECURE_COOKIES=1 turns on the HTTPS
redirect and HSTS."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Prints the settings the checks below read, then answers one request through the real stack.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
out = {name: getattr(settings, name) for name in names}
out["key_set"] = bool(settings.SECRET_KEY)
plain = Client().get("/login/")
out["plain"] = [plain.status_code, plain.get("Location", "")]
secure = Client().get("/login/", secure=True)
out["secure"] = [secure.status_code, secure.get("Strict-Transport-Security", "")]
print(json.dumps(out))
"""

# Variables of the developer's or CI's environment that must not leak into the probe.
DEPLOYMENT_VARIABLES = ("SECRET_KEY", "DEBUG", "SECURE_COOKIES", "BEHIND_PROXY", "SECURE_HSTS_SECONDS",
                        "DJANGO_SETTINGS_MODULE", "BAOCAO_REQUIRE_SECRET")


def run_probe(tmp_path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES}
    base.update(DJANGO_SETTINGS_MODULE="baocao.config.settings", BAOCAO_DATA_DIR=str(tmp_path), **env)
    base.pop("DATABASE_URL", None)  # the probe touches no database; SQLite keeps it self-contained
    return subprocess.run([sys.executable, "-c", PROBE], env=base, capture_output=True, text=True, timeout=120)


def probe(tmp_path, **env: str) -> dict:
    result = run_probe(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("env", [{}, {"DEBUG": "0"}, {"DEBUG": "0", "SECURE_COOKIES": "1"}])
def test_production_without_secret_key_refuses_to_start(tmp_path, env):
    result = run_probe(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_debug_without_secret_key_starts_with_the_development_key(tmp_path):
    assert probe(tmp_path, DEBUG="1")["key_set"]


def test_plain_http_by_default(tmp_path):
    out = probe(tmp_path, SECRET_KEY="k" * 50)
    assert out["SECURE_SSL_REDIRECT"] is False and out["SECURE_HSTS_SECONDS"] == 0
    assert out["SESSION_COOKIE_SECURE"] is False
    assert out["plain"] == [200, ""] and out["secure"] == [200, ""]


def test_secure_cookies_turn_on_https_redirect_and_hsts(tmp_path):
    out = probe(tmp_path, SECRET_KEY="k" * 50, SECURE_COOKIES="1")
    assert out["SECURE_SSL_REDIRECT"] is True
    assert out["SECURE_HSTS_SECONDS"] == 31536000 and out["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert out["SESSION_COOKIE_SECURE"] is True and out["CSRF_COOKIE_SECURE"] is True
    assert out["plain"] == [301, "https://testserver/login/"]
    assert out["secure"] == [200, "max-age=31536000; includeSubDomains"]


def test_hsts_lifetime_can_be_set(tmp_path):
    out = probe(tmp_path, SECRET_KEY="k" * 50, SECURE_COOKIES="1", SECURE_HSTS_SECONDS="600")
    assert out["secure"] == [200, "max-age=600; includeSubDomains"]


PROXIED = """
import django
django.setup()
from django.test import Client
r = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
print(r.status_code, r.get("Strict-Transport-Security", ""))
"""


def test_behind_the_proxy_https_is_read_from_x_forwarded_proto(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="baocao.config.settings", BAOCAO_DATA_DIR=str(tmp_path),
               SECRET_KEY="k" * 50, SECURE_COOKIES="1", BEHIND_PROXY="1")
    result = subprocess.run([sys.executable, "-c", PROXIED], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=1) == ["200", "max-age=31536000; includeSubDomains\n"]
