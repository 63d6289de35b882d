"""Where a form may send the user next: a path on this site, nothing else (no open redirect)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """``next`` from the POST (or the query string) if it is a path on this site, else
    ``default``. "//evil.example", "https://evil.example/..." and "/\\\\evil" are refused."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (target.startswith("/") and not target.startswith(("//", "/\\"))
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return default
