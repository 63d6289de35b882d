"""The OpenAPI document: what drf-spectacular derives from the views, made exact for every
endpoint, present and future, without per-view code.

- ``ApiSchema`` (DEFAULT_SCHEMA_CLASS): operation ids from the view's class name and the method
  (``LoanAcceptApi.post`` -> ``loan_accept``, ``LoanDetailApi.patch`` -> ``update_loan``), one
  tag per resource (the first segment after ``/api/``), JSON request bodies (multipart only for
  views that take nothing else), and decimal inputs whose schema says what DecimalInput accepts.
- ``finish_document`` (the last postprocessing hook): path parameters named as in their paths
  (the camelCase hook renames them), the error envelope on every 4xx and 503 with its headers
  (``Retry-After`` on 429 and 503, ``WWW-Authenticate`` on 401), the ``Idempotency-Key`` header
  wherever the body takes an ``idempotencyKey``, and an example for every request body.

README, "Adding an endpoint", says what a new view declares so the contract tests keep passing.
"""

import copy
import re
from decimal import Decimal

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from communitylend.core.api import KeyedDictField, camel

_SUFFIX = re.compile(r"(APIView|ApiView|ViewSet|Api|View)$")
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_VERBS = {"get": "get", "post": "create", "put": "replace", "patch": "update", "delete": "delete"}
_HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def snake_name(view_class_name: str) -> str:
    """``LoanAcceptApi`` -> ``loan_accept``; ``KycDocumentListApi`` -> ``kyc_document_list``."""
    return _WORD.sub("_", _SUFFIX.sub("", view_class_name)).lower()


def operation_id(view_class_name: str, method: str, methods: set[str]) -> str:
    """Reads as a method name. A view with one POST names the action itself (``loan_accept``,
    ``register``); reads start with ``get_``; other methods, or a POST beside other methods, start
    with their verb (``update_loan``, ``delete_bid``, ``create_kyc_document``)."""
    name = snake_name(view_class_name)
    method = method.lower()
    if method == "post" and methods == {"post"}:
        return name
    if name.endswith("_detail"):
        name = name[: -len("_detail")]
    elif name.endswith("_list") and method != "get":
        name = name[: -len("_list")]
    return f"{_VERBS.get(method, method)}_{name}"


class ApiSchema(AutoSchema):
    def get_operation_id(self):
        methods = {m.lower() for m in self.view.allowed_methods} & set(_HTTP_METHODS)
        return operation_id(type(self.view).__name__, self.method, methods)

    def get_tags(self):
        segments = [s for s in self.path.split("/") if s and not s.startswith("{")]
        if segments[:1] == ["api"]:
            segments = segments[1:]
        return [segments[0] if segments else "api"]

    def map_parsers(self):
        """JSON bodies; multipart (or form) only where the view reads no JSON (uploads)."""
        media = super().map_parsers()
        if "application/json" in media:
            return ["application/json"]
        return [m for m in media if m == "multipart/form-data"] or media

    def _get_request_for_media_type(self, serializer, direction="request"):
        """PATCH bodies are partial (DRF's way: nothing required) unless the view says
        ``patch_partial = False`` (its PATCH validates the whole serializer)."""
        if self.method == "PATCH" and getattr(self.view, "patch_partial", True) is False:
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, KeyedDictField):
            child = self._map_serializer_field(field.child, direction)
            return {"type": "object", "additionalProperties": False,
                    "properties": {key: copy.deepcopy(child) for key in field.keys}}
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, serializers.DecimalField):
            return decimal_input_schema(field, schema)
        return schema


def _bound(value) -> float | None:
    return None if value is None else float(Decimal(str(value)))


