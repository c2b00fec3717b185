"""ParameterSet: the version in force when an upgraded database holds overlapping versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emsterm.rules.parameters import Parameter, ParameterMissing, ParameterSet


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


def test_a_derived_figure_is_worked_out_once_per_set() -> None:
    calls: list[tuple[str, int]] = []

    def doubled(params: ParameterSet, name: str, size: int) -> Decimal:
        calls.append((name, size))
        return params.value("SAGA", name, "UNEMPLOYABLE_OR_PAYS_SHELTER") * 2 * size

    params = ParameterSet(dt.date(2025, 3, 1), [version("219", "2016-01-01")])
    assert params.derived(doubled, "CASH_STANDARD", 1) == Decimal("438")
    assert params.derived(doubled, "CASH_STANDARD", 1) == Decimal("438")
    assert params.derived(doubled, "CASH_STANDARD", 2) == Decimal("876")
    assert calls == [("CASH_STANDARD", 1), ("CASH_STANDARD", 2)]
    other = ParameterSet(dt.date(2025, 3, 1), [version("200", "2008-10-01")])
    assert other.derived(doubled, "CASH_STANDARD", 1) == Decimal("400")


def test_a_derived_figure_missing_a_parameter_is_not_kept() -> None:
    def missing(params: ParameterSet, name: str, size: int) -> Decimal:
        return params.value("SAGA", name)

    params = ParameterSet(dt.date(2025, 3, 1), [])
    for _ in range(2):
        with pytest.raises(ParameterMissing, match=r"SAGA\.NOPE is not in force on 2025-03-01"):
            params.derived(missing, "NOPE", 1)
