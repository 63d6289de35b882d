"""The pages anyone can read before signing up (issue 19): how it works, fees, the risk warning,
terms, privacy, FAQ and the public performance page; favicon.ico and robots.txt."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from loans.models import ORIGINATION_FEE_RATES
from loans.performance import platform_performance

STATIC_PAGES = {
    "how_it_works": ("pages/how_it_works.html", "How CommunityLend works"),
    "fees": ("pages/fees.html", "Fees"),
    "risk": ("pages/risk.html", "Risk warning"),
    "terms": ("pages/terms.html", "Terms of use"),
    "privacy": ("pages/privacy.html", "Privacy notice"),
    "faq": ("pages/faq.html", "Frequently asked questions"),
}


def static_page(request, name: str):
    template, title = STATIC_PAGES[name]
    return render(request, template, {
        "page_title": title,
        "fee_rates": [(grade, rate * 100) for grade, rate in ORIGINATION_FEE_RATES.items()]})


def performance(request):
    return render(request, "pages/performance.html", {"performance": platform_performance()})


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("No favicon")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    for private in ("/admin/", "/api/", "/accounts/", "/wallet/", "/profile/", "/my/",
                    "/portfolio/", "/notifications/"):
        lines.append(f"Disallow: {private}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
