"""The API's parsers (camelCase in, snake_case out) with communitylend.core.input_checks applied."""

import io
import re

from django.conf import settings
from django.http import QueryDict
from djangorestframework_camel_case.parser import (
    CamelCaseFormParser,
    CamelCaseJSONParser,
    CamelCaseMultiPartParser,
)
from rest_framework import exceptions
from rest_framework.parsers import DataAndFiles

from .input_checks import file_name_problem, find_problem

# The renderer writes ``inquiries_6m`` as ``inquiries6m`` (no underscore before a digit); the
# library's underscoreize leaves ``inquiries6m`` as it is, so the field was silently ignored.
# Input names get the underscore back before a digit that follows a letter: every field name
# reads back under the name the API writes (tests/security/test_bad_input.py walks the schema).
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])")


def snake_digits(data):
    if isinstance(data, QueryDict):
        fixed = QueryDict(mutable=True)
        for key in data:
            fixed.setlist(_LETTER_DIGIT.sub("_", key), data.getlist(key))
        return fixed
    if isinstance(data, dict):
        return {_LETTER_DIGIT.sub("_", key) if isinstance(key, str) else key: snake_digits(value)
                for key, value in data.items()}
    if isinstance(data, list):
        return [snake_digits(item) for item in data]
    return data


class _Checked:
    """Refuse the parsed request with a 400 naming the field if any value is a trick
    (control, invisible or look-alike-digit characters; bad file names)."""

    def problem(self, parsed):
        return find_problem(parsed)

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if isinstance(parsed, DataAndFiles):
            parsed = DataAndFiles(snake_digits(parsed.data), parsed.files)
        else:
            parsed = snake_digits(parsed)
        found = self.problem(parsed)
        if found:
            field, message = found
            raise exceptions.ValidationError({field: [message]} if field else [message])
        return parsed


# Request bodies: JSON of at most this many bytes, nested at most this deep (a 1 KB body nested
# hundreds of levels held a worker for minutes in the recursive camelCase conversion).
MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class CheckedJSONParser(_Checked, CamelCaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_JSON_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_JSON_BYTES:
            raise exceptions.ParseError(f"The request body is larger than {MAX_JSON_BYTES} bytes")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError("The request body is not valid UTF-8") from exc
        if json_depth(text) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class CheckedFormParser(_Checked, CamelCaseFormParser):
    pass


class CheckedMultiPartParser(_Checked, CamelCaseMultiPartParser):
    def problem(self, parsed: DataAndFiles):
        return find_problem(parsed.data) or file_name_problem(parsed.files)
