"""The API's parsers (camelCase in, snake_case out) with communitylend.input_checks applied."""

from djangorestframework_camel_case.parser import (
    CamelCaseFormParser,
    CamelCaseJSONParser,
    CamelCaseMultiPartParser,
)
from rest_framework import exceptions
from rest_framework.parsers import DataAndFiles

from .input_checks import file_name_problem, find_problem


def _refuse(found):
    field, message = found
    raise exceptions.ValidationError({field: [message]} if field else [message])


class CheckedJSONParser(CamelCaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        found = find_problem(data)
        if found:
            _refuse(found)
        return data


class CheckedFormParser(CamelCaseFormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        found = find_problem(data)
        if found:
            _refuse(found)
        return data


class CheckedMultiPartParser(CamelCaseMultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        found = find_problem(parsed.data) or file_name_problem(parsed.files)
        if found:
            _refuse(found)
        return DataAndFiles(parsed.data, parsed.files)
