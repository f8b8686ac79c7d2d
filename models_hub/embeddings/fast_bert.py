"""A lean CPU forward pass for mean-pooled BERT sentence encoders (all-MiniLM-L6-v2 among them).

It computes what `SentenceTransformer.forward` computes for [Transformer(BERT), Pooling(mean)],
with less work per batch (measurements: `models_hub.embeddings.encoder`):
- the weights are cast once to the compute dtype and pre-packed for oneDNN
  (`mkldnn._linear_pointwise`, the kernel `torch.compile` emits on CPU), with the FFN's GELU
  fused into its first matrix product and query/key/value done as one matrix product;
- bfloat16 where the CPU has bfloat16 dot-product instructions (AVX512-BF16 or AMX): twice the
  float32 matrix throughput, cosine to the float32 vectors > 0.9998; float32 elsewhere, where
  bfloat16 would be emulated and slower;
- attention through `scaled_dot_product_attention`, without a mask when the batch has no padding
  (the encoder sorts texts by length, so most batches have none);
- mean pooling over the real tokens accumulates in float32.

Any other architecture gets None from `fast_bert` and the caller keeps the sentence-transformers
model. torch is imported inside the functions: this module is for the embeddings worker only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A batch-size hint for oneDNN's weight packing: the encoder's CPU batches hold ~1k word pieces.
PACKING_ROWS_HINT = 1024


def cpu_runs_bfloat16() -> bool:
    """Whether the CPU has bfloat16 dot-product instructions (elsewhere bf16 is emulated, slow)."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


@dataclass(frozen=True)
class _Linear:
    """y = x·Wᵀ + b (then GELU, when `gelu`), weights packed for oneDNN where the build allows."""

    weight: Any
    bias: Any
    gelu: bool = False
    packed: bool = False

    @classmethod
    def of(cls, weight: Any, bias: Any, *, dtype: Any, gelu: bool = False) -> _Linear:
        import torch

        weight, bias = weight.detach().to(dtype).contiguous(), bias.detach().to(dtype)
        try:
            packed = torch.ops.mkldnn._reorder_linear_weight(weight, PACKING_ROWS_HINT)
        except (AttributeError, RuntimeError):  # a torch build without oneDNN: plain matmul
            return cls(weight, bias, gelu=gelu)
        return cls(packed, bias, gelu=gelu, packed=True)

    def __call__(self, x: Any) -> Any:
        import torch

        if self.packed:
            activation, algorithm = ("gelu", "none") if self.gelu else ("none", "")
            return torch.ops.mkldnn._linear_pointwise(
                x, self.weight, self.bias, activation, [], algorithm
            )
        y = torch.nn.functional.linear(x, self.weight, self.bias)
        return torch.nn.functional.gelu(y) if self.gelu else y


@dataclass(frozen=True)
class _Layer:
    qkv: _Linear
    attention_out: _Linear
    attention_norm: tuple[Any, Any]
    up: _Linear  # with GELU
    down: _Linear
    output_norm: tuple[Any, Any]


