"""Probabilistic record linkage (Fellegi & Sunter 1969) with m/u probabilities
estimated by EM on the candidate pairs of one block (Winkler 1988; Jaro 1989).

Pure: no Django, no srbgov app (docs/reconciliation.md §2). A record is a `Person`
(name, the date of the event, village code, her birth date); two records compare into
a vector of agreement levels, one per field; the model turns a vector into a match
weight (the sum of log m/u over the fields both records have) and a match
probability. `estimate` fits the model to a block's pairs by EM, starting from, and
shrunk towards, `DEFAULT_MODEL` (Dirichlet pseudo-counts): a small township-month
keeps sensible parameters, a large one speaks for itself. The weights are then made
non-decreasing in each field's level of agreement (pool-adjacent-violators), so that
agreeing more can never lower a pair's probability.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

import jellyfish
from pypinyin import lazy_pinyin

# A field that either record lacks: it counts neither for nor against the match.
MISSING = -1

FIELDS = ("name", "event_on", "village", "birth_on")

# Levels of agreement per field, lowest first.
NAME_DIFFERENT, NAME_SIMILAR, NAME_SAME_SOUND, NAME_SAME = 0, 1, 2, 3
DATE_FAR, DATE_NEAR, DATE_SAME = 0, 1, 2
VILLAGE_DIFFERENT, VILLAGE_SAME = 0, 1
BIRTH_DIFFERENT, BIRTH_TYPO, BIRTH_SAME = 0, 1, 2
LEVELS = (4, 3, 2, 3)

# Jaro–Winkler over the pinyin of the two names (syllables joined): 0.88 takes
# 张晓丽/张小莉 (zhangxiaoli, the same) and 王丽/王丽娟 (0.93), not 王丽/李娜 (0.43).
SIMILAR_NAME = 0.88
# The date of the delivery or termination: the same day or the next (a birth near
# midnight, a discharge date typed instead), within a week, or further apart.
NEAR_DAYS = 7


@dataclass(frozen=True)
class Person:
    """One side of a pair as the linkage sees it."""

    name: str
    event_on: date
    village: str = ""
    birth_on: date | None = None


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


@lru_cache(maxsize=65536)
def _pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


def compare_names(a: str, b: str) -> int:
    """Same characters; same sound (同音字: 丽/莉, 娟/鹃, what a clerk types from
    hearing); similar pinyin (a character missing or added); or different."""
    a, b = _name_key(a), _name_key(b)
    if not a or not b:
        return MISSING
    if a == b:
        return NAME_SAME
    pa, pb = _pinyin(a), _pinyin(b)
    if pa == pb:
        return NAME_SAME_SOUND
    if jellyfish.jaro_winkler_similarity(pa, pb) >= SIMILAR_NAME:
        return NAME_SIMILAR
    return NAME_DIFFERENT


def compare_dates(a: date, b: date) -> int:
    days = abs((a - b).days)
    if days <= 1:
        return DATE_SAME
    if days <= NEAR_DAYS:
        return DATE_NEAR
    return DATE_FAR


def compare_villages(a: str, b: str) -> int:
    if not a or not b:
        return MISSING
    return VILLAGE_SAME if a == b else VILLAGE_DIFFERENT


def compare_birth_dates(a: date | None, b: date | None) -> int:
    """Her birth date, read from each side's identity number: equal, one typing slip
    away (day and month swapped, one field off), or different."""
    if a is None or b is None:
        return MISSING
    if a == b:
        return BIRTH_SAME
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    swapped = a.year == b.year and a.month == b.day and a.day == b.month
    return BIRTH_TYPO if same == 2 or swapped else BIRTH_DIFFERENT


Vector = tuple[int, ...]


def compare(a: Person, b: Person) -> Vector:
    """The agreement vector of a pair, one level per field of `FIELDS`."""
    return (
        compare_names(a.name, b.name),
        compare_dates(a.event_on, b.event_on),
        compare_villages(a.village, b.village),
        compare_birth_dates(a.birth_on, b.birth_on),
    )


@dataclass(frozen=True)
class Model:
    """λ (the share of candidate pairs that match) and, per field, P(level | match)
    and P(level | non-match)."""

    prior: float
    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]

    @cached_property
    def weights(self) -> tuple[tuple[float, ...], ...]:
        """log(m/u) per field and level, made non-decreasing in the level."""
        return tuple(
            tuple(_monotone([math.log(mk / uk) for mk, uk in zip(ms, us, strict=True)]))
            for ms, us in zip(self.m, self.u, strict=True)
        )

    def weight(self, vector: Vector) -> float:
        w = self.weights
        return sum(w[k][level] for k, level in enumerate(vector) if level != MISSING)

    def probability(self, vector: Vector) -> float:
        logit = math.log(self.prior / (1 - self.prior)) + self.weight(vector)
        return _sigmoid(logit)

    def raw_probability(self, vector: Vector) -> float:
        """P(match | vector) with the raw, not monotone-adjusted, weights: what the
        E-step needs to stay a true EM."""
        logit = math.log(self.prior / (1 - self.prior))
        for k, level in enumerate(vector):
            if level != MISSING:
                logit += math.log(self.m[k][level] / self.u[k][level])
        return _sigmoid(logit)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def _monotone(values: list[float]) -> list[float]:
    """Pool adjacent violators: the closest non-decreasing sequence (least squares)."""
    blocks: list[list[float]] = []  # [sum, count]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and (
            blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]
        ):
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    out: list[float] = []
    for total, count in blocks:
        out.extend([total / count] * int(count))
    return out


# Where EM starts and what it is shrunk towards: the agreement rates of true pairs
# (m) and of chance pairs inside one township-month (u). A township has about ten
# villages; within a month about one pair in ten falls on the same or next day and
# about half within a week; two different women share a birth date about once in
# five thousand (docs/reconciliation.md §2).
DEFAULT_MODEL = Model(
    prior=0.01,
    m=(
        (0.03, 0.07, 0.10, 0.80),
        (0.04, 0.16, 0.80),
        (0.10, 0.90),
        (0.04, 0.08, 0.88),
    ),
    u=(
        (0.93, 0.05, 0.015, 0.005),
        (0.50, 0.40, 0.10),
        (0.90, 0.10),
        (0.985, 0.0148, 0.0002),
    ),
)
# How many pairs' worth of belief the defaults carry against the block's own data.
PRIOR_STRENGTH = 20.0


@dataclass(frozen=True)
class Fit:
    model: Model
    iterations: int
    converged: bool


def estimate(
    vectors: Sequence[Vector],
    *,
    start: Model = DEFAULT_MODEL,
    strength: float = PRIOR_STRENGTH,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
) -> Fit:
    """EM for the two-class mixture of conditionally independent fields (the
    Fellegi–Sunter model), with Dirichlet/Beta pseudo-counts `strength` × `start`.

    Identical vectors are counted once with their multiplicity, so the cost is the
    number of distinct vectors (at most 4·3·3·4 with missing levels) per iteration,
    whatever the number of pairs."""
    counts: dict[Vector, int] = {}
    for v in vectors:
        counts[v] = counts.get(v, 0) + 1
    model = start
    if not counts:
        return Fit(model, 0, True)
    items = list(counts.items())
    n = float(len(vectors))
    for iteration in range(1, max_iterations + 1):
        g = [(model.raw_probability(v), c) for v, c in items]
        matches = sum(p * c for p, c in g)
        prior = (matches + strength * start.prior) / (n + strength)
        m: list[tuple[float, ...]] = []
        u: list[tuple[float, ...]] = []
        for k, levels in enumerate(LEVELS):
            mk = [strength * start.m[k][lv] for lv in range(levels)]
            uk = [strength * start.u[k][lv] for lv in range(levels)]
            for (v, c), (p, _c) in zip(items, g, strict=True):
                level = v[k]
                if level == MISSING:
                    continue
                mk[level] += p * c
                uk[level] += (1 - p) * c
            m.append(tuple(x / sum(mk) for x in mk))
            u.append(tuple(x / sum(uk) for x in uk))
        new = Model(prior=prior, m=tuple(m), u=tuple(u))
        change = abs(new.prior - model.prior) + sum(
            abs(a - b)
            for new_k, old_k in zip(new.m + new.u, model.m + model.u, strict=True)
            for a, b in zip(new_k, old_k, strict=True)
        )
        model = new
        if change < tolerance:
            return Fit(model, iteration, True)
    return Fit(model, max_iterations, False)


@dataclass(frozen=True)
class Scored:
    left: int
    right: int
    probability: float
    vector: Vector


def one_to_one(pairs: Iterable[Scored], *, threshold: float) -> list[Scored]:
    """Each record in at most one pair: the most probable first (greedy), pairs below
    `threshold` dropped. Ties are broken by the indices, so the result is stable."""
    chosen: list[Scored] = []
    used_left: set[int] = set()
    used_right: set[int] = set()
    ranked = sorted(pairs, key=lambda s: (-s.probability, s.left, s.right))
    for s in ranked:
        if s.probability < threshold:
            break
        if s.left in used_left or s.right in used_right:
            continue
        chosen.append(s)
        used_left.add(s.left)
        used_right.add(s.right)
    return chosen
