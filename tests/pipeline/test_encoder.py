"""The numpy sentence encoder: a tiny random BERT checked against a plain loop-by-loop
reading of BERT's definition (always), and the bundled all-MiniLM-L6-v2 checked against
sentence-transformers (when the `reference` extra, with torch, is installed)."""
import json
import math

import numpy as np
import pytest

from factcheck.pipeline.encoder import MiniLMEncoder, file_sha256, read_safetensors
from factcheck.services.embeddings import MAX_TOKENS, MODEL_PACKAGE, MODEL_SHA256, model_dir_of
from tests.conftest import SHARED

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "ferry", "bridge", "budget", "tax", "school", "rose", "fell", ",", "."]
HIDDEN, HEADS, LAYERS, INNER = 8, 2, 2, 16


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(header).encode()
    path.write_bytes(len(head).to_bytes(8, "little") + head + b"".join(blobs))


def tiny_model(folder, seed=7):
    """A random 2-layer BERT with a 14-word WordPiece vocabulary, saved as a
    sentence-transformers folder."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    rng = np.random.default_rng(seed)
    t = {
        "embeddings.word_embeddings.weight": rng.normal(size=(len(VOCAB), HIDDEN)),
        "embeddings.position_embeddings.weight": rng.normal(size=(16, HIDDEN)),
        "embeddings.token_type_embeddings.weight": rng.normal(size=(2, HIDDEN)),
        "embeddings.LayerNorm.weight": 1 + 0.1 * rng.normal(size=HIDDEN),
        "embeddings.LayerNorm.bias": 0.1 * rng.normal(size=HIDDEN),
    }
    shapes = {
        "attention.self.query": (HIDDEN, HIDDEN), "attention.self.key": (HIDDEN, HIDDEN),
        "attention.self.value": (HIDDEN, HIDDEN), "attention.output.dense": (HIDDEN, HIDDEN),
        "intermediate.dense": (INNER, HIDDEN), "output.dense": (HIDDEN, INNER),
    }
    for i in range(LAYERS):
        for name, shape in shapes.items():
            t[f"encoder.layer.{i}.{name}.weight"] = rng.normal(size=shape) / math.sqrt(shape[1])
            t[f"encoder.layer.{i}.{name}.bias"] = 0.1 * rng.normal(size=shape[0])
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[f"encoder.layer.{i}.{norm}.weight"] = 1 + 0.1 * rng.normal(size=HIDDEN)
            t[f"encoder.layer.{i}.{norm}.bias"] = 0.1 * rng.normal(size=HIDDEN)
    folder.mkdir(exist_ok=True)
    write_safetensors(folder / "model.safetensors", t)
    config = {"hidden_size": HIDDEN, "num_attention_heads": HEADS, "num_hidden_layers": LAYERS, "layer_norm_eps": 1e-12}
    (folder / "config.json").write_text(json.dumps(config))
    tokenizer = Tokenizer(models.WordPiece({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tokenizer.save(str(folder / "tokenizer.json"))
    return {k: np.asarray(v, dtype=np.float64) for k, v in t.items()}


def bert_by_the_book(t, ids):
    """BERT's forward pass for one unpadded sentence, token by token and head by head,
    then the mean of the last layer and unit length."""

    def norm(v, prefix):
        return (v - v.mean()) / math.sqrt(v.var() + 1e-12) * t[prefix + ".weight"] + t[prefix + ".bias"]

    def dense(v, prefix):
        return t[prefix + ".weight"] @ v + t[prefix + ".bias"]

    e = "embeddings."
    x = [
        norm(t[e + "word_embeddings.weight"][w] + t[e + "position_embeddings.weight"][p] + t[e + "token_type_embeddings.weight"][0], e + "LayerNorm")
        for p, w in enumerate(ids)
    ]
    size = HIDDEN // HEADS
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        q = [dense(v, p + "attention.self.query") for v in x]
        k = [dense(v, p + "attention.self.key") for v in x]
        val = [dense(v, p + "attention.self.value") for v in x]
        new = []
        for a in range(len(x)):
            context = np.zeros(HIDDEN)
            for h in range(HEADS):
                s = slice(h * size, (h + 1) * size)
                scores = np.array([q[a][s] @ k[b][s] / math.sqrt(size) for b in range(len(x))])
                weights = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
                context[s] = sum(w * val[b][s] for b, w in enumerate(weights))
            y = norm(x[a] + dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            up = dense(y, p + "intermediate.dense")
            gelu = np.array([u * 0.5 * (1 + math.erf(u / math.sqrt(2))) for u in up])
            new.append(norm(y + dense(gelu, p + "output.dense"), p + "output.LayerNorm"))
        x = new
    mean = np.mean(x, axis=0)
    return mean / np.linalg.norm(mean)


TEXTS = ["The ferry fell.", "the budget rose , the tax rose , the school fell .", "bridge", "Tax, tax, tax budget bridge school."]


def test_a_tiny_bert_gives_what_its_definition_gives_in_any_batch(tmp_path):
    weights = tiny_model(tmp_path / "tiny")
    encoder = MiniLMEncoder(tmp_path / "tiny")
    vectors = encoder.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), HIDDEN)
    for text, vector in zip(TEXTS, vectors):
        ids = encoder.tokenizer.encode(text).ids
        assert np.allclose(vector, bert_by_the_book(weights, ids), atol=2e-5), text
    # Texts batched with longer ones (so padded) get the vectors they get alone.
    for i, text in enumerate(TEXTS):
        assert np.allclose(encoder.encode([text])[0], vectors[i], atol=1e-6)
    assert encoder.encode([]).shape == (0, HIDDEN)


def test_weights_whose_sha256_differs_are_refused(tmp_path):
    tiny_model(tmp_path / "tiny")
    digest = file_sha256(tmp_path / "tiny" / "model.safetensors")
    assert MiniLMEncoder(tmp_path / "tiny", sha256=digest).name == "tiny"
    with pytest.raises(RuntimeError, match="refusing"):
        MiniLMEncoder(tmp_path / "tiny", sha256="0" * 64)


def test_safetensors_are_read_as_written(tmp_path):
    arrays = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([0.5], dtype=np.float32)}
    write_safetensors(tmp_path / "t.safetensors", arrays)
    read = read_safetensors(tmp_path / "t.safetensors")
    assert set(read) == {"a", "b"} and all(np.array_equal(read[k], arrays[k]) for k in arrays)


MODEL_DIR = model_dir_of(MODEL_PACKAGE)
needs_model = pytest.mark.skipif(MODEL_DIR is None, reason=f"the weights package ({MODEL_PACKAGE}) is not installed")
CLAIMS = SHARED / "data" / "checkthat-2021-2b" / "verified_claims.jsonl"


@needs_model
def test_the_bundled_model_puts_a_paraphrase_nearest():
    encoder = MiniLMEncoder(MODEL_DIR, sha256=MODEL_SHA256, max_tokens=MAX_TOKENS)
    claim, paraphrase, other = encoder.encode([
        "Says unemployment among young people has fallen to its lowest level in decades.",
        "Joblessness for the youth is the lowest it has been in a generation",
        "Says the new stadium will be paid for entirely by private investors.",
    ])
    assert claim @ paraphrase > claim @ other + 0.2


@needs_model
@pytest.mark.skipif(not CLAIMS.exists(), reason=f"the CheckThat! claims are absent ({CLAIMS})")
def test_the_bundled_model_gives_sentence_transformers_vectors():
    st = pytest.importorskip("sentence_transformers", reason="the reference extra (sentence-transformers, torch) is not installed")
    texts = [json.loads(line)["text"] for line in open(CLAIMS, encoding="utf-8")][::64][:300]
    texts.append("word " * 300)  # longer than MAX_TOKENS: both cut it there
    reference = st.SentenceTransformer(str(MODEL_DIR), device="cpu", local_files_only=True)
    reference.max_seq_length = MAX_TOKENS
    expected = reference.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    got = MiniLMEncoder(MODEL_DIR, sha256=MODEL_SHA256, max_tokens=MAX_TOKENS).encode(texts)
    cosines = np.sum(expected * got, axis=1)
    assert cosines.min() >= 0.9999, (cosines.min(), texts[int(cosines.argmin())])