@dataclass(frozen=True)
class FastBert:
    word_embeddings: Any
    position_embeddings: Any
    token_type_embedding: Any
    embedding_norm: tuple[Any, Any]
    layers: tuple[_Layer, ...]
    heads: int
    eps: float
    dtype: Any

    @property
    def dtype_name(self) -> str:
        return str(self.dtype).removeprefix("torch.")

    def __call__(self, input_ids: Any, attention_mask: Any) -> Any:
        """Mean-pooled float32 sentence embeddings (not normalized) of a padded batch."""
        import torch
        from torch.nn import functional

        rows, length = input_ids.shape
        hidden = (
            self.word_embeddings[input_ids]
            + self.position_embeddings[:length]
            + self.token_type_embedding
        )
        width = hidden.shape[-1]
        hidden = functional.layer_norm(hidden, (width,), *self.embedding_norm, self.eps)
        hidden = hidden.to(self.dtype).reshape(rows * length, width)
        padded = not bool(attention_mask.all())
        mask = attention_mask.bool()[:, None, None, :] if padded else None
        for layer in self.layers:
            q, k, v = (
                layer.qkv(hidden)
                .view(rows, length, 3, self.heads, width // self.heads)
                .permute(2, 0, 3, 1, 4)
            )
            context = functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            context = context.transpose(1, 2).reshape(rows * length, width)
            hidden = functional.layer_norm(
                layer.attention_out(context) + hidden, (width,), *layer.attention_norm, self.eps
            )
            hidden = functional.layer_norm(
                layer.down(layer.up(hidden)) + hidden, (width,), *layer.output_norm, self.eps
            )
        weights = attention_mask.to(torch.float32).unsqueeze(-1)
        summed = (hidden.view(rows, length, width).float() * weights).sum(dim=1)
        return summed / weights.sum(dim=1).clamp(min=1e-9)


def fast_bert(model: Any, *, bfloat16: bool) -> FastBert | None:
    """The lean forward of a `SentenceTransformer`, or None where it is not a mean-pooled BERT."""
    import torch

    modules = list(model)
    if not 2 <= len(modules) <= 3 or not _is_supported(modules):
        return None
    bert = modules[0].auto_model
    config = bert.config
    dtype = torch.bfloat16 if bfloat16 else torch.float32
    weights = {name: tensor.detach().float() for name, tensor in bert.state_dict().items()}
    return FastBert(
        word_embeddings=weights["embeddings.word_embeddings.weight"],
        position_embeddings=weights["embeddings.position_embeddings.weight"],
        token_type_embedding=weights["embeddings.token_type_embeddings.weight"][0],
        embedding_norm=_norm(weights, "embeddings.LayerNorm.", dtype=torch.float32),
        layers=tuple(
            _layer(weights, f"encoder.layer.{i}.", dtype=dtype)
            for i in range(config.num_hidden_layers)
        ),
        heads=config.num_attention_heads,
        eps=config.layer_norm_eps,
        dtype=dtype,
    )


def _is_supported(modules: list[Any]) -> bool:
    transformer, pooling, *rest = modules
    config = getattr(getattr(transformer, "auto_model", None), "config", None)
    return (
        type(transformer).__name__ == "Transformer"
        and type(pooling).__name__ == "Pooling"
        and all(type(module).__name__ == "Normalize" for module in rest)
        and getattr(config, "model_type", "") == "bert"
        and getattr(config, "position_embedding_type", "absolute") == "absolute"
        and getattr(config, "hidden_act", "") == "gelu"  # erf GELU, which oneDNN fuses exactly
        and pooling.get_config_dict().get("pooling_mode") == "mean"
    )


def _layer(weights: dict[str, Any], prefix: str, *, dtype: Any) -> _Layer:
    import torch

    def linear(name: str, *, gelu: bool = False) -> _Linear:
        weight, bias = weights[f"{prefix}{name}.weight"], weights[f"{prefix}{name}.bias"]
        return _Linear.of(weight, bias, dtype=dtype, gelu=gelu)

    projections = ("attention.self.query", "attention.self.key", "attention.self.value")
    return _Layer(
        qkv=_Linear.of(
            torch.cat([weights[f"{prefix}{name}.weight"] for name in projections]),
            torch.cat([weights[f"{prefix}{name}.bias"] for name in projections]),
            dtype=dtype,
        ),
        attention_out=linear("attention.output.dense"),
        attention_norm=_norm(weights, f"{prefix}attention.output.LayerNorm.", dtype=dtype),
        up=linear("intermediate.dense", gelu=True),
        down=linear("output.dense"),
        output_norm=_norm(weights, f"{prefix}output.LayerNorm.", dtype=dtype),
    )


def _norm(weights: dict[str, Any], prefix: str, *, dtype: Any) -> tuple[Any, Any]:
    return weights[f"{prefix}weight"].to(dtype), weights[f"{prefix}bias"].to(dtype)
