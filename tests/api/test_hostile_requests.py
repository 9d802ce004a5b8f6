"""Hostile requests to the JSON API never answer 500 and never write (issue 10, item 4): NUL
characters, numbers no column can hold, deeply nested JSON and multipart bodies without a boundary,
on every operation of the OpenAPI schema, as a compiler and as a unit reporter.

The operations and their parameters are read from `api.get_openapi_schema()`, not hand-listed, so
a new endpoint or parameter is swept too. Path ids name stored rows of the demo, so that requests
get past the lookups to the code that reads the hostile part.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from baocao.accounts.models import User
from baocao.config.api import MAX_JSON_DEPTH, api
from tests.api.conftest import assert_error

NUL = "a\x00b"
HUGE = 10**20  # beyond 64 bits: OverflowError on SQLite, NumericValueOutOfRange on PostgreSQL
BIG = 99999999999  # fits 64 bits, but no year, version or day count is that large
NUMBERS = (HUGE, -HUGE, BIG, 2**63)

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS = SCHEMA["components"]["schemas"]
USERS = ("tonghop", "babe")  # the department's compiler, a district unit's reporter

# Path parameters that are not ids of the model named like them.
PATH_TEXT = {"code": "2022S1", "kind": "minutes"}
PATH_MODELS = {"number": None, "version_id": "formversion", "form_id": "form", "regime_id": "reportingregime"}


@dataclass
class Operation:
    method: str
    path: str
    spec: dict = field(repr=False)

    @property
    def parameters(self) -> list[dict]:
        return self.spec.get("parameters", [])

    def params_in(self, where: str) -> list[dict]:
        return [p for p in self.parameters if p["in"] == where]

    @property
    def body_types(self) -> list[str]:
        return list(self.spec.get("requestBody", {}).get("content", {}))

    def body_schema(self, content_type: str) -> dict:
        return self.spec["requestBody"]["content"][content_type]["schema"]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


OPERATIONS = [Operation(method, path, spec) for path, methods in SCHEMA["paths"].items()
              for method, spec in methods.items()]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _first_choice(schema: dict) -> dict:
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [_resolve(s) for s in schema[key]]
            return next((s for s in options if s.get("type") != "null"), options[0])
    if "allOf" in schema:
        return _resolve(schema["allOf"][0])
    return schema


def sample(schema: dict, *, text: str = "x", path: tuple = (), numbers: dict[tuple, int] | None = None) -> Any:
    """A value of `schema`: strings are `text` (dates stay dates), integers valid unless
    `numbers` gives the value at their location (a tuple of keys)."""
    schema = _first_choice(schema)
    if numbers and path in numbers:
        return numbers[path]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        value = {name: sample(sub, text=text, path=(*path, name), numbers=numbers)
                 for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            value[text] = sample(extra, text=text, path=(*path, "*"), numbers=numbers)
        return value
    if kind == "array":
        return [sample(schema.get("items", {}), text=text, path=(*path, 0), numbers=numbers)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2022-06-30"
    if schema.get("format") == "time":
        return "08:00:00"
    return text


def integer_locations(schema: dict, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Where integers sit in a body of `schema` (`sample` builds the same keys), with their schema."""
    schema = _first_choice(schema)
    kind = schema.get("type")
    if kind == "integer":
        yield path, schema
    elif kind == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            yield from integer_locations(sub, (*path, name))
        if isinstance(schema.get("additionalProperties"), dict):
            yield from integer_locations(schema["additionalProperties"], (*path, "*"))
    elif kind == "array":
        yield from integer_locations(schema.get("items", {}), (*path, 0))


def _is_integer(param: dict) -> bool:
    return _first_choice(param["schema"]).get("type") == "integer"


def out_of_range(schema: dict) -> list[int]:
    """The NUMBERS outside the range `schema` declares (all of them beyond 64 bits: a schema with
    no bound there fails the sweep, since no column holds them)."""
    schema = _first_choice(schema)
    low, high = schema.get("minimum", -(2**63)), schema.get("maximum", 2**63 - 1)
    return [n for n in NUMBERS if not low <= n <= high]


def _first_pk(model_name: str) -> int:
    models = apps.get_models()
    for model in [m for m in models if m._meta.model_name == model_name] + [
            m for m in models if m._meta.model_name.endswith(model_name)]:
        pk = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            return pk
    return 1


def path_value(name: str) -> str:
    if name in PATH_TEXT:
        return PATH_TEXT[name]
    model = PATH_MODELS.get(name, name.removesuffix("_id"))
    return "1" if model is None else str(_first_pk(model))


