"""Shared API plumbing: the error envelope and pagination."""

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from communitylend.core.errors import ApplicationError
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


ERROR_RESPONSES = {
    "400": "Invalid input or a refused action",
    "401": "Not logged in, or wrong credentials",
    "403": "Logged in but not allowed",
    "404": "Not found, or someone else's private object",
    "429": "Throttled: too many requests",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation documents the error envelope for its 4xx answers,
    so clients (and the schema fuzzing tests) know the shape of every response."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "success": {"type": "boolean", "enum": [False]},
            "error": {"type": "string"},
            "field": {"type": "string"},
            "errors": {},
            "mfaRequired": {"type": "boolean"},
        },
        "required": ["success", "error"],
    }
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result


class IntegerInput(serializers.IntegerField):
    """Whole numbers read by core.money.parse_whole_number ("²", "1e2", "+5", "5.0" refused),
    within what the database holds unless the field says less."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("min_value", -MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        try:
            data = parse_whole_number(data)
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


# Serializers built from models read numbers the same way.
serializers.ModelSerializer.serializer_field_mapping.update({
    models.DecimalField: DecimalInput, models.IntegerField: IntegerInput,
    models.PositiveSmallIntegerField: IntegerInput, models.PositiveIntegerField: IntegerInput,
    models.SmallIntegerField: IntegerInput, models.BigIntegerField: IntegerInput,
})
