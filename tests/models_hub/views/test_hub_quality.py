"""Production quality per version: maintainers' decisions on its label suggestions against what
its k-fold evaluation promised, flagged when they diverge, in two queries for any versions."""

from __future__ import annotations

import pytest

from models_hub.selectors.quality import (
    CurvePoint,
    calibrated_threshold,
    curve_at,
    production_quality,
)
from tests.factories import ModelVersionFactory, RepositoryFactory
from tests.models_hub.scenarios.hub import CURVE, evaluated_metrics, triage_decisions

pytestmark = pytest.mark.django_db


def test_online_precision_and_coverage_come_from_decisions_and_abstentions():
    version = ModelVersionFactory(metrics=evaluated_metrics(0.8))
    triage_decisions(version, accepted=3, rejected=1, undecided=2, abstained=2)

    [quality] = production_quality(versions=[version])

    assert (quality.decided, quality.accepted) == (4, 3)
    assert quality.online_precision == 0.75
    assert (quality.triaged, quality.labelled) == (8, 6)
    assert quality.online_coverage == 0.75
    assert quality.offline_macro_f1 == 0.8
    # Calibrated threshold 0.55: the curve point sampled at 0.55.
    assert quality.threshold == 0.55
    assert quality.offline_precision == CURVE[11]["precision"]
    assert quality.offline_coverage == CURVE[11]["coverage"]
    assert not quality.diverges  # 4 decisions say too little


def test_a_version_whose_online_precision_falls_short_is_flagged_once_enough_were_decided():
    repository = RepositoryFactory()
    fine = ModelVersionFactory(repository=repository, version=1, metrics=evaluated_metrics(0.8))
    worse = ModelVersionFactory(repository=repository, version=2, metrics=evaluated_metrics(0.8))
    few = ModelVersionFactory(repository=repository, version=3, metrics=evaluated_metrics(0.8))
    offline = CURVE[11]["precision"]  # 0.7833
    # Coverage as evaluated (about 56%); precision 0.80, 0.50 (28 points below), 0.11 (but
    # only 9 decisions).
    triage_decisions(fine, accepted=8, rejected=2, abstained=8)
    triage_decisions(worse, accepted=6, rejected=6, abstained=9)
    triage_decisions(few, accepted=1, rejected=8, abstained=7)

    by_number = {q.version.version: q for q in production_quality(versions=[fine, worse, few])}

    assert not by_number[1].diverges
    assert by_number[2].diverges and offline - 0.5 > 0.1
    assert (
        "Online precision 50% is more than 10 points below the offline 78%"
        in (by_number[2].divergence[0])
    )
    assert not by_number[3].diverges


def test_coverage_far_from_the_offline_coverage_is_flagged():
    version = ModelVersionFactory(metrics=evaluated_metrics(0.8))
    triage_decisions(version, accepted=2, rejected=0, abstained=10)  # labels 2 of 12: 17% vs 56%

    [quality] = production_quality(versions=[version])

    assert quality.diverges
    assert quality.divergence == [
        "Online coverage 17% is far from the offline 56% at threshold 0.55 (12 issues triaged)."
    ]


def test_versions_never_used_in_triage_or_never_evaluated_have_no_figures():
    unevaluated = ModelVersionFactory(metrics={"evaluated": False, "reason": "too few"})

    [quality] = production_quality(versions=[unevaluated])

    assert quality.online_precision is None and quality.online_coverage is None
    assert quality.offline_precision is None and quality.threshold is None
    assert quality.curve == [] and not quality.in_production and not quality.diverges


def test_two_queries_for_any_number_of_versions(django_assert_num_queries):
    repository = RepositoryFactory()
    versions = [
        ModelVersionFactory(repository=repository, version=n, metrics=evaluated_metrics(0.7))
        for n in range(1, 8)
    ]
    for version in versions[:3]:
        triage_decisions(version, accepted=2, rejected=1, abstained=1)

    with django_assert_num_queries(2):
        qualities = production_quality(versions=versions)

    assert [q.decided for q in qualities] == [3, 3, 3, 0, 0, 0, 0]


def test_the_threshold_comes_from_metrics_then_metadata_and_picks_the_curve_point_below():
    version = ModelVersionFactory(metrics={}, metadata={"threshold": "0.42"})
    assert calibrated_threshold(version) == 0.42
    version.metrics = {"threshold": 0.6}
    assert calibrated_threshold(version) == 0.6
    curve = [CurvePoint(0.0, 1.0, 0.5), CurvePoint(0.4, 0.7, 0.8), CurvePoint(0.45, 0.6, 0.85)]
    assert curve_at(curve, 0.42).threshold == 0.4
    assert curve_at(curve, 0.45).threshold == 0.45
    assert curve_at(curve, None) is None