def decimal_input_schema(field: serializers.DecimalField, schema: dict) -> dict:
    """A decimal input as text that core.api.DecimalInput accepts: digits 0-9, at most
    ``decimal_places`` decimals, within the field's bounds (the pattern spells the range out,
    since JSON Schema bounds only numbers); also as ``x-minimum``/``x-maximum`` for readers."""
    places = field.decimal_places or 0
    whole = (field.max_digits - places) if field.max_digits is not None else None
    top = Decimal(10) ** whole - Decimal(1).scaleb(-places) if whole is not None else None
    low = Decimal(str(field.min_value)) if field.min_value is not None else None
    high = Decimal(str(field.max_value)) if field.max_value is not None else None
    if top is not None:
        high = top if high is None else min(high, top)
        low = -top if low is None else max(low, -top)
    out = {key: value for key, value in schema.items() if key not in ("pattern", "minimum", "maximum")}
    out.update(type="string", format="decimal")
    number = {"type": "number", "multipleOf": float(Decimal(1).scaleb(-places))}
    if low is not None and high is not None:
        out["pattern"] = decimal_range_pattern(low, high, places)
        out["x-minimum"], out["x-maximum"] = str(low), str(high)
        number.update(minimum=float(low), maximum=float(high))
    else:
        out["pattern"] = r"^-?[0-9]+" + (rf"(?:\.[0-9]{{1,{places}}}0*)?" if places else r"(?:\.0+)?") + "$"
    # API.md: numbers are read from JSON numbers too ("rate": 7.5), with the same limits.
    text = {key: out.pop(key) for key in ("type", "format", "pattern")}
    example = min(max(Decimal(100), low if low is not None else Decimal(100)),
                  high if high is not None else Decimal(100))
    out["example"] = str(example.quantize(Decimal(1).scaleb(-places)))
    return {**out, "anyOf": [text, number]}


def _digits_between(low: str, high: str) -> str:
    """A regex for the fixed-width digit strings from ``low`` to ``high`` (same length)."""
    if not low:
        return ""
    if low[0] == high[0]:
        return low[0] + _digits_between(low[1:], high[1:])
    rest = len(low) - 1
    if low[1:] == "0" * rest and high[1:] == "9" * rest:
        head = f"[{low[0]}-{high[0]}]" if low[0] != high[0] else low[0]
        return head + (rf"[0-9]{{{rest}}}" if rest else "")  # \d is any script's digit
    parts = [low[0] + _group(_digits_between(low[1:], "9" * rest))]
    if int(high[0]) - int(low[0]) > 1:
        middle = f"[{int(low[0]) + 1}-{int(high[0]) - 1}]"
        parts.append(middle + (rf"[0-9]{{{rest}}}" if rest else ""))
    parts.append(high[0] + _group(_digits_between("0" * rest, high[1:])))
    return "(?:" + "|".join(parts) + ")"


def _group(regex: str) -> str:
    return f"(?:{regex})" if "|" in regex and not regex.startswith("(?:") else regex


def _whole_between(low: int, high: int) -> list[str]:
    """Regexes for the whole numbers low..high written without leading zeros."""
    parts = []
    if low <= 0 <= high:
        parts.append("0")
        low = 1
    width = len(str(low))
    while low <= high:
        end = min(high, 10 ** width - 1)
        parts.append(_digits_between(str(low), str(end)))
        low, width = end + 1, width + 1
    return parts


