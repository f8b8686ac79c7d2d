"""Themes of a period: clusters of the stored embeddings of its new issues and pull requests.

Pure numpy (the default worker has no torch): vectors are the unit-length ones the embeddings
worker stored, so a dot product is a cosine similarity.

- Clustering: spherical k-means (assign by cosine, centroid = normalised mean) from k-means++
  seeds, `RESTARTS` seeded restarts, the lowest-inertia run kept; deterministic for a seed.
- k: every k from 2 to min(8, n - 1) is tried and the one with the best mean silhouette
  (cosine distance) wins, so three clear topics give three themes rather than a formula's guess.
- A theme: its size, its three most representative titles (closest to the centroid), member
  numbers, and a name. The name is the single most representative title — always a real,
  readable sentence from the period — and `keywords` adds up to three words shared by several
  of the theme's titles and rarer in the others'.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

MIN_VECTORS = 4
MAX_K = 8
RESTARTS = 8
ITERATIONS = 50
SILHOUETTE_SAMPLE = 2000
REPRESENTATIVE = 3
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
    "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or",
    "should", "so", "that", "the", "this", "to", "was", "we", "when", "where", "which", "while",
    "why", "will", "with", "without", "you", "your", "after", "before", "cannot", "can't",
    "doesn't", "don't", "isn't", "would", "could", "great", "please", "also", "there", "what",
    "any", "some", "very", "get", "got", "use", "using",
})  # fmt: skip


@dataclass(frozen=True)
class ThemeItem:
    kind: str  # "issue" or "pr"
    number: int
    title: str
    url: str = ""


def _kmeans_pp(vectors: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    centers = [vectors[rng.integers(len(vectors))]]
    for _ in range(1, k):
        distance = np.clip(1.0 - np.max(vectors @ np.array(centers).T, axis=1), 0.0, None)
        total = distance.sum()
        if total <= 0:
            choice = rng.integers(len(vectors))
        else:
            choice = rng.choice(len(vectors), p=distance / total)
        centers.append(vectors[choice])
    return np.array(centers)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _kmeans_once(vectors: np.ndarray, k: int, rng: np.random.Generator):
    centers = _kmeans_pp(vectors, k, rng)
    labels = np.full(len(vectors), -1)
    for _ in range(ITERATIONS):
        similarity = vectors @ centers.T
        new_labels = similarity.argmax(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for cluster in range(k):
            members = vectors[labels == cluster]
            if len(members):
                centers[cluster] = members.mean(axis=0)
            else:  # an emptied cluster restarts at the point its centre explains worst
                centers[cluster] = vectors[similarity.max(axis=1).argmin()]
        centers = _normalise(centers)
    inertia = float(np.sum(1.0 - (vectors @ centers.T)[np.arange(len(vectors)), labels]))
    return labels, centers, inertia


def kmeans(vectors: np.ndarray, k: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means: (labels, unit centroids) of the best of `RESTARTS` seeded runs."""
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(RESTARTS):
        labels, centers, inertia = _kmeans_once(vectors, k, rng)
        if best is None or inertia < best[2] - 1e-9:
            best = (labels, centers, inertia)
    return best[0], best[1]


def silhouette(vectors: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette with cosine distance (a point alone in its cluster scores 0)."""
    distance = np.clip(1.0 - vectors @ vectors.T, 0.0, None)
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return -1.0
    mean_to = np.stack([distance[:, labels == c].mean(axis=1) for c in clusters], axis=1)
    sizes = np.array([(labels == c).sum() for c in clusters])
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own]
    # The mean to one's own cluster excludes the point itself (distance 0 to itself).
    a = mean_to[np.arange(len(labels)), own] * own_size / np.maximum(own_size - 1, 1)
    others = mean_to.copy()
    others[np.arange(len(labels)), own] = np.inf
    b = others.min(axis=1)
    score = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(score.mean())


def _choose(vectors: np.ndarray, seed: int) -> tuple[int, np.ndarray, np.ndarray, float]:
    sample = np.arange(len(vectors))
    if len(vectors) > SILHOUETTE_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).permutation(len(vectors))[:SILHOUETTE_SAMPLE])
    best = None
    for k in range(2, min(MAX_K, len(vectors) - 1) + 1):
        labels, centers = kmeans(vectors, k, seed=seed)
        score = silhouette(vectors[sample], labels[sample])
        if best is None or score > best[3] + 1e-9:
            best = (k, labels, centers, score)
    return best


def _words(title: str) -> set[str]:
    words = re.findall(r"[a-z][a-z0-9+#._-]*[a-z0-9+#]|[a-z]", title.lower())
    return {w for w in words if len(w) > 2 and w not in STOPWORDS}


def _keywords(titles: list[str], other_titles: list[str], limit: int = 3) -> list[str]:
    inside = Counter(w for t in titles for w in _words(t))
    outside = Counter(w for t in other_titles for w in _words(t))
    scored = [
        (count / len(titles) - outside[word] / max(len(other_titles), 1), word)
        for word, count in inside.items()
        if count >= 2
    ]
    return [word for score, word in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0][
        :limit
    ]


def themes_find(items: list[ThemeItem], vectors: np.ndarray, *, seed: int = 0) -> dict:
    """{"k", "silhouette", "themes": [...]} for the items (rows of `vectors`), largest first;
    {"themes": [], "reason": …} when there are fewer than `MIN_VECTORS`."""
    if len(items) < MIN_VECTORS:
        return {
            "themes": [],
            "reason": f"themes need at least {MIN_VECTORS} embedded items; the period has "
            f"{len(items)}.",
        }
    vectors = _normalise(np.asarray(vectors, dtype=np.float64))
    k, labels, centers, score = _choose(vectors, seed)
    themes = []
    for cluster in range(k):
        members = np.flatnonzero(labels == cluster)
        if not len(members):
            continue
        closeness = vectors[members] @ centers[cluster]
        ranked = members[np.argsort(-closeness, kind="stable")]
        titles = [items[i].title for i in members]
        others = [items[i].title for i in np.flatnonzero(labels != cluster)]
        themes.append(
            {
                "name": items[ranked[0]].title,
                "keywords": _keywords(titles, others),
                "size": len(members),
                "representative": [
                    {
                        "kind": items[i].kind,
                        "number": items[i].number,
                        "title": items[i].title,
                        "url": items[i].url,
                    }
                    for i in ranked[:REPRESENTATIVE]
                ],
                "members": sorted(
                    ({"kind": items[i].kind, "number": items[i].number} for i in members),
                    key=lambda m: (m["kind"], m["number"]),
                ),
            }
        )
    themes.sort(key=lambda t: (-t["size"], t["name"]))
    return {"k": k, "silhouette": round(score, 3), "themes": themes, "reason": None}
