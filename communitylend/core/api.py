"""Shared API plumbing: the error envelope and pagination."""

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import Http404, QueryDict
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from communitylend.core.errors import ApplicationError
from communitylend.core.input_checks import string_problem
from communitylend.core.money import parse_decimal, parse_whole_number

MAX_MESSAGE = 300
MAX_ID = 2**63 - 1  # the largest primary key the databases hold; larger ids are refused (400)


def camel(name: str) -> str:
    return camelize_re.sub(underscore_to_camel, name)


def _first_error(detail, prefix=""):
    """(field, message) of the first error in a DRF ValidationError detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = str(key) if key != "non_field_errors" else ""
            if field.isdigit():  # an item of a list: keep the list's name
                return _first_error(value, prefix)
            path = f"{prefix}.{camel(field)}" if prefix and field else (camel(field) or prefix)
            return _first_error(value, path)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], prefix)
    return prefix or None, str(detail)


def error_response(message: str, *, status_code: int = 400, field: str | None = None, **extra):
    body = {"success": False, "error": message}
    if field:
        body["field"] = field
    body.update(extra)
    return Response(body, status=status_code)


def exception_handler(exc, context):
    """Every API error is ``{"success": false, "error": "<message>", "field"?: "<name>"}``."""
    if isinstance(exc, ApplicationError):
        return error_response(
            exc.message,
            status_code=exc.status_code,
            field=camel(exc.field) if exc.field else None,
            **exc.extra,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        message = f"{field}: {message}" if field else message
        if len(message) > MAX_MESSAGE:  # messages that echo a huge value stay readable
            message = message[:MAX_MESSAGE - 3] + "..."
        response.data = {"success": False, "error": message}
        if field:
            response.data["field"] = field
        response.data["errors"] = exc.detail
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {"success": False, "error": str(detail)}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class PagePagination(PageNumberPagination):
    """``?page=&limit=`` (max 100) -> ``{<items>, pagination: {page, limit, total, totalPages}}``."""

    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100
    items_key = "results"

    def get_page_size(self, request):
        """``limit`` a whole number from 1 (above max_page_size it means the maximum); anything
        else is a 400 naming it, not a quiet default."""
        values = request.query_params.getlist(self.page_size_query_param)
        if values == [""] or not values:  # ?limit= is no limit given, as for every query field
            return self.page_size
        if len(values) > 1 or not values[0].isascii() or not values[0].isdigit() or int(values[0]) < 1:
            raise exceptions.ValidationError({self.page_size_query_param: [
                "a whole number from 1 (at most one limit)"]})
        return min(int(values[0]), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response(self, data):
        total = self.page.paginator.count
        limit = self.get_page_size(self.request)
        return Response(
            {
                self.items_key: data,
                "pagination": {
                    "page": self.page.number,
                    "limit": limit,
                    "total": total,
                    "totalPages": max(1, math.ceil(total / limit)) if limit else 1,
                },
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                self.items_key: schema,
                "pagination": {
                    "type": "object",
                    "properties": {
                        "page": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "total": {"type": "integer"},
                        "totalPages": {"type": "integer"},
                    },
                },
            },
        }


class DecimalInput(serializers.DecimalField):
    """The API's one number input (money, rates, ratios): read by core.money.parse_decimal
    ("1e2", "+5", "²" and NaN refused), and trailing zeros ignored when counting decimals
    ("6.0600" is 6.06). Every model DecimalField a serializer maps uses it too."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip():
            return super().to_internal_value(data)
        try:
            data = parse_decimal(data)
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)

    def validate_precision(self, value):
        try:
            if value.is_finite() and value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            elif value.is_finite():
                value = value.normalize()
        except InvalidOperation:
            pass  # too large to normalise (1e400): the digit limits below refuse it
        return super().validate_precision(value)


class RateOutput(serializers.DecimalField):
    """A rate in percent, as a JSON number with two decimals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", False)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class KeyedDictField(serializers.DictField):
    """A map whose keys are a known set (``keys``), e.g. {grade: limit}: the OpenAPI document lists
    them (core/openapi.py); the service that reads the map refuses other keys."""

    def __init__(self, *, keys, **kwargs):
        self.keys = tuple(keys)
        super().__init__(**kwargs)


class IntegerInput(serializers.IntegerField):
    """Whole numbers read by core.money.parse_whole_number ("²", "1e2", "+5", "5.0" refused),
    within what the database holds unless the field says less."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("min_value", -MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if _from_json(self) and (isinstance(data, bool) or not isinstance(data, int | float)):
            self.fail("invalid")  # a JSON body's whole number is a JSON number (see below)
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        try:
            data = parse_whole_number(data)
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