def _fraction_between(low: int, high: int, places: int) -> list[str]:
    """Regexes for 1..places fraction digits whose value, padded to ``places``, is low..high."""
    parts = []
    for width in range(1, places + 1):
        scale = 10 ** (places - width)
        first, last = -(-low // scale), high // scale
        if first <= last:
            parts.append(_digits_between(str(first).zfill(width), str(last).zfill(width)))
    return parts


def _either(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _non_negative_range(low: Decimal, high: Decimal, places: int) -> list[str]:
    """Text for the numbers low..high (0 <= low <= high), with up to ``places`` decimals."""
    unit = 10 ** places
    low_units, high_units = int(low * unit), int(high * unit)
    low_whole, low_part = divmod(low_units, unit)
    high_whole, high_part = divmod(high_units, unit)
    fraction = (lambda a, b: _either(_fraction_between(a, b, places))) if places else None
    options = []

    def whole_with(wholes: list[str], a: int, b: int, optional: bool):
        # Leading zeros and zeros after the last decimal change nothing ("007.500" is 7.5).
        whole = "0*" + _group(_either(wholes))
        if not places:
            options.append(f"{whole}(?:\\.0+)?")
        elif optional:
            options.append(f"{whole}(?:\\.{_group(fraction(a, b))}0*)?")
        else:
            options.append(f"{whole}\\.{_group(fraction(a, b))}0*")

    if low_whole == high_whole:
        whole_with([str(low_whole)], low_part, high_part, optional=low_part == 0)
        return options
    whole_with([str(low_whole)], low_part, unit - 1, optional=low_part == 0)
    if high_whole - low_whole > 1 and _whole_between(low_whole + 1, high_whole - 1):
        whole_with(_whole_between(low_whole + 1, high_whole - 1), 0, unit - 1, optional=True)
    whole_with([str(high_whole)], 0, high_part, optional=True)
    return options


def decimal_range_pattern(low: Decimal, high: Decimal, places: int) -> str:
    """An anchored regex for the decimal texts from ``low`` to ``high`` with at most ``places``
    decimals, written as core.money.parse_decimal reads them ("-" for negatives, no "+", no
    exponent, digits 0-9 only)."""
    quantum = Decimal(1).scaleb(-places)
    low = low.quantize(quantum, rounding="ROUND_CEILING")
    high = high.quantize(quantum, rounding="ROUND_FLOOR")
    options = []
    if high >= 0:
        options += _non_negative_range(max(low, Decimal(0)), high, places)
    if low <= 0 <= high:
        options.append(r"-0*0(?:\.0+)?")  # "-0" and "-0.00" are zero
    if low < 0:
        negative = _non_negative_range(max(-high, quantum) if high < 0 else quantum, -low, places)
        options += ["-" + _group(option) for option in negative]
    return "^" + _either(options) + "$"


# --- the postprocessing hook ------------------------------------------------------------------

ERROR_RESPONSES = {
    "400": "Invalid input or a refused action (the envelope names the field at fault)",
    "401": "Not logged in, or wrong credentials",
    "403": "Logged in but not allowed",
    "404": "Not found, or someone else's private object",
    "429": "Throttled: too many requests; retry after Retry-After seconds",
    "503": "The database is briefly unavailable; retry after Retry-After seconds",
}
ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every API error: {"success": false, "error": "<message>", "field"?: "<name>"}',
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "error": {"type": "string"},
        "field": {"type": "string", "description": "the camelCase name of the input at fault"},
        "errors": {"description": "every field's messages, for invalid input"},
        "mfaRequired": {"type": "boolean"},
    },
    "required": ["success", "error"],
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying",
                               "schema": {"type": "integer", "minimum": 0}}}
HEADERS = {
    "401": {"WWW-Authenticate": {"description": "the scheme to authenticate with",
                                 "schema": {"type": "string"}}},
    "429": RETRY_AFTER,
    "503": RETRY_AFTER,
}
IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "The same as the body's idempotencyKey (send either, or both equal): the same "
                   "key again answers with the original result and nothing happens twice.",
}
_TEMPLATE = re.compile(r"{(\w+)}")


