"""Fine-tuning the sentence model on one repository's labelled issues, on CPU.

The bottom of the model that stays frozen (`top_layers` below the layer count; by default none
but the word-piece embeddings) is run once per text: the token states entering the first tuned
layer are kept (reused every epoch and, in cross-validation, every fold) and only the tuned
layers train, for a few epochs: cross-entropy through a cosine classifier on the mean-pooled
output plus a supervised contrastive term (SetFit's aim: issues of one label close together).
The classifier of labels.py then reads the fine-tuned embedding; the head used here for
training is thrown away.

Why all six layers: SetFit tunes the whole encoder, and so does this by default now. Measured
by bench/triage_quality.py's folds on NLBSE'24 (folds 1-2 of 5, all five repositories, the
`finetuned` method alone): the top 2 layers at learning rate 2e-4 scored an average macro F1 of
0.775 (coverage at 90% precision 59%), all 6 at 5e-5 0.813 (67%); the `ensemble` built on it
0.793 -> 0.822. It costs about twice the training time (~90 s per repository of 240 issues on
two CPU cores, tuned layers reading 128 word pieces).

The tuned layers' tensors are named as in the base model (`encoder.layer.5.…`) and stored in the
classifier's safetensors file, so using them needs only the base model and that one file.
torch is imported inside functions: the web process never loads it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

# Word pieces per batch when computing frozen states (as the encoder does on CPU).
STATE_TOKEN_BUDGET = 8_192
TENSOR_PREFIX = "encoder.layer."

# Frozen token states by (tuned layer count, prepared text): reused across folds and epochs.
StateCache = MutableMapping[tuple[int, str], Any]

_encoders: dict[str, Any] = {}
_encoders_lock = threading.Lock()


@dataclass(frozen=True)
class FineTuneSettings:
    """Hyperparameters, tuned by 5-fold cross-validation per repository on NLBSE'24
    (bench/triage_quality.py) within a CPU budget of a few minutes per repository."""

    top_layers: int = 6  # all of all-MiniLM-L6-v2's (a deeper model keeps its lower ones)
    # Tuned layers read the first word pieces only (the frozen layers saw the usual 256): half
    # the cost, and the opening of an issue says most about its kind.
    max_tokens: int = 128
    epochs: int = 6
    # Bounds the tuning time of a large repository (about a minute on two CPU cores): 6 epochs of
    # up to 320 issues; more issues get fewer epochs.
    max_steps: int = 120
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-2
    batch_size: int = 16
    logit_scale: float = 16.0
    # SetFit's idea without its pairs: a supervised contrastive loss over each batch pulls
    # issues of one label together in the embedding the regression then reads.
    contrastive_weight: float = 0.5
    contrastive_temperature: float = 0.1
    weight_decay: float = 0.01
    seed: int = 0

    def as_metadata(self) -> dict[str, str]:
        return {f"finetune_{name}": str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, str]) -> FineTuneSettings:
        values = {}
        for spec in fields(cls):
            raw = metadata.get(f"finetune_{spec.name}")
            if raw is not None:
                values[spec.name] = int(raw) if spec.type == "int" else float(raw)
        return cls(**values)


def base_encoder(model_id: str):
    """The base sentence model a classifier was tuned from, loaded once per process."""
    from models_hub.embeddings.config import embedding_model_id
    from models_hub.embeddings.encoder import get_encoder, load_encoder

    if model_id == embedding_model_id():
        return get_encoder()
    with _encoders_lock:
        if model_id not in _encoders:
            _encoders[model_id] = load_encoder(model=model_id)
        return _encoders[model_id]


def _bert(encoder):
    return encoder.model[0].auto_model


def _layer_count(encoder) -> int:
    return len(_bert(encoder).encoder.layer)


def frozen_states(
    *,
    encoder,
    texts: Sequence[str],
    top_layers: int,
    tokens: int | None = None,
    cache: StateCache | None = None,
) -> list:
    """Token states entering the first tuned layer: one (tokens, dim) float32 tensor per text.
    The frozen layers read the encoder's `max_tokens` like the stored embeddings; the states of
    the first `tokens` word pieces come back (all when None)."""
    import torch

    cache = {} if cache is None else cache
    missing = [text for text in dict.fromkeys(texts) if (top_layers, text) not in cache]
    if missing:
        tokenizer, bert = encoder.model.tokenizer, _bert(encoder)
        encoded = tokenizer(missing, truncation=True, max_length=encoder.max_tokens)
        lengths = np.array([len(ids) for ids in encoded["input_ids"]])
        depth = _layer_count(encoder) - _tuned_count(encoder, top_layers)
        with torch.inference_mode():
            for rows in _budget_batches(lengths, STATE_TOKEN_BUDGET):
                features = tokenizer.pad(
                    {key: [encoded[key][i] for i in rows] for key in encoded}, return_tensors="pt"
                )
                features = {key: value.to(bert.device) for key, value in features.items()}
                hidden = bert(**features, output_hidden_states=True).hidden_states[depth]
                for offset, row in enumerate(rows):
                    state = hidden[offset, : lengths[row]].float().cpu().clone()
                    cache[(top_layers, missing[row])] = state
    return [cache[(top_layers, text)][:tokens] for text in texts]


def _budget_batches(lengths: np.ndarray, budget: int) -> list[np.ndarray]:
    order = np.argsort(-lengths, kind="stable")
    batches, start = [], 0
    while start < len(order):
        size = max(1, budget // max(int(lengths[order[start]]), 1))
        batches.append(order[start : start + size])
        start += size
    return batches


def tuned_layers(*, encoder, top_layers: int, tensors: Mapping[str, np.ndarray] | None = None):
    """A float32 copy of the base model's top layers, with tuned `tensors` loaded when given."""
    import torch

    count = _tuned_count(encoder, top_layers)
    layers = copy.deepcopy(_bert(encoder).encoder.layer[-count:]).float()
    if tensors is not None:
        first = _layer_count(encoder) - count
        state = {
            _local_name(name, first): torch.from_numpy(np.array(value))
            for name, value in tensors.items()
        }
        layers.load_state_dict(state, strict=True)
    return layers.eval()


