"""Benchmark: Steward's encoder against naive `SentenceTransformer.encode`, same texts, same run.

Texts: the NLBSE'24 training issues when the shared data sits beside the project, topped up with
generated demo issues to `--texts` unique texts (generated only, without the shared data). Every
text goes through Steward's preparation (`issue_text`) once, before timing; both sides then encode
exactly the same strings, in interleaved rounds so that a busy machine slows both alike.

Naive: a float32 `SentenceTransformer` on the same device, `encode(texts, batch_size=32)`.
Steward: `load_encoder()` (token-sorted token-budget batches, dedup; half precision on CUDA; on
CPU the lean BERT forward, bfloat16 where the CPU has it, batches in parallel threads); `path`
says which one ran (`--steward-path sentence-transformers` measures the plain one).
Both sides use the same number of torch threads (`threads`). The last line is JSON:
{"bench": "embed", "texts": N, "device": …, "path": …, "naive_sentences_per_s": …,
 "steward_sentences_per_s": …, "speedup": …, "min_cosine": …, "mean_cosine": …}

    python bench/embed.py [--texts 2000] [--rounds 4] [--threads N] [--steward-path fast]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NLBSE_CSV = ROOT.parent / "shared" / "data" / "nlbse2024" / "issues_train.csv"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def nlbse_issues() -> list[tuple[str, str]]:
    if not NLBSE_CSV.is_file():
        return []
    csv.field_size_limit(sys.maxsize)
    with NLBSE_CSV.open(newline="", encoding="utf-8") as handle:
        return [(row["title"], row["body"]) for row in csv.DictReader(handle)]


def demo_issues(count: int, seed: int = 7) -> list[tuple[str, str]]:
    from demo.generator.repos import BUG, DOCS, FEATURE, QUESTION
    from demo.generator.texts import issue_text as demo_text

    rng = random.Random(seed)
    components = ("table", "grid", "theme loader", "renderer", "cli", "layout engine", "markdown")
    out = []
    for _ in range(count):
        text = demo_text(
            rng,
            category=rng.choice((BUG, FEATURE, QUESTION, DOCS)),
            component=rng.choice(components),
            version=f"{rng.randint(1, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        )
        out.append((text.title, text.body))
    return out


def bench_texts(count: int) -> tuple[list[str], str]:
    from models_hub.embeddings.text import issue_text

    real = nlbse_issues()
    texts = list(dict.fromkeys(issue_text(title=t, body=b) for t, b in real))[:count]
    source = "nlbse2024" if texts else "demo"
    seen = set(texts)
    for title, body in demo_issues(count * 4):
        if len(texts) >= count:
            break
        text = issue_text(title=title, body=body)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    if real and len(texts) > len(real):
        source = "nlbse2024+demo"
    return texts, source


def timed(function, texts: list[str]):
    start = time.perf_counter()
    vectors = function(texts)
    return vectors, time.perf_counter() - start


def run(texts: list[str], rounds: int, *, fast: bool) -> dict:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from models_hub.embeddings.encoder import _bundled_model_path, auto_device, load_encoder

    device = auto_device()
    steward = load_encoder(device=device, fast=fast)
    naive = SentenceTransformer(str(_bundled_model_path()), device=device)

    def encode_naive(chunk: list[str]):
        return naive.encode(
            chunk, batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )

    for warmup in (encode_naive, steward.encode):
        warmup(texts[:16])
    size = -(-len(texts) // rounds)
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    naive_seconds = steward_seconds = 0.0
    naive_parts, steward_parts = [], []
    for number, chunk in enumerate(chunks):
        # Alternate who goes first, so that load from other processes hits both sides alike.
        order = ("naive", "steward") if number % 2 == 0 else ("steward", "naive")
        for side in order:
            if side == "naive":
                vectors, seconds = timed(encode_naive, chunk)
                naive_parts.append(vectors)
                naive_seconds += seconds
            else:
                vectors, seconds = timed(steward.encode, chunk)
                steward_parts.append(vectors)
                steward_seconds += seconds
    reference, ours = np.concatenate(naive_parts), np.concatenate(steward_parts)
    cosine = (reference * ours).sum(axis=1) / (
        np.linalg.norm(reference, axis=1) * np.linalg.norm(ours, axis=1)
    )
    tokens = naive.tokenizer(texts, truncation=True, max_length=steward.max_tokens)["input_ids"]
    return {
        "device": device,
        "path": steward.path,
        "threads": torch.get_num_threads(),
        "mean_tokens": round(float(np.mean([len(ids) for ids in tokens])), 1),
        "naive_sentences_per_s": round(len(texts) / naive_seconds, 1),
        "steward_sentences_per_s": round(len(texts) / steward_seconds, 1),
        "speedup": round(naive_seconds / steward_seconds, 3),
        "min_cosine": round(float(cosine.min()), 6),
        "mean_cosine": round(float(cosine.mean()), 6),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4, help="interleaved timing rounds")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = default)")
    parser.add_argument(
        "--steward-path",
        choices=("fast", "sentence-transformers"),
        default="fast",
        help="on CPU: the lean forward (default) or the plain sentence-transformers model",
    )
    args = parser.parse_args()
    setup_django()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    texts, source = bench_texts(args.texts)
    result = {"bench": "embed", "texts": len(texts), "source": source, "model": "all-MiniLM-L6-v2"}
    fast = args.steward_path == "fast"
    result.update(run(texts, max(1, args.rounds), fast=fast))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
