"""A maintainer uploads a version: model.safetensors with an optional config.json and README.md.

The files go through `model_version_register` like any trained version, so what it refuses (a
pickle, a PyTorch zip, a truncated safetensors file, JSON that does not parse) is refused here
with its message, and nothing is registered. The version records `trained_via=upload` and who
uploaded it; its metrics are what the uploader states (none: the card says it is unevaluated).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from models_hub.forms_hub import VersionUploadForm
from models_hub.models import RegisteredModel, TrainedVia
from models_hub.registry.files import ArtifactError
from models_hub.registry.versions import WEIGHTS, Lineage, model_version_register
from models_hub.views.access import maintainer_required
from models_hub.views.hub.lookup import maintained_model_or_404

# Form field → the name the file is stored under, whatever the uploaded file was called.
FILE_NAMES = {"weights": WEIGHTS, "config": "config.json", "readme": "README.md"}


def _register(request: HttpRequest, model: RegisteredModel, form: VersionUploadForm):
    with tempfile.TemporaryDirectory(prefix="steward-upload-") as folder:
        files = {}
        for field, stored_name in FILE_NAMES.items():
            upload = form.cleaned_data.get(field)
            if upload is None:
                continue
            path = Path(folder) / stored_name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            files[stored_name] = path
        lineage = Lineage(
            base_model_id=form.cleaned_data["base_model_id"],
            trained_by=request.user,
            trained_via=TrainedVia.UPLOAD,
        )
        metadata = {
            "uploaded_by": request.user.get_username(),
            "uploaded_names": {
                FILE_NAMES[field]: form.cleaned_data[field].name
                for field in FILE_NAMES
                if form.cleaned_data.get(field) is not None
            },
        }
        return model_version_register(
            model=model,
            files=files,
            lineage=lineage,
            metrics=form.cleaned_data["metrics"],
            metadata=metadata,
        )


@require_http_methods(["GET", "HEAD", "POST"])
@maintainer_required
def version_upload(request: HttpRequest, name: str) -> HttpResponse:
    model = maintained_model_or_404(request, name)
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version, created = _register(request, model, form)
            except ArtifactError as error:
                form.add_error(None, f"Nothing was registered: {error}")
            else:
                if created:
                    messages.success(request, f"Uploaded as v{version.version}.")
                else:
                    messages.info(
                        request, f"These weights already are v{version.version}; nothing added."
                    )
                return redirect(
                    "models_hub:version_detail", name=model.name, number=version.version
                )
        status = 400
    return render(
        request, "models_hub/hub/upload.html", {"model": model, "form": form}, status=status
    )
