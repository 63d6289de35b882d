"""The API's parsers (camelCase in, snake_case out) with communitylend.core.input_checks applied."""

from djangorestframework_camel_case.parser import (
    CamelCaseFormParser,
    CamelCaseJSONParser,
    CamelCaseMultiPartParser,
)
from rest_framework import exceptions
from rest_framework.parsers import DataAndFiles

from .input_checks import file_name_problem, find_problem


class _Checked:
    """Refuse the parsed request with a 400 naming the field if any value is a trick
    (control, invisible or look-alike-digit characters; bad file names)."""

    def problem(self, parsed):
        return find_problem(parsed)

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        found = self.problem(parsed)
        if found:
            field, message = found
            raise exceptions.ValidationError({field: [message]} if field else [message])
        return parsed


class CheckedJSONParser(_Checked, CamelCaseJSONParser):
    pass


class CheckedFormParser(_Checked, CamelCaseFormParser):
    pass


class CheckedMultiPartParser(_Checked, CamelCaseMultiPartParser):
    def problem(self, parsed: DataAndFiles):
        return find_problem(parsed.data) or file_name_problem(parsed.files)
