"""Downloading a version's files, for the pages and the API alike.

A stored file is streamed in chunks after `file_verified_chunks` has checked the whole stored
file against its sha256: a corrupted file is refused with a server error (500, logged), never
served. The response carries the sha256 as `X-Checksum-Sha256` and as a strong ETag, its size
as Content-Length and its name in Content-Disposition; `If-None-Match` with that ETag gives a
304. Every GET that serves bytes counts one download of the file, its version and its model.

`README.md` is the version's live card (`card_markdown`) unless the version stores one; a label
classifier's `steward_label_classifier.py` is the standalone loader `export_model` writes beside
it (numpy, safetensors, scikit-learn, sentence-transformers; no Steward): with config.json and
model.safetensors, what a contributor needs to get the classifier's labels.
"""

from __future__ import annotations

import hashlib
import logging
from itertools import chain

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from models_hub.cards import card_markdown
from models_hub.export.folder import LOADER_FILE, loader_source
from models_hub.models import ModelKind, ModelVersion
from models_hub.registry.files import ArtifactError, blob_verify, file_verified_chunks
from models_hub.registry.versions import download_count
from models_hub.selectors import hub as selectors
from models_hub.views.hub.lookup import version_or_404

logger = logging.getLogger(__name__)
CARD_FILE = "README.md"


def _file_headers(response: HttpResponseBase, *, path: str, sha256: str, size: int) -> None:
    response["X-Checksum-Sha256"] = sha256
    response["ETag"] = f'"{sha256}"'
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, path)
    response["X-Content-Type-Options"] = "nosniff"


def _not_modified(request: HttpRequest, sha256: str) -> bool:
    tags = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (f'"{sha256}"', f'W/"{sha256}"', "*") for tag in tags.split(","))


def serves_loader(version: ModelVersion) -> bool:
    """Whether the version's files include the generated loader (label classifiers' do)."""
    return version.model.kind == ModelKind.LABEL_CLASSIFIER


def _generated_response(
    request: HttpRequest, *, path: str, body: bytes, content_type: str
) -> HttpResponseBase:
    sha256 = hashlib.sha256(body).hexdigest()
    if _not_modified(request, sha256):
        response = HttpResponseNotModified()
        response["ETag"] = f'"{sha256}"'
        return response
    response = HttpResponse(body if request.method == "GET" else b"", content_type=content_type)
    _file_headers(response, path=path, sha256=sha256, size=len(body))
    return response


def download_response(
    request: HttpRequest, *, version: ModelVersion, path: str
) -> HttpResponseBase:
    """The file's bytes as a response. Raises Http404 when the version has no such file and
    ArtifactError when the stored bytes do not match their sha256."""
    stored = selectors.version_file_get(version=version, path=path)
    if stored is None:
        if path == CARD_FILE:
            body = card_markdown(version).encode("utf-8")
            return _generated_response(
                request, path=path, body=body, content_type="text/markdown; charset=utf-8"
            )
        if path == LOADER_FILE and serves_loader(version):
            body = loader_source().encode("utf-8")
            return _generated_response(
                request, path=path, body=body, content_type="text/x-python; charset=utf-8"
            )
        raise Http404("No such file")
    if _not_modified(request, stored.sha256):
        response = HttpResponseNotModified()
        response["ETag"] = f'"{stored.sha256}"'
        return response
    if request.method == "HEAD":
        blob_verify(key=stored.storage_key, sha256=stored.sha256)
        response = HttpResponse(b"", content_type=stored.content_type)
    else:
        chunks = file_verified_chunks(key=stored.storage_key, sha256=stored.sha256)
        first = next(chunks, b"")  # checks the whole stored file before a byte is sent
        download_count(model_file=stored)
        response = StreamingHttpResponse(chain([first], chunks), content_type=stored.content_type)
    _file_headers(response, path=stored.path, sha256=stored.sha256, size=stored.size)
    return response


def refusal_logged(version: ModelVersion, path: str, error: ArtifactError) -> str:
    logger.error("refused to serve %s %s: %s", version, path, error)
    return (
        f"{path} of {version.model.name} v{version.version} is damaged in storage (its bytes "
        "no longer match its sha256), so it is not served; the error is logged for the "
        "maintainers."
    )


@require_safe
def file_download(request: HttpRequest, name: str, number: int, path: str) -> HttpResponseBase:
    version = version_or_404(request, name, number)
    try:
        return download_response(request, version=version, path=path)
    except ArtifactError as error:
        message = refusal_logged(version, path, error)
        return HttpResponse(message, status=500, content_type="text/plain; charset=utf-8")
