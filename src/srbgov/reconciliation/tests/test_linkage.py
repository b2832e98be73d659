"""The Fellegi–Sunter model and its EM (reconciliation/linkage.py): properties over
arbitrary records and vectors, and recovery of known parameters."""

from __future__ import annotations

import ast
import random
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.reconciliation import linkage
from srbgov.reconciliation.linkage import (
    DEFAULT_MODEL,
    LEVELS,
    MISSING,
    Person,
    Scored,
    compare,
    compare_birth_dates,
    compare_names,
    estimate,
    one_to_one,
)

NAMES = st.text(alphabet="王李张刘陈杨赵黄周吴丽莉芳娟鹃敏静红梅 a", max_size=4)
DATES = st.dates(min_value=date(1970, 1, 1), max_value=date(2030, 12, 31))
PEOPLE = st.builds(
    Person,
    name=NAMES,
    event_on=DATES,
    village=st.sampled_from(["", "520999101201", "520999101202"]),
    birth_on=st.none() | DATES,
)
VECTORS = st.tuples(
    *[st.integers(min_value=-1, max_value=levels - 1) for levels in LEVELS]
)


@given(PEOPLE, PEOPLE)
def test_comparison_and_probability_are_symmetric(a: Person, b: Person) -> None:
    assert compare(a, b) == compare(b, a)
    assert DEFAULT_MODEL.probability(compare(a, b)) == DEFAULT_MODEL.probability(
        compare(b, a)
    )


@given(PEOPLE)
def test_a_record_agrees_fully_with_itself(a: Person) -> None:
    vector = compare(a, a)
    for k, level in enumerate(vector):
        assert level in (MISSING, LEVELS[k] - 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(VECTORS, min_size=1, max_size=300), VECTORS, st.data())
def test_the_fitted_probability_is_monotone_in_agreement(
    sample: list[tuple[int, ...]], vector: tuple[int, ...], data: st.DataObject
) -> None:
    model = estimate(sample).model
    k = data.draw(st.integers(min_value=0, max_value=len(LEVELS) - 1))
    if vector[k] in (MISSING, LEVELS[k] - 1):
        return
    better = tuple(v + 1 if i == k else v for i, v in enumerate(vector))
    assert model.probability(better) >= model.probability(vector)
    assert 0.0 <= model.probability(vector) <= 1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(VECTORS, max_size=200))
def test_the_fitted_model_holds_distributions(sample: list[tuple[int, ...]]) -> None:
    fit = estimate(sample)
    assert 0 < fit.model.prior < 1
    for ms, us, levels in zip(fit.model.m, fit.model.u, LEVELS, strict=True):
        assert len(ms) == len(us) == levels
        assert abs(sum(ms) - 1) < 1e-9 and abs(sum(us) - 1) < 1e-9
        assert all(0 < x < 1 for x in (*ms, *us))


def test_em_recovers_the_parameters_that_generated_the_pairs() -> None:
    """2,000 pairs, 10% true matches, drawn from known m and u: EM finds λ and the
    top-level m of the name within a few points, from the default start."""
    rnd = random.Random(7)
    true_m = (
        (0.02, 0.05, 0.13, 0.80),
        (0.05, 0.15, 0.80),
        (0.1, 0.9),
        (0.03, 0.07, 0.9),
    )
    true_u = (
        (0.9, 0.07, 0.02, 0.01),
        (0.5, 0.4, 0.1),
        (0.85, 0.15),
        (0.98, 0.015, 0.005),
    )

    def draw(p: tuple[float, ...]) -> int:
        return rnd.choices(range(len(p)), weights=p)[0]

    vectors = []
    for _ in range(2000):
        source = true_m if rnd.random() < 0.1 else true_u
        vectors.append(tuple(draw(p) for p in source))
    fit = estimate(vectors)
    assert fit.converged
    assert abs(fit.model.prior - 0.1) < 0.03
    assert abs(fit.model.m[0][3] - 0.80) < 0.08
    assert abs(fit.model.u[0][0] - 0.90) < 0.03


def test_names_compare_by_characters_then_sound_then_pinyin_similarity() -> None:
    assert compare_names("王丽", "王丽") == linkage.NAME_SAME
    assert compare_names("王丽", "王莉") == linkage.NAME_SAME_SOUND
    assert compare_names("张晓丽", "张小莉") == linkage.NAME_SAME_SOUND
    assert compare_names("王丽", "王丽娟") == linkage.NAME_SIMILAR
    assert compare_names("王丽", "李娜") == linkage.NAME_DIFFERENT
    assert compare_names("", "李娜") == MISSING


def test_birth_dates_forgive_one_slip() -> None:
    assert compare_birth_dates(date(1995, 3, 8), date(1995, 8, 3)) == linkage.BIRTH_TYPO
    assert compare_birth_dates(date(1995, 3, 8), date(1996, 3, 8)) == linkage.BIRTH_TYPO
    assert (
        compare_birth_dates(date(1995, 3, 8), date(1990, 1, 1))
        == linkage.BIRTH_DIFFERENT
    )


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.floats(0, 1))))
def test_one_to_one_uses_each_record_once_and_keeps_the_best(
    raw: list[tuple[int, int, float]],
) -> None:
    scored = [Scored(i, j, p, ()) for i, j, p in raw]
    chosen = one_to_one(scored, threshold=0.2)
    assert len({s.left for s in chosen}) == len(chosen)
    assert len({s.right for s in chosen}) == len(chosen)
    assert all(s.probability >= 0.2 for s in chosen)
    if any(s.probability >= 0.2 for s in scored):
        assert max(s.probability for s in chosen) == max(s.probability for s in scored)


def test_the_linkage_module_imports_no_django_and_no_srbgov_app() -> None:
    tree = ast.parse(Path(linkage.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"django", "srbgov", "rest_framework"}, imported
