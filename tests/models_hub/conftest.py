"""Fixtures for the model hub: a fake encoder, the real MiniLM, a pgvector server."""

from __future__ import annotations

import hashlib
import logging
import os
import urllib.parse
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

# The real model runs on one thread in tests: the machines running the suite are shared.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class FakeEncoder:
    """Deterministic 8-d unit vectors from a text's hash; records what it was asked to encode."""

    model_id = "test/fake-encoder"
    device = "cpu"
    dimension = 8
    max_tokens = 256

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], **kwargs) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dimension)
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), self.dimension)

    @property
    def encoded(self) -> list[str]:
        return [text for call in self.calls for text in call]


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def use_encoder(monkeypatch):
    """`use_encoder(encoder)`: the encoder the workers and commands get from `get_encoder()` for
    the rest of the test (the one place tests swap it)."""
    from models_hub.embeddings import encoder as encoder_module

    def use(encoder):
        monkeypatch.setattr(encoder_module, "get_encoder", lambda **kwargs: encoder)
        return encoder

    return use


@pytest.fixture
def configured_fake(settings, fake_encoder, use_encoder) -> FakeEncoder:
    """The fake encoder as the configured embedding model, and as the workers' encoder."""
    settings.STEWARD_EMBEDDING_MODEL = fake_encoder.model_id
    return use_encoder(fake_encoder)


@pytest.fixture
def worker_encoder(real_encoder, use_encoder):
    """The real MiniLM as the workers' encoder (loaded once per session)."""
    return use_encoder(real_encoder)


@pytest.fixture(scope="session")
def real_encoder():
    """The bundled all-MiniLM-L6-v2 on CPU, loaded once for the session."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    from models_hub.embeddings.encoder import load_encoder

    torch.set_num_threads(1)
    return load_encoder(device="cpu")


@pytest.fixture(scope="session")
def pgvector_database_url(tmp_path_factory) -> Iterator[str]:
    """A throwaway PostgreSQL 16 with pgvector (the `pgserver` wheel), as a DATABASE_URL."""
    pgserver = pytest.importorskip("pgserver")
    # pgserver logs from an atexit hook, after pytest has closed the captured streams.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    server = pgserver.get_server(tmp_path_factory.mktemp("pgvector"), cleanup_mode="stop")
    server.psql("CREATE DATABASE steward_vectors;")
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(server.get_uri()).query)["host"][0]
    yield f"postgres://postgres@/steward_vectors?host={socket_dir}"
    server.cleanup()


@pytest.fixture
def model_store(settings, tmp_path):
    """A fresh model storage (the "models" Django storage, local files) per test."""
    settings.STEWARD_MODEL_STORE = tmp_path / "models"
    settings.STORAGES = {
        **settings.STORAGES,
        "models": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": str(settings.STEWARD_MODEL_STORE),
                "file_permissions_mode": 0o444,
            },
        },
    }
    return settings.STEWARD_MODEL_STORE


@pytest.fixture
def maintainer(django_user_model):
    """A maintainer: Steward's staff users triage."""
    return django_user_model.objects.create_user("maintainer", password="triage-pw", is_staff=True)


@pytest.fixture
def queue_scenario(db):
    """The triage queue of tests/models_hub/scenarios/queue.py."""
    from tests.models_hub.scenarios.queue import build_queue_scenario

    return build_queue_scenario()
