"""The precision-coverage chart's axes start a 5% step below its lowest point, so curves that
all lie high up are not squeezed into a corner (review bug 12)."""

from __future__ import annotations

import pytest

from models_hub.views.hub.charts import _curve_axes


def _dataset(points):
    return {"points": [{"x": x, "y": y, "threshold": 0.5} for x, y in points]}


def test_axes_start_just_below_the_lowest_point():
    axes = _curve_axes([_dataset([(0.78, 0.93), (1.0, 0.91)]), _dataset([(0.9, 0.96)])])

    assert axes["x_min"] == pytest.approx(0.70)
    assert axes["y_min"] == pytest.approx(0.85)


def test_axes_never_start_below_zero_and_no_points_means_the_default():
    assert _curve_axes([_dataset([(0.02, 0.01)])]) == {"x_min": 0.0, "y_min": 0.0}
    assert _curve_axes([]) == {}
