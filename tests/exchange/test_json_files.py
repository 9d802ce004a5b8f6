"""JSON files refused whole, whichever door they come in by (the API's dataValueSets body, the
bulk import of the page and of the API): a NUL written as the escape `\u0000`, which the raw-byte
check cannot see, and nesting deeper than any file of ours, as the API's parser refuses them."""

from __future__ import annotations

import pytest

from baocao.core.bounds import JSON_DEPTH_MAX
from baocao.core.errors import AppError
from baocao.exchange.formats import read_file


@pytest.mark.parametrize("fmt", ["dhis2-json", "auto"])
def test_an_escaped_nul_is_refused(fmt):
    content = b'{"dataSet": "BC-TEST", "period": "2022S1", "dataValues": [{"dataElement": "A\\u0000", "value": "1"}]}'
    with pytest.raises(AppError, match="NUL"):
        read_file(content, fmt=fmt, filename="x.json")


@pytest.mark.parametrize("depth", [JSON_DEPTH_MAX + 1, 5000])
def test_nesting_deeper_than_the_limit_is_refused(depth):
    nested = "[" * depth + "]" * depth
    content = ('{"dataValues": [{"dataElement": "A", "value": "1", "x": ' + nested + "}]}").encode()
    with pytest.raises(AppError, match="lồng nhau quá sâu"):
        read_file(content, fmt="dhis2-json", filename="x.json")


def test_a_shallow_file_is_read():
    content = b'{"dataSet": "BC-TEST", "period": "2022S1", "orgUnit": "UA", "dataValues": [{"dataElement": "A", "value": "1"}]}'
    assert len(read_file(content, fmt="dhis2-json", filename="x.json").rows) == 1