def _tuned_count(encoder, top_layers: int) -> int:
    """How many layers tune: `top_layers`, or all of a shallower model's."""
    return max(1, min(top_layers, _layer_count(encoder)))


def _local_name(name: str, first: int) -> str:
    index, rest = name.removeprefix(TENSOR_PREFIX).split(".", 1)
    return f"{int(index) - first}.{rest}"


def layer_tensors(*, encoder, layers) -> dict[str, np.ndarray]:
    """The tuned layers' tensors under their names in the base model."""
    first = _layer_count(encoder) - len(layers)
    out = {}
    for name, value in layers.state_dict().items():
        index, rest = name.split(".", 1)
        out[f"{TENSOR_PREFIX}{int(index) + first}.{rest}"] = np.ascontiguousarray(
            value.detach().cpu().numpy()
        )
    return out


def _pooled(layers, states: Sequence):
    """Mean-pooled output of `layers` over each text's tokens (no grad decisions here)."""
    import torch

    device = next(layers.parameters()).device
    longest = max(state.shape[0] for state in states)
    hidden = torch.zeros(len(states), longest, states[0].shape[1], device=device)
    mask = torch.zeros(len(states), longest, device=device)
    for row, state in enumerate(states):
        hidden[row, : state.shape[0]] = state.to(device)
        mask[row, : state.shape[0]] = 1
    # The layers take an additive mask over key positions, as BertModel builds it.
    additive = (1.0 - mask[:, None, None, :]) * torch.finfo(hidden.dtype).min
    for layer in layers:
        hidden = layer(hidden, additive)
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    return (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)


