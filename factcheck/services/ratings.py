"""Rating scales, read from data (`rating_scales.json`), not written into code.

An instance may replace them with its own `instance/rating_scales.json`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import PACKAGE_DIR, instance_path


@dataclass(frozen=True)
class Rating:
    name: str
    value: int  # higher is truer; ClaimReview's ratingValue
    description: str


@dataclass(frozen=True)
class Scale:
    kind: str  # quote | claim
    ratings: tuple[Rating, ...]

    @property
    def best(self) -> int:
        return max(r.value for r in self.ratings)

    @property
    def worst(self) -> int:
        return min(r.value for r in self.ratings)

    def get(self, name: str) -> Rating | None:
        return next((r for r in self.ratings if r.name == name), None)

    def names(self) -> list[str]:
        return [r.name for r in self.ratings]


@lru_cache(maxsize=None)
def _load(path: str) -> dict[str, Scale]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        kind: Scale(kind, tuple(Rating(r["name"], int(r["value"]), r.get("description", "")) for r in rows))
        for kind, rows in data.items()
    }


def scales() -> dict[str, Scale]:
    local = instance_path() / "rating_scales.json"
    return _load(str(local if local.exists() else PACKAGE_DIR / "rating_scales.json"))


def scale_for(kind: str) -> Scale:
    return scales()[kind]
