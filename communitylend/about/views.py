from django.conf import settings
from django.shortcuts import render

from . import figures
from .slides import design_slides


def design(request):
    """The design presentation: docs/design.md's slides, then the live figures."""
    return render(request, "about/design.html", {
        "slides": design_slides(settings.BASE_DIR / "docs" / "design.md"),
        "volume": figures.volume(),
        "bots": figures.bots(),
        "model": figures.model(),
        "bench": figures.benchmarks(),
    })