def finetuned_embed(*, layers, states: Sequence) -> np.ndarray:
    """Unit-length float32 embeddings from the tuned layers, one row per text."""
    import torch

    lengths = np.array([state.shape[0] for state in states])
    out = np.zeros((len(states), _width(layers)), dtype=np.float32)
    with torch.inference_mode():
        for rows in _budget_batches(lengths, STATE_TOKEN_BUDGET):
            pooled = _pooled(layers, [states[i] for i in rows])
            out[rows] = torch.nn.functional.normalize(pooled, dim=1).cpu().numpy()
    return out


def _width(layers) -> int:
    return int(layers[0].output.dense.out_features)


def top_layers_finetune(
    *, encoder, states: Sequence, targets: Sequence[int], settings: FineTuneSettings
):
    """Train a copy of the top layers on (states, class index) pairs; returns the layers."""
    import torch

    classes = int(max(targets)) + 1
    with torch.random.fork_rng(devices=[]):  # seeded without touching the caller's RNG
        torch.manual_seed(settings.seed)
        layers = tuned_layers(encoder=encoder, top_layers=settings.top_layers).train()
        head = torch.nn.Linear(_width(layers), classes).to(next(layers.parameters()).device)
        steps = _steps(len(states), settings)
        optimizer, schedule = _optimizer(layers, head, settings, steps=steps)
        target = torch.tensor(list(targets), device=head.weight.device)
        for rows in _batches(len(states), settings, steps):
            loss = _loss(head, _pooled(layers, [states[i] for i in rows]), target[rows], settings)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
    return layers.eval()


def _loss(head, pooled, target, settings: FineTuneSettings):
    import torch

    embedded = torch.nn.functional.normalize(pooled, dim=1)
    loss = torch.nn.functional.cross_entropy(head(embedded) * settings.logit_scale, target)
    if settings.contrastive_weight:
        contrastive = _supervised_contrastive(embedded, target, settings.contrastive_temperature)
        loss = loss + settings.contrastive_weight * contrastive
    return loss


def _supervised_contrastive(embedded, target, temperature: float):
    """Khosla et al.'s loss: each issue's same-label batch mates should be its nearest."""
    import torch

    similarity = embedded @ embedded.T / temperature
    itself = torch.eye(len(target), dtype=torch.bool, device=embedded.device)
    similarity = similarity.masked_fill(itself, -1e9)  # finite: no inf - inf in the backward
    positive = (target[:, None] == target[None, :]) & ~itself
    log_probability = similarity - torch.logsumexp(similarity, dim=1, keepdim=True)
    count = positive.sum(1)
    has = count > 0
    if not has.any():
        return similarity.new_zeros(())
    total = log_probability.masked_fill(~positive, 0).sum(1)
    return -(total[has] / count[has]).mean()


def _steps(samples: int, settings: FineTuneSettings) -> int:
    return min(settings.epochs * -(-samples // settings.batch_size), settings.max_steps)


def _batches(samples: int, settings: FineTuneSettings, steps: int) -> Iterator[np.ndarray]:
    """`steps` random batches, epoch after epoch (a large set gets fewer epochs)."""
    rng = np.random.default_rng(settings.seed)
    done = 0
    while True:
        order = rng.permutation(samples)
        for start in range(0, samples, settings.batch_size):
            if done == steps:
                return
            yield order[start : start + settings.batch_size]
            done += 1


def _optimizer(layers, head, settings: FineTuneSettings, *, steps: int):
    """AdamW, a faster rate for the fresh head; 10% linear warm-up, then linear decay to 0."""
    import torch

    optimizer = torch.optim.AdamW(
        [
            {"params": layers.parameters(), "lr": settings.learning_rate},
            {"params": head.parameters(), "lr": settings.head_learning_rate},
        ],
        weight_decay=settings.weight_decay,
    )
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1 - step / steps)
    )
    return optimizer, schedule