def url(operation: Operation, **overrides: Any) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1)
        return str(overrides[name]) if name in overrides else path_value(name)

    return re.sub(r"\{(\w+)\}", fill, operation.path)


def query(operation: Operation, **overrides: Any) -> dict:
    values = {p["name"]: sample(p["schema"]) for p in operation.params_in("query") if p.get("required")}
    values.update(overrides)
    return values


def send(client: Client, operation: Operation, path: str, params: dict | None = None, body: Any = None,
         content_type: str = "application/json"):
    target = path + ("?" + "&".join(f"{k}={_quote(v)}" for k, v in params.items()) if params else "")
    if body is None:
        data: Any = ""
    elif content_type == "application/json" and not isinstance(body, str | bytes):
        data = json.dumps(body)
    else:
        data = body
    if content_type == "multipart/form-data" and isinstance(data, dict):
        return client.generic(operation.method.upper(), target, _multipart(data),
                              content_type="multipart/form-data; boundary=BoUnDaRy")
    return client.generic(operation.method.upper(), target, data, content_type=content_type)


def _quote(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value).lower() if isinstance(value, bool) else str(value), safe="")


def _multipart(fields: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):  # (filename, bytes)
            filename, content = value
            parts.append(f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        else:
            parts.append(f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    return b"".join(parts) + b"--BoUnDaRy--\r\n"


def multipart_fields(operation: Operation, text: str) -> dict:
    schema = _resolve(operation.body_schema("multipart/form-data"))
    fields: dict[str, Any] = {}
    for name, sub in schema.get("properties", {}).items():
        sub = _first_choice(sub)
        if sub.get("format") == "binary":
            fields[name] = (f"{text}.csv", f"{text}\n".encode())
        else:
            fields[name] = sample(sub, text=text)
    return fields


# ---------------------------------------------------------------------------
# Fixtures


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]


@pytest.fixture
def clients() -> dict[str, Client]:
    made = {}
    for username in USERS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        made[username] = client
    return made


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def sweep(clients, caplog) -> Iterator[dict[str, Client]]:
    """The clients, for requests that must all be refused: afterwards no table has gained or lost
    a row, and none was saved by the last resort (a database error turned into 400), since every
    parameter is bounded before it reaches a query."""
    before = row_counts()
    yield clients
    after = row_counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}
    assert not [r.getMessage() for r in caplog.records if r.name in ("baocao.api", "baocao.http")
                and "reached the database" in r.getMessage()], "input reached the database unbounded"


def assert_refused(response, what: str, statuses: tuple[int, ...] = (400, 404, 413, 422)) -> dict:
    assert response.status_code < 500, (what, response.status_code, response.content[:500])
    assert response.status_code in statuses, (what, response.status_code, response.content[:500])
    return assert_error(response, response.status_code)


# ---------------------------------------------------------------------------
# The sweep finds what it sweeps


def test_the_sweep_covers_every_operation():
    assert len(OPERATIONS) >= 70
    methods = {op.method for op in OPERATIONS}
    assert {"get", "post", "put", "patch", "delete"} <= methods
    assert any(op.body_types == ["multipart/form-data"] for op in OPERATIONS)
    with_integers = [op for op in OPERATIONS if any(_is_integer(p) for p in op.parameters)
                     or any(True for t in op.body_types if t == "application/json"
                            for _ in integer_locations(op.body_schema(t)))]
    assert len(with_integers) >= 50


# ---------------------------------------------------------------------------
# NUL


@pytest.mark.parametrize("username", USERS)
def test_nul_in_the_query_string_is_refused(sweep, username):
    client = sweep[username]
    for operation in OPERATIONS:
        names = [p["name"] for p in operation.params_in("query")] + ["q"]
        response = send(client, operation, url(operation), {name: NUL for name in names})
        assert_refused(response, f"{operation} ?…=NUL", (400,))
        response = send(client, operation, url(operation), {NUL: "1"})
        assert_refused(response, f"{operation} NUL in a key", (400,))


@pytest.mark.parametrize("username", USERS)
def test_nul_in_the_path_is_refused(sweep, username):
    client = sweep[username]
    for operation in OPERATIONS:
        names = [p["name"] for p in operation.params_in("path")]
        if not names:
            continue
        response = send(client, operation, url(operation, **{name: "1%00" for name in names}), query(operation))
        assert_refused(response, f"{operation} NUL in the path", (400,))


