from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communitylend.core.errors import ApplicationError, NotFound
from communitylend.core.redirects import safe_next

from . import selectors, services
from .apis import document_file_response
from .flags import flag_enabled
from .forms import KycUploadForm, ProfileForm
from .models import FeatureFlag


def home(request):
    return render(request, "home.html")


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.profile_update(user=user, acting_user=user, data=changes)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Profile saved.")
                return redirect("profile")
        user.refresh_from_db()
    else:
        form = ProfileForm(instance=user)
    has_documents = selectors.kyc_documents_for(user=user).exists()
    return render(request, "accounts/profile.html", {
        "form": form, "profile": user, "has_documents": has_documents,
        # "Pending" means staff have something to review: before any document it is
        # "Not submitted".
        "verification_label": "Not submitted"
        if user.verification_status == "pending" and not has_documents
        else user.get_verification_status_display()},
        status=400 if form.errors else 200)


@login_required
def documents(request):
    form = KycUploadForm()
    if request.method == "POST":
        form = KycUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.kyc_document_upload(
                    user=request.user, uploaded_file=form.cleaned_data["file"],
                    document_type=form.cleaned_data["document_type"],
                )
            except ApplicationError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
            else:
                messages.success(request, "Document uploaded. Staff will review it.")
                return redirect("documents")
    return render(request, "accounts/documents.html", {
        "form": form,
        "documents": selectors.kyc_documents_for(user=request.user),
    }, status=400 if form.errors else 200)


@login_required
def document_download(request, document_id):
    document = selectors.kyc_document_visible_to(user=request.user, document_id=document_id)
    if document is None:
        raise Http404("Document not found")
    try:
        return document_file_response(document)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_POST
def document_delete(request, document_id):
    document = selectors.kyc_document_visible_to(user=request.user, document_id=document_id)
    if document is None or document.owner_id != request.user.pk:
        raise Http404("Document not found")
    try:
        services.kyc_document_delete(user=request.user, document=document)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Document deleted.")
    return redirect("documents")


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request, notification_id=None):
    try:
        services.notification_mark_read(user=request.user, notification_id=notification_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    return redirect(safe_next(request, reverse("notifications")))


@login_required
def borrower_dashboard(request):
    return render(request, "accounts/borrower_dashboard.html", {"profile": request.user})


@login_required
def lender_dashboard(request):
    return render(request, "accounts/lender_dashboard.html", {
        "profile": request.user, "matching_enabled": flag_enabled(FeatureFlag.AUTO_MATCHING)})
