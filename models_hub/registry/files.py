"""The files of model versions: checked, content-addressed in the "models" Django storage.

A file is stored once as `sha256/<first two hex digits>/<sha256>` whatever its name, and never
overwritten: the same bytes land at the same key, so versions share files. Before a file is
stored it must be what its name claims:

- weights are safetensors only (`*.safetensors`): an 8-byte little-endian header length, a JSON
  header whose tensors' byte ranges end exactly at the end of the file (a truncated download
  fails here). Pickles, PyTorch checkpoints (zip) and any other weights format are refused,
  since loading a pickle runs code;
- `*.json` is one JSON object or array; `*.md`, `*.txt`, `*.csv` are UTF-8 text without NUL bytes.

Reading a stored file back checks its sha256 first (`file_verified_chunks`): a corrupted file
is refused, never served or loaded. Importable in the web process (no torch, no safetensors).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages

CHUNK = 1 << 20
# A safetensors header is JSON; anything claiming more than this is not one of ours.
MAX_HEADER_BYTES = 100 * 1024 * 1024
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
CONTENT_TYPES = {
    ".safetensors": "application/octet-stream",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}
PICKLE_SUFFIXES = {".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib", ".h5", ".npy"}


class ArtifactError(ValueError):
    """A file is not what its name claims, or a stored file does not match its sha256."""


def model_storage() -> Storage:
    return storages["models"]


def blob_key(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256}"


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def file_check(*, name: str, path: Path) -> None:
    """Raise ArtifactError, saying why, unless the file at `path` is what `name` claims."""
    if not FILE_NAME.match(name) or ".." in name:
        raise ArtifactError(f"{name!r} is not an allowed file name (letters, digits, . _ -)")
    suffix = Path(name).suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        raise ArtifactError(
            f"{name}: only safetensors weights are accepted ({suffix} files may be pickles, "
            "which run code when loaded); convert them with safetensors first"
        )
    if suffix == ".safetensors":
        safetensors_check(path, name=name)
    elif suffix == ".json":
        _json_check(path, name)
    elif suffix in (".md", ".txt", ".csv"):
        _text_check(path, name)
    else:
        raise ArtifactError(f"{name}: unsupported file type (safetensors, json, md, txt or csv)")


def safetensors_check(path: Path, *, name: str | None = None) -> None:
    """Raise ArtifactError unless `path` is a whole safetensors file."""
    name = name or Path(path).name
    size = Path(path).stat().st_size
    with Path(path).open("rb") as handle:
        prefix = handle.read(8)
        length = int.from_bytes(prefix, "little") if len(prefix) == 8 else -1
        header = None
        if 2 <= length <= min(size - 8, MAX_HEADER_BYTES):
            try:
                header = json.loads(handle.read(length))
            except (UnicodeDecodeError, json.JSONDecodeError):
                header = None
    if not isinstance(header, dict):
        # Not safetensors; say what it looks like (a pickle's first byte is its PROTO opcode).
        if prefix[:1] == b"\x80" and prefix[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
            raise ArtifactError(f"{name} is a pickle, not a safetensors file")
        if prefix[:4] == b"PK\x03\x04":
            raise ArtifactError(f"{name} is a zip archive (PyTorch checkpoint), not safetensors")
        raise ArtifactError(f"{name} is not a safetensors file (no safetensors header)")
    ends = [
        entry["data_offsets"][1]
        for key, entry in header.items()
        if key != "__metadata__" and isinstance(entry, dict) and "data_offsets" in entry
    ]
    data_size = size - 8 - length
    if max(ends, default=0) != data_size:
        raise ArtifactError(
            f"{name} is truncated or padded: its tensors need {max(ends, default=0)} bytes of "
            f"data, the file has {data_size}"
        )


def _json_check(path: Path, name: str) -> None:
    try:
        value = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"{name} is not valid JSON: {error}") from error
    if not isinstance(value, dict | list):
        raise ArtifactError(f"{name} must hold a JSON object or array")


def _text_check(path: Path, name: str) -> None:
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArtifactError(f"{name} is not UTF-8 text") from error
    if "\x00" in text:
        raise ArtifactError(f"{name} contains NUL bytes: not a text file")


def blob_put(*, name: str, path: Path) -> tuple[str, int, str]:
    """Check the file, store its bytes once under their sha256; return (sha256, size, key)."""
    file_check(name=name, path=path)
    sha256 = file_sha256(path)
    storage = model_storage()
    key = blob_key(sha256)
    if not storage.exists(key):
        with Path(path).open("rb") as handle:
            # Two writers of the same bytes at once: the second may get a suffixed key, which
            # holds the same content; the returned key is the one to record.
            key = storage.save(key, File(handle, name=key))
    return sha256, Path(path).stat().st_size, key


def blob_put_bytes(*, name: str, content: bytes) -> tuple[str, int, str]:
    with tempfile.TemporaryDirectory(prefix="steward-blob-") as folder:
        path = Path(folder) / "blob"
        path.write_bytes(content)
        return blob_put(name=name, path=path)


def blob_verify(*, key: str, sha256: str) -> None:
    """Raise ArtifactError unless the stored bytes at `key` hash to `sha256`."""
    digest = hashlib.sha256()
    try:
        with model_storage().open(key, "rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
    except FileNotFoundError as error:
        raise ArtifactError(f"stored file {key} is missing") from error
    if digest.hexdigest() != sha256:
        raise ArtifactError(f"stored file {key} does not match its sha256: refusing to use it")


def file_verified_chunks(*, key: str, sha256: str) -> Iterator[bytes]:
    """The stored bytes, after checking the whole file against its sha256."""
    blob_verify(key=key, sha256=sha256)
    with model_storage().open(key, "rb") as handle:
        yield from iter(lambda: handle.read(CHUNK), b"")


def blob_copy_to(*, key: str, sha256: str, target: Path) -> Path:
    """Write the verified stored bytes to `target` (a local path); return it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for block in file_verified_chunks(key=key, sha256=sha256):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != sha256:  # changed between the check and the copy
        target.unlink(missing_ok=True)
        raise ArtifactError(f"stored file {key} changed while it was read")
    return target


def blob_local_path(*, key: str, sha256: str) -> Path:
    """A local path holding the verified bytes: the file itself on local storage, else a copy
    in a cache folder named by sha256 (remote storage such as S3)."""
    storage = model_storage()
    try:
        local = Path(storage.path(key))
    except NotImplementedError:
        cached = Path(tempfile.gettempdir()) / "steward-model-cache" / sha256
        if cached.exists() and file_sha256(cached) == sha256:
            return cached
        return blob_copy_to(key=key, sha256=sha256, target=cached)
    if file_sha256(local) != sha256:
        raise ArtifactError(f"stored file {key} does not match its sha256: refusing to use it")
    return local