@pytest.mark.parametrize("username", USERS)
def test_nul_in_json_bodies_is_refused_raw_or_escaped(sweep, username):
    client = sweep[username]
    for operation in [op for op in OPERATIONS if "application/json" in op.body_types]:
        schema = operation.body_schema("application/json")
        path, params = url(operation), query(operation)
        body = sample(schema, text=NUL)
        if "\x00" not in json.dumps(body, ensure_ascii=False):  # a body of numbers only
            body["note"] = NUL
        escaped = json.dumps(body)
        body_nul = assert_refused(send(client, operation, path, params, escaped), f"{operation} \\u0000", (400,))
        assert "NUL" in body_nul["message"], (str(operation), body_nul)
        raw = escaped.replace("\\u0000", "\x00").encode()
        raw_nul = assert_refused(send(client, operation, path, params, raw), f"{operation} raw NUL", (400,))
        assert "NUL" in raw_nul["message"], (str(operation), raw_nul)
        # A NUL in a key, and a NUL alone in a text that is otherwise valid.
        assert_refused(send(client, operation, path, params, {NUL: 1} if isinstance(body, dict) else [NUL]),
                       f"{operation} NUL key", (400,))


@pytest.mark.parametrize("username", USERS)
def test_nul_in_multipart_fields_is_refused(sweep, username):
    """In the fields an operation declares and in those it does not read (Django itself drops a
    NUL from a file's name)."""
    client = sweep[username]
    for operation in [op for op in OPERATIONS if "multipart/form-data" in op.body_types]:
        fields = multipart_fields(operation, NUL)
        if any(not isinstance(value, tuple) for value in fields.values()):
            response = send(client, operation, url(operation), query(operation), fields, "multipart/form-data")
            assert_refused(response, f"{operation} multipart NUL", (400,))
        fields = multipart_fields(operation, "x") | {"note": NUL}
        response = send(client, operation, url(operation), query(operation), fields, "multipart/form-data")
        assert_refused(response, f"{operation} NUL in a field it does not declare", (400,))


def test_control_characters_other_than_nul_are_cleaned_not_refused(clients):
    """The parser keeps CleanTextParser's rule: \\u001b is dropped, the request goes through."""
    client = clients["tonghop"]
    task = next(op for op in OPERATIONS if str(op) == "POST /api/v1/tasks/{task_id}/comments")
    response = send(client, task, url(task), body={"text": "Góp\u001b ý\r\nmới"})
    assert response.status_code == 201, response.content
    assert response.json()["comments"][-1]["text"] == "Góp ý\nmới"


# ---------------------------------------------------------------------------
# Numbers beyond every column


@pytest.mark.parametrize("username", USERS)
def test_huge_integers_in_path_and_query_are_refused(sweep, username):
    client = sweep[username]
    for operation in OPERATIONS:
        for param in [p for p in operation.parameters if _is_integer(p)]:
            for number in out_of_range(param["schema"]):
                if param["in"] == "path":
                    if number < 0:
                        continue  # not a path the URLconf matches: 404 like any unknown path
                    response = send(client, operation, url(operation, **{param["name"]: number}), query(operation))
                else:
                    response = send(client, operation, url(operation), query(operation, **{param["name"]: number}))
                assert_refused(response, f"{operation} {param['in']} {param['name']}={number}")


@pytest.mark.parametrize("username", USERS)
def test_huge_integers_in_json_bodies_are_refused(sweep, username):
    """One integer at a time, the rest of the body valid: an unbounded field cannot hide behind a
    bounded one."""
    client = sweep[username]
    for operation in [op for op in OPERATIONS if "application/json" in op.body_types]:
        schema = operation.body_schema("application/json")
        for location, integer in integer_locations(schema):
            for number in out_of_range(integer):
                body = sample(schema, numbers={location: number})
                response = send(client, operation, url(operation), query(operation), body)
                assert_refused(response, f"{operation} body {location}={number}")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 40, "NaN", "Infinity", "-Infinity"])