def _model_integer_input(model_field) -> type[IntegerInput]:
    """IntegerInput within the range of a model field's column type as PostgreSQL holds it,
    whatever the database in use: Django's own range validators follow the connection (SQLite
    holds 64 bits in every integer column), which would make the API accept on SQLite what it
    refuses on PostgreSQL, and the OpenAPI document differ between the two."""
    low, high = BaseDatabaseOperations.integer_field_ranges[model_field.__name__]

    class ModelIntegerInput(IntegerInput):
        def __init__(self, **kwargs):
            given_high, given_low = kwargs.get("max_value"), kwargs.get("min_value")
            kwargs["max_value"] = high if given_high is None else min(given_high, high)
            kwargs["min_value"] = low if given_low is None else max(given_low, low)
            super().__init__(**kwargs)

    ModelIntegerInput.__name__ = f"{model_field.__name__}Input"
    return ModelIntegerInput


# Serializers built from models read numbers the same way.
serializers.ModelSerializer.serializer_field_mapping.update({models.DecimalField: DecimalInput})
serializers.ModelSerializer.serializer_field_mapping.update({
    field: _model_integer_input(field) for field in (
        models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
        models.PositiveIntegerField, models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField)
})



def _from_json(field) -> bool:
    """The field reads a JSON body (a dict), not a form or query string (a QueryDict, where
    every value is text)."""
    data = getattr(field.root, "initial_data", None)
    return isinstance(data, dict) and not isinstance(data, QueryDict)


def _json_typed(to_internal_value, accepts):
    def strict(self, data):
        if _from_json(self) and not accepts(self, data):
            self.fail("invalid_choice", input=data) if isinstance(
                self, serializers.ChoiceField) else self.fail("invalid")
        return to_internal_value(self, data)
    return strict


def _choice_type_matches(field, data) -> bool:
    kinds = {type(key) for key in field.choice_strings_to_values.values()}
    if kinds == {int}:
        return isinstance(data, int) and not isinstance(data, bool)
    if kinds == {str}:
        return isinstance(data, str)
    return True


# JSON bodies are typed as the OpenAPI document says: text is a JSON string (never 5 for "5"),
# whole numbers are JSON numbers (never "5"), yes/no is true or false (never 0, "yes"), and a
# choice has its choices' type. Forms and query strings, where every value is text, are read as
# DRF reads them. Decimals take both strings and numbers (API.md; core/openapi.py documents both).
serializers.CharField.to_internal_value = _json_typed(
    serializers.CharField.to_internal_value, lambda field, data: isinstance(data, str))
serializers.IntegerField.to_internal_value = _json_typed(
    serializers.IntegerField.to_internal_value,
    lambda field, data: not isinstance(data, bool) and (
        isinstance(data, int) or isinstance(data, float) and data.is_integer()))
serializers.BooleanField.to_internal_value = _json_typed(
    serializers.BooleanField.to_internal_value, lambda field, data: isinstance(data, bool))
serializers.ChoiceField.to_internal_value = _json_typed(
    serializers.ChoiceField.to_internal_value, _choice_type_matches)


def _no_blank_numbers(run_validation):
    def strict(self, data=serializers.empty):
        if data == "" and _from_json(self):  # DRF reads "" as null for a nullable number
            self.fail("invalid")
        return run_validation(self, data)
    return strict


for _number in (serializers.IntegerField, serializers.DecimalField, serializers.FloatField):
    _number.run_validation = _no_blank_numbers(_number.run_validation)


def _known_fields_only(to_internal_value):
    def strict(self, data):
        if _from_json(self) and isinstance(data, dict):
            unknown = next((key for key in data if key not in self.fields), None)
            if unknown is not None:
                raise exceptions.ValidationError(
                    {unknown: [f"unknown field {camel(str(unknown))!r}: not one this request takes"]})
        return to_internal_value(self, data)
    return strict


# A JSON body names only the fields its request takes (the document says
# additionalProperties: false): a misspelt optional field ("idempotency_Key", "ammount") is an
# error the client sees, not a setting silently ignored. Read-only fields are known and ignored,
# so a client may send back what it read.
serializers.Serializer.to_internal_value = _known_fields_only(
    serializers.Serializer.to_internal_value)


IDEMPOTENCY_HEADER = "Idempotency-Key"


def data_with_idempotency_key(request):
    """``request.data`` with the ``Idempotency-Key`` header as its ``idempotency_key`` (API.md:
    the key travels in the body or in the header; both present and different is a 400 naming
    idempotencyKey). Views whose body takes an idempotency key read their data through this."""
    header = request.headers.get(IDEMPOTENCY_HEADER)
    if header is None or not hasattr(request.data, "copy") or isinstance(request.data, list):
        return request.data  # not an object: the serializer refuses the body itself
    problem = string_problem(header)
    if problem:
        raise ApplicationError(f"The {IDEMPOTENCY_HEADER} header {problem}", field="idempotencyKey")
    data = request.data.copy()
    if "idempotency_key" in data and data["idempotency_key"] != header:
        raise ApplicationError(f"The {IDEMPOTENCY_HEADER} header and idempotencyKey differ",
                               field="idempotencyKey")
    data["idempotency_key"] = header
    return data
