"""ParameterSet: the version in force when an upgraded database holds overlapping versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emsterm.rules.parameters import Parameter, ParameterSet


def version(value: str, start: str) -> Parameter:
    return Parameter(
        "SAGA",
        "CASH_STANDARD",
        "UNEMPLOYABLE_OR_PAYS_SHELTER",
        Decimal(value),
        "USD",
        dt.date.fromisoformat(start),
        "test",
    )


@pytest.mark.parametrize("order", [("200", "219"), ("219", "200")])
def test_the_later_of_two_overlapping_versions_is_in_force(order: tuple[str, str]) -> None:
    rows = {"200": version("200", "2008-10-01"), "219": version("219", "2016-01-01")}
    params = ParameterSet(dt.date(2025, 3, 1), (rows[v] for v in order))
    assert params.value("SAGA", "CASH_STANDARD", "UNEMPLOYABLE_OR_PAYS_SHELTER") == Decimal("219")
    assert params.keys("SAGA", "CASH_STANDARD") == ["UNEMPLOYABLE_OR_PAYS_SHELTER"]