def test_numbers_no_column_holds_where_any_number_is_taken(clients, number):
    """A report's values and a target take any JSON number: the ones no decimal column holds, and
    the NaN and Infinity that Python's JSON reader accepts, are refused, not stored or crashed on."""
    reporter, compiler = clients["babe"], clients["tonghop"]
    opened = reporter.post("/api/v1/submissions", {"regime": "BC-TTTT", "period": "2022S2"},
                           content_type="application/json")
    assert opened.status_code in (200, 201), opened.content
    submission = opened.json()
    values_before = apps.get_model("submissions", "SubmissionValue").objects.count()
    for code in submission["values"]:
        body = f'{{"version": {submission["version"]}, "values": {{"{code}": {number}}}}}'
        response = reporter.put(f"/api/v1/submissions/{submission['id']}/draft", body, content_type="application/json")
        assert_refused(response, f"draft {code}={number}", (400, 422))
    assert apps.get_model("submissions", "SubmissionValue").objects.count() == values_before
    unit = User.objects.get(username="tonghop").unit_id
    body = f'{{"unit": {unit}, "year": 2022, "indicator_code": "A", "value": {number}}}'
    targets_before = apps.get_model("consolidation", "Target").objects.count()
    assert_refused(compiler.put("/api/v1/targets", body, content_type="application/json"), f"target {number}",
                   (400, 422))
    assert apps.get_model("consolidation", "Target").objects.count() == targets_before


@pytest.mark.parametrize("page", ["0", "-1", "99999999999999999999", "1" + "0" * 5000, "²"])
def test_page_numbers_out_of_range_are_refused(sweep, page):
    client = sweep["tonghop"]
    for operation in [op for op in OPERATIONS if any(p["name"] == "page" for p in op.params_in("query"))]:
        response = send(client, operation, url(operation), query(operation, page=page))
        assert_refused(response, f"{operation} ?page={page[:30]}", (400, 422))
        response = send(client, operation, url(operation), query(operation, page_size=page))
        assert_refused(response, f"{operation} ?page_size={page[:30]}", (400, 422))


def test_ids_beyond_64_bits_in_the_path_are_not_found(sweep):
    client = sweep["tonghop"]
    for operation in OPERATIONS:
        for param in [p for p in operation.params_in("path") if _is_integer(p)]:
            for number in (2**63, HUGE, "9" * 5000):
                response = send(client, operation, url(operation, **{param["name"]: number}), query(operation))
                assert_refused(response, f"{operation} {param['name']}={str(number)[:30]}", (404,))


# ---------------------------------------------------------------------------
# Bodies no parser should recurse into, multipart without a boundary


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_refused(sweep, depth):
    client = sweep["tonghop"]
    for operation in [op for op in OPERATIONS if "application/json" in op.body_types]:
        for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth,
                     json.dumps(sample(operation.body_schema("application/json")))[:-1]
                     + ', "deep": ' + "[" * depth + "]" * depth + "}"):
            response = send(client, operation, url(operation), query(operation), body)
            refused = assert_refused(response, f"{operation} depth {depth}", (400,))
            assert "lồng" in refused["message"], refused


def test_nesting_within_the_limit_is_read(clients):
    client = clients["tonghop"]
    operation = next(op for op in OPERATIONS if str(op) == "PUT /api/v1/regimes/{regime_id}/outline")
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    response = send(client, operation, url(operation), body='{"parts": ' + nested + "}")
    assert response.status_code == 422, response.content  # read, then refused by validation: not a list of str


@pytest.mark.parametrize("username", USERS)
def test_multipart_without_boundary_is_refused(sweep, username):
    client = sweep[username]
    for operation in [op for op in OPERATIONS if op.body_types]:
        for content_type, body in (("multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--"),
                                   ("multipart/form-data; boundary=", b"--\r\n"),
                                   ("multipart/form-data; boundary=zz", b"garbage")):
            response = send(client, operation, url(operation), query(operation), body, content_type)
            assert response.status_code < 500, (str(operation), content_type, response.content[:300])
            assert_error(response, response.status_code)


def test_the_last_resort_handlers_answer_in_the_error_shape(rf):
    """Errors that bounded parameters keep away from the database, should one slip through."""
    from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
    from django.db import DataError
    from django.http.multipartparser import MultiPartParserError

    request = rf.get("/api/v1/units")
    for exc, status in ((OverflowError("Python int too large to convert to SQLite INTEGER"), 400),
                        (DataError("integer out of range"), 400),
                        (MultiPartParserError("Invalid boundary in multipart: None"), 400),
                        (SuspiciousOperation("x"), 400), (RequestDataTooBig("x"), 413),
                        (BadRequest("Số «1» không hợp lệ."), 400)):
        response = api.on_exception(request, exc)
        body = json.loads(response.content)
        assert response.status_code == status, (exc, response.status_code)
        assert set(body) == {"message", "extra"} and body["message"], body
        assert "Python" not in body["message"] and "integer" not in body["message"], body
