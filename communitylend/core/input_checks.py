"""Unicode tricks refused at the door, for the API (parsers) and the web forms (middleware).

A string may not carry control characters (other than tab and newlines) or invisible format
characters: NUL (PostgreSQL refuses it), bidi overrides that make "exe.pdf" read as "fdp.exe",
zero-width spaces that make two emails or names look alike. A number written with non-ASCII
digits ("１００", "١٠٠") is refused too: amounts are audited as typed. Passwords are exempt: they
are never shown and may be anything.
"""

import unicodedata

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel

ALLOWED_CONTROLS = {"\t", "\n", "\r"}
BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def string_problem(value: str) -> str | None:
    for char in value:
        if char in ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in BAD_CATEGORIES:
            name = unicodedata.name(char, "control character")
            return (f"contains an invisible or control character (U+{ord(char):04X} "
                    f"{name.lower()}); remove it")
    if _number_like(value) and any(c.isdigit() and not c.isascii() for c in value):
        return "write numbers with the digits 0-9"
    return None


def _number_like(value: str) -> bool:
    """Digits (any script's, superscripts too: "²".isdigit()) with signs and separators only."""
    stripped = value.strip()
    return bool(stripped) and all(c.isdigit() or c in "+-.,  " for c in stripped) and any(
        c.isdigit() for c in stripped)


def camel(name: str) -> str:
    return camelize_re.sub(underscore_to_camel, name)


def _exempt(key: str) -> bool:
    return "password" in key.lower()


def find_problem(data, path: str = "") -> tuple[str, str] | None:
    """(field path, message) of the first bad string in parsed input, or None."""
    if isinstance(data, QueryDict):
        data = {key: data.getlist(key) for key in data}
    if isinstance(data, dict):
        for key, value in data.items():
            key = str(key)
            if _exempt(key):
                continue
            problem = string_problem(key)
            if problem:
                return path or key, f"a field name {problem}"
            found = find_problem(value, f"{path}.{key}" if path else key)
            if found:
                return found
    elif isinstance(data, list | tuple):
        for item in data:
            found = find_problem(item, path)
            if found:
                return found
    elif isinstance(data, str):
        problem = string_problem(data)
        if problem:
            return path, problem
    return None


def file_name_problem(files) -> tuple[str, str] | None:
    for key, uploaded in files.items():
        problem = string_problem(getattr(uploaded, "name", "") or "")
        if problem:
            return key, f"the file name {problem}"
    return None


class RefuseTrickyInputMiddleware:
    """Query strings (pages and API) and web forms: a value carrying such a string is refused
    with a 400 naming the field: the page, or the API's JSON envelope. (The API's parsers check
    request bodies.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        found = find_problem(request.GET)
        if not found and request.method == "POST" and not api:
            found = find_problem(request.POST) or file_name_problem(request.FILES)
        if found:
            field, message = found
            if api:
                return JsonResponse({"success": False, "error": f"{field}: {message}",
                                     "field": camel(field)}, status=400)
            return render(request, "bad_input.html", {"field": field, "message": message},
                          status=400)
        return self.get_response(request)
