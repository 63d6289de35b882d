from pathlib import Path

from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .models import ModelVersion
from .services import _resolve


@staff_member_required
def model_card(request, version_id):
    version = get_object_or_404(ModelVersion, pk=version_id)
    path = _resolve(version.card_path) if version.card_path else None
    text = path.read_text() if path and path.exists() else None
    images = sorted(p.name for p in path.parent.glob("*.png")) if path and path.exists() else []
    return render(request, "risk/model_card.html", {"version": version, "card": text,
                                                    "images": images})


@staff_member_required
def model_card_image(request, version_id, name):
    version = get_object_or_404(ModelVersion, pk=version_id)
    if not version.card_path or "/" in name or not name.endswith(".png"):
        raise Http404
    path = _resolve(version.card_path).parent / Path(name).name
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