def _resolve(schema: dict, components: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema if isinstance(schema, dict) else {}


def _name_path_parameters(path: str, operation: dict) -> None:
    names = _TEMPLATE.findall(path)
    by_camel = {camel(name): name for name in names}
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter["name"] not in names:
            parameter["name"] = by_camel.get(parameter["name"], parameter["name"])


def _add_error_responses(operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    for code, description in ERROR_RESPONSES.items():
        response = responses.setdefault(code, {"description": description})
        response.setdefault("content",
                            {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}})
        if code in HEADERS:
            response.setdefault("headers", {}).update(copy.deepcopy(HEADERS[code]))


def _json_body_schema(operation: dict, components: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            return _resolve(content[media].get("schema", {}), components)
    return {}


def _add_idempotency_header(operation: dict, components: dict) -> None:
    body = _json_body_schema(operation, components)
    key = body.get("properties", {}).get("idempotencyKey")
    if key is None:
        return
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("in") == "header" and p["name"].lower() == "idempotency-key" for p in parameters):
        header = dict(IDEMPOTENCY_HEADER)
        header["schema"] = {k: v for k, v in _resolve(key, components).items()
                            if k in ("type", "minLength", "maxLength", "pattern", "format")}
        parameters.append(header)


# Example values for names that mean something to the server; the rest come from the schema.
NAMED_EXAMPLES = {
    "email": "lender@example.com", "password": "a long passphrase 42", "phone": "+15555550123",
    "dateOfBirth": "1990-05-17",
    "zipCode": "94110", "state": "CA", "city": "San Francisco", "street": "1 Market St",
}


def example_for(schema: dict, components: dict, name: str = "", depth: int = 0):
    schema = _resolve(schema, components)
    if depth > 6:
        return None
    if "example" in schema:
        return schema["example"]
    if name in NAMED_EXAMPLES:
        return NAMED_EXAMPLES[name]
    for combined in ("allOf", "oneOf", "anyOf"):
        if schema.get(combined):
            return example_for(schema[combined][0], components, name, depth + 1)
    if "enum" in schema:
        return next((value for value in schema["enum"] if value not in (None, "")), None)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {key: example_for(value, components, key, depth + 1)
                for key, value in schema.get("properties", {}).items()
                if not _resolve(value, components).get("readOnly")}
    if kind == "array":
        return [example_for(schema.get("items", {}), components, name, depth + 1)]
    if kind in ("integer", "number"):
        return min(max(1, schema.get("minimum", 1)), schema.get("maximum", 1))
    if kind == "boolean":
        return True
    if schema.get("format") == "decimal":
        return "100.00"
    if schema.get("format") == "date":
        return "2030-01-15"
    if schema.get("format") == "date-time":
        return "2030-01-15T12:00:00Z"
    if schema.get("format") == "email":
        return "lender@example.com"
    if schema.get("format") == "uuid":
        return "7c1e4a9e-2f4b-4b0c-9d51-2f3a8c6d1b10"
    if schema.get("format") == "binary":
        return "(file contents)"
    text = "example"
    return text.ljust(schema.get("minLength", 0), "x")[: schema.get("maxLength", len(text))]


PLAIN_TEXT = "plain-text"
PLAIN_TEXT_NOTE = ("Text without control characters (tab and newlines aside) or invisible "
                   "format characters (core.input_checks); numbers in it with the digits 0-9.")


def _mark_plain_text(schema: dict, components: dict, name: str = "", seen=None) -> None:
    """Every text input the server checks with core.input_checks (all but passwords, which may
    be anything) says so with the ``plain-text`` format; tools that do not know the format read
    it as a string."""
    seen = seen if seen is not None else set()
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        if ref not in seen:
            seen.add(ref)
            _mark_plain_text(components.get(ref, {}), components, name, seen)
        return
    if "password" in name.lower():
        return
    if schema.get("type") == "string" and not ({"enum", "format", "pattern"} & schema.keys()):
        schema["format"] = PLAIN_TEXT
    for key, value in schema.get("properties", {}).items():
        _mark_plain_text(value, components, key, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _mark_plain_text(schema[key], components, name, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for option in schema.get(key, []):
            _mark_plain_text(option, components, name, seen)


def _mark_plain_text_inputs(operation: dict, components: dict, seen: set) -> None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and not parameter.get("required"):
            parameter["allowEmptyValue"] = True  # DRF reads ?name= as the field not given
        _mark_plain_text(parameter.get("schema", {}), components, parameter["name"], seen)
    for media in operation.get("requestBody", {}).get("content", {}).values():
        _mark_plain_text(media.get("schema", {}), components, "", seen)


def _close_objects(schema: dict, components: dict, seen: set) -> None:
    """Request objects take only their own properties (core.api refuses unknown fields of a JSON
    body); maps such as gradeLimits keep their additionalProperties."""
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        if ref not in seen and ref.endswith("Request"):  # COMPONENT_SPLIT_REQUEST's request twins
            seen.add(ref)
            _close_objects(components.get(ref, {}), components, seen)
        return
    if "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    for value in schema.get("properties", {}).values():
        _close_objects(value, components, seen)
    if isinstance(schema.get("items"), dict):
        _close_objects(schema["items"], components, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for option in schema.get(key, []):
            _close_objects(option, components, seen)


def _add_request_example(operation: dict, components: dict) -> None:
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "example" not in media and "examples" not in media:
            example = example_for(media.get("schema", {}), components)
            if isinstance(example, dict) and "idempotencyKey" in example:  # one per operation
                example["idempotencyKey"] = f"{operation['operationId']}-example-1"
            media["example"] = example


def finish_document(result, generator, request, public):
    """drf-spectacular hook, after the camelCase one: see the module's docstring."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = copy.deepcopy(ERROR_SCHEMA)
    seen: set = set()
    closed: set = set()
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in _HTTP_METHODS:
                continue
            _name_path_parameters(path, operation)
            _add_error_responses(operation)
            _add_idempotency_header(operation, schemas)
            _mark_plain_text_inputs(operation, schemas, seen)
            media = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if media:
                _close_objects(media.get("schema", {}), schemas, closed)
            _add_request_example(operation, schemas)
    return result
