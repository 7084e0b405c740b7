"""Sentence embeddings from a MiniLM/BERT model in plain numpy: no torch, no network.

`MiniLMEncoder(model_dir)` reads a sentence-transformers model folder (model.safetensors,
tokenizer.json, config.json) such as all-MiniLM-L6-v2, and `encode(texts)` gives what
sentence-transformers gives for it: the BERT encoder's last hidden states, averaged over
the sentence's tokens and scaled to unit length (float32, one row per text).

Texts are tokenised by the `tokenizers` library from the model's own tokenizer.json, cut at
`max_tokens`, sorted by length and run in batches of similar length, so little work goes
into padding. The weights' sha256 is checked before they are read (`sha256=`).
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
# Token positions per batch: bounds the attention matrices' memory while keeping the
# matrix products large enough to run near the processor's speed.
BATCH_TOKENS = 2048


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file, by name (its format: an 8-byte little-endian
    header length, a JSON header of dtype, shape and byte offsets, then the raw data)."""
    data = Path(path).read_bytes()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    header.pop("__metadata__", None)
    body = memoryview(data)[8 + size :]
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    x = x - mean
    var = np.mean(x * x, -1, keepdims=True)
    x *= 1.0 / np.sqrt(var + eps)
    x *= weight
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Φ(x), with erf by Abramowitz and Stegun 7.1.26 (error below
    1.5e-7, under float32's own rounding): numpy has no erf of its own."""
    # In place, on three arrays: the intermediate layer's activations are the largest
    # the model makes, and fresh arrays for each step cost as much as the arithmetic.
    z = np.abs(x)
    z *= np.float32(1 / math.sqrt(2))
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for a in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(a)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # now 1 - erf(|x| / √2)
    poly *= np.float32(-0.5)
    poly += np.float32(0.5)  # erf(|x| / √2) / 2
    np.copysign(poly, x, out=poly)
    poly += np.float32(0.5)  # Φ(x) = (1 + erf(x / √2)) / 2
    poly *= x
    return poly


class MiniLMEncoder:
    """A BERT sentence encoder with mean pooling and unit-length output, run by numpy."""

    def __init__(self, model_dir: Path, *, name: str | None = None, sha256: str | None = None, max_tokens: int = 128):
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        weights = model_dir / "model.safetensors"
        if sha256 is not None and (got := file_sha256(weights)) != sha256:
            raise RuntimeError(f"{weights}: sha256 {got} is not the expected {sha256}; refusing to load it")
        self.name = name or model_dir.name
        config = json.loads((model_dir / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.eps = config.get("layer_norm_eps", 1e-12)
        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self._load(read_safetensors(weights), config["num_hidden_layers"])

    def _load(self, t: dict[str, np.ndarray], layers: int) -> None:
        # Weights are stored as torch Linear's (out, in): kept transposed, (in, out), so a
        # batch of rows multiplies them on the right; query, key and value as one product.
        t = {k.removeprefix("bert."): v for k, v in t.items()}
        e = "embeddings."
        self.word = t[e + "word_embeddings.weight"]
        # Every token is of segment 0: its embedding joins the positions' once.
        self.position = t[e + "position_embeddings.weight"] + t[e + "token_type_embeddings.weight"][0]
        self.embed_norm = (t[e + "LayerNorm.weight"], t[e + "LayerNorm.bias"])
        self.layers = []
        for i in range(layers):
            p = f"encoder.layer.{i}."
            a = p + "attention."
            qkv = [t[a + f"self.{n}.weight"] for n in ("query", "key", "value")]
            self.layers.append(
                {
                    "qkv": np.ascontiguousarray(np.concatenate(qkv).T),
                    "qkv_b": np.concatenate([t[a + f"self.{n}.bias"] for n in ("query", "key", "value")]),
                    "out": np.ascontiguousarray(t[a + "output.dense.weight"].T),
                    "out_b": t[a + "output.dense.bias"],
                    "norm1": (t[a + "output.LayerNorm.weight"], t[a + "output.LayerNorm.bias"]),
                    "up": np.ascontiguousarray(t[p + "intermediate.dense.weight"].T),
                    "up_b": t[p + "intermediate.dense.bias"],
                    "down": np.ascontiguousarray(t[p + "output.dense.weight"].T),
                    "down_b": t[p + "output.dense.bias"],
                    "norm2": (t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"]),
                }
            )
        self.dimensions = self.word.shape[1]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text, in the order given."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not len(texts):
            return out
        ids = [enc.ids for enc in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            # The longest text of a batch sets its width: batches grow while they fit BATCH_TOKENS.
            end = start + 1
            while end < len(order) and (end + 1 - start) * len(ids[order[end]]) <= BATCH_TOKENS:
                end += 1
            batch = order[start:end]
            out[batch] = self._forward([ids[i] for i in batch])
            start = end
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, x in enumerate(batch):
            ids[row, : len(x)] = x
            mask[row, : len(x)] = 1.0
        n, d, h = len(batch), self.dimensions, self.heads
        x = self.word[ids] + self.position[:width]
        x = _layer_norm(x.reshape(n * width, d), *self.embed_norm, self.eps)
        # Padding is kept out of every token's attention by a large negative score.
        pad = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1 / math.sqrt(d // h))
        for layer in self.layers:
            qkv = x @ layer["qkv"]
            qkv += layer["qkv_b"]
            q, k, v = qkv.reshape(n, width, 3, h, d // h).transpose(2, 0, 3, 1, 4)
            scores = (q * scale) @ k.transpose(0, 1, 3, 2)
            scores += pad
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * width, d)
            attended = context @ layer["out"]
            attended += layer["out_b"]
            attended += x
            x = _layer_norm(attended, *layer["norm1"], self.eps)
            up = x @ layer["up"]
            up += layer["up_b"]
            down = _gelu(up) @ layer["down"]
            down += layer["down_b"]
            down += x
            x = _layer_norm(down, *layer["norm2"], self.eps)
        x = x.reshape(n, width, d)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
