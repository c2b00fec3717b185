"""SNAP: hand-worked budgets (figures of the month's fiscal year; working in the comments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules.household import household_from_json
from emsterm.rules.snap import determine_snap
from tests.rules.params import params_for


def person(pid: str, age: int = 34, **extra: Any) -> dict[str, Any]:
    """A member for the JSON household."""
    return {"id": pid, "age": age, **extra}


def wages(amount: str) -> list[dict[str, str]]:
    return [{"type": "wages", "monthly": amount}]


def household(members: list[dict[str, Any]], month: str = "2025-03", **extra: Any) -> dict[str, Any]:
    return {"benefit_month": month, "members": members, "programs": ["SNAP"], **extra}


HEAT = {"utilities": "heating"}
# FY2025 (Oct 2024 - Sep 2025): max 292/536/768/975 +220 after 8; standard 204 (1-3), 217 (4);
# heating SUA 950, limited 419, telephone 35; shelter cap 712; minimum 23; 2024 FPG 15,060 +5,380;
# BBCE 200%: 1 = 2,510; gross 130%: 1 = 1,632; net 100%: 1 = 1,255.
CASES: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    # 1200 - 240 - 204 = 756; 900 + 950 = 1850 - 378 = 1472 -> cap 712; net 44; 30% = 13.2 -> 14; 292 - 14
    (
        "one earner, heating SUA, capped shelter",
        household([person("A", income=wages("1200.00"))], shelter={"rent_or_mortgage": "900.00", **HEAT}),
        True,
        "278.00",
        [],
    ),
    ("no income at all", household([person("A")]), True, "292.00", []),
    # 2000 - 400 - 204 = 1396; 1100 + 950 - 698 = 1352 -> 712; net 684; 205.2 -> 206; 768 - 206
    (
        "three people, one earner",
        household(
            [
                person("A", income=wages("2000.00")),
                person("B", 8, relationship="child"),
                person("C", 5, relationship="child"),
            ],
            shelter={"rent_or_mortgage": "1100.00", **HEAT},
        ),
        True,
        "562.00",
        [],
    ),
    # 3200 - 600 - 217 - 300 = 2083; 1400 + 419 - 1041.5 = 777.5 -> 712; net 1371; 411.3 -> 412; 975 - 412
    (
        "four people, child support in, dependent care, limited utilities",
        household(
            [
                person(
                    "A",
                    income=[
                        {"type": "wages", "monthly": "3000.00"},
                        {"type": "child_support_received", "monthly": "200.00"},
                    ],
                ),
                person("B", 6, relationship="child"),
                person("C", 4, relationship="child"),
                person("D", 2, relationship="child"),
            ],
            shelter={"rent_or_mortgage": "1400.00", "utilities": "limited"},
            dependent_care_monthly="300.00",
        ),
        True,
        "563.00",
        [],
    ),
    # gross 2510 = BBCE limit: categorical; net 2510 - 502 - 204 = 1804 -> 30% > max -> minimum 23
    ("gross income at the BBCE limit", household([person("A", income=wages("2510.00"))]), True, "23.00", []),
    (
        "gross income one dollar under the BBCE limit",
        household([person("A", income=wages("2509.00"))]),
        True,
        "23.00",
        [],
    ),
    # 2511 > 2510: not categorical; 2511 > 1632 gross; net 2511 - 502.2 - 204 = 1804.8 -> 1805 > 1255
    (
        "gross income one dollar over the BBCE limit",
        household([person("A", income=wages("2511.00"))]),
        False,
        "0.00",
        ["G01", "N01"],
    ),
    # elderly: 1500 - 204 - (135 - 35) = 1196; 1000 + 950 - 598 = 1352 uncapped; net 0 -> 292
    (
        "elderly, medical deduction, uncapped shelter",
        household(
            [
                person(
                    "A",
                    70,
                    income=[{"type": "social_security", "monthly": "1500.00"}],
                    medical_expenses_monthly="135.00",
                )
            ],
            shelter={"rent_or_mortgage": "1000.00", **HEAT},
        ),
        True,
        "292.00",
        [],
    ),
    # elderly over BBCE (2600): no gross test; 2600 - 204 = 2396; 1500 + 950 - 1198 = 1252; net 1144 <= 1255;
    # 30% = 343.2 -> 344 > 292 -> minimum 23
    (
        "elderly over the BBCE limit passes the net test",
        household(
            [person("A", 65, income=[{"type": "social_security", "monthly": "2600.00"}])],
            shelter={"rent_or_mortgage": "1500.00", **HEAT},
        ),
        True,
        "23.00",
        [],
    ),
    (
        "elderly over the BBCE limit with too many assets",
        household(
            [
                person(
                    "A",
                    65,
                    income=[{"type": "social_security", "monthly": "2600.00"}],
                    assets=[{"type": "bank", "value": "5000.00"}],
                )
            ],
            shelter={"rent_or_mortgage": "1500.00", **HEAT},
        ),
        False,
        "0.00",
        ["A01"],
    ),
    # 2700 - 204 = 2496; rent 1539 + 950 = 2489 - 1248 = 1241; net 1255 = limit; 376.5 -> 377 -> minimum 23
    (
        "elderly net income at the limit",
        household(
            [person("A", 66, income=[{"type": "social_security", "monthly": "2700.00"}])],
            shelter={"rent_or_mortgage": "1539.00", **HEAT},
        ),
        True,
        "23.00",
        [],
    ),
    (
        "elderly net income one dollar over the limit",
        household(
            [person("A", 66, income=[{"type": "social_security", "monthly": "2700.00"}])],
            shelter={"rent_or_mortgage": "1538.00", **HEAT},
        ),
        False,
        "0.00",
        ["N01"],
    ),
    (
        "elderly net income one dollar under the limit",
        household(
            [person("A", 66, income=[{"type": "social_security", "monthly": "2700.00"}])],
            shelter={"rent_or_mortgage": "1540.00", **HEAT},
        ),
        True,
        "23.00",
        [],
    ),
    (
        "elderly assets at the limit",
        household(
            [
                person(
                    "A",
                    65,
                    income=[{"type": "social_security", "monthly": "2600.00"}],
                    assets=[{"type": "bank", "value": "4500.00"}],
                )
            ],
            shelter={"rent_or_mortgage": "1500.00", **HEAT},
        ),
        True,
        "23.00",
        [],
    ),
    # SNAP's "disabled" is receipt (7 CFR 271.2): disabled without SSI or disability benefits is
    # not an elderly or disabled member: no medical deduction, the shelter cap; 1200 - 204 = 996;
    # 1500 + 950 - 498 = 1952 -> 712; net 284; 85.2 -> 86; 292 - 86
    (
        "disabled without disability benefits: shelter capped",
        household(
            [
                person(
                    "A",
                    40,
                    disabled=True,
                    medical_expenses_monthly="135.00",
                    income=[{"type": "unemployment", "monthly": "1200.00"}],
                )
            ],
            shelter={"rent_or_mortgage": "1500.00", **HEAT},
        ),
        True,
        "206.00",
        [],
    ),
    # receiving Social Security disability benefits: uncapped (1952 > 996 - 100 of medical): net 0
    (
        "disabled on Social Security: uncapped shelter",
        household(
            [
                person(
                    "A",
                    40,
                    disabled=True,
                    medical_expenses_monthly="135.00",
                    income=[{"type": "social_security", "monthly": "1200.00"}],
                )
            ],
            shelter={"rent_or_mortgage": "1500.00", **HEAT},
        ),
        True,
        "292.00",
        [],
    ),
    # an ineligible non-citizen head pays 300 of child support: 2 of 3 shares count (273.11(c)(3)):
    # wages 3000 x 2/3 = 2000; 2000 - 400 - 204 - 200 = 1196; rent 900 x 8/9 = 800 + 950 (heat and
    # eat before 07/04/2025) - 598 = 1152 -> 712; net 484; 145.2 -> 146; 536 - 146 (300 in full: 420)
    (
        "child support paid by an ineligible non-citizen head is prorated",
        household(
            [
                person("A", 35, citizen=False, income=wages("3000.00")),
                person("B", 5, relationship="child"),
                person("C", 8, relationship="child"),
            ],
            shelter={"rent_or_mortgage": "900.00", "utilities": "limited"},
            child_support_paid_monthly="300.00",
        ),
        True,
        "390.00",
        [],
    ),
    # a grandchild of 17 in school: her earnings are not counted (273.9(c)(7)); elderly head (62):
    # 1500 - 300 - 204 = 996; 300 + 950 - 498 = 752 uncapped; net 244; 73.2 -> 74; 536 - 74
    (
        "earnings of a grandchild in school are not counted",
        household(
            [
                person("A", 62, income=wages("1500.00")),
                person("K", 17, relationship="other_relative", student=True, income=wages("800.00")),
            ],
            shelter={"rent_or_mortgage": "300.00", **HEAT},
        ),
        True,
        "462.00",
        [],
    ),
    # 3 people, 4000: categorical (<= 4304); 4000 - 800 - 204 = 2996; 898.8 -> 899 > 768; size 3: no minimum
    (
        "benefit below zero for three people",
        household(
            [
                person("A", income=wages("4000.00")),
                person("B", 9, relationship="child"),
                person("C", 7, relationship="child"),
            ]
        ),
        False,
        "0.00",
        ["B02"],
    ),
    ("homeless shelter deduction", household([person("A")], shelter={"homeless": True}), True, "292.00", []),
    # application 03/16: 292 x 16 / 31 = 150.7 -> 150
    ("application month prorated", household([person("A")], application_date="2025-03-16"), True, "150.00", []),
    # 278 x 1 / 31 = 8.97 -> 8, under the $10 smallest issuance
    (
        "prorated under ten dollars is not issued",
        household(
            [person("A", income=wages("1200.00"))],
            application_date="2025-03-31",
            shelter={"rent_or_mortgage": "900.00", **HEAT},
        ),
        True,
        "0.00",
        ["B02"],
    ),
    ("FY2026 maximum from October 2025", household([person("A")], month="2025-11"), True, "298.00", []),
    (
        "FY2024 maximum before October 2024",
        household([person("A"), person("B", 3, relationship="child")], month="2024-03"),
        True,
        "535.00",
        [],
    ),
    # heat and eat: a telephone payer still gets the SUA; 800 - 204 = 596; 700 + 950 - 298 = 1352 -> 712; net 0; 536
    (
        "unemployment, telephone bill only, SUA by heat and eat",
        household(
            [
                person("A", income=[{"type": "unemployment", "monthly": "800.00"}]),
                person("B", 10, relationship="child"),
            ],
            shelter={"rent_or_mortgage": "700.00", "utilities": "telephone"},
        ),
        True,
        "536.00",
        [],
    ),
    # FY2026, no heat and eat without an elderly or disabled member:
    # 1000 - 200 - 209 - 200 = 391; 117.3 -> 118; 298 - 118
    (
        "child support paid deduction",
        household([person("A", income=wages("1000.00"))], month="2025-11", child_support_paid_monthly="200.00"),
        True,
        "180.00",
        [],
    ),
    (
        "ten people: 1756 + 2 x 220",
        household(
            [person("A"), person("B", 40, relationship="spouse")]
            + [person(f"K{n}", n, relationship="child") for n in range(8)]
        ),
        True,
        "2196.00",
        [],
    ),
    # FY2026, TFA 833 listed: 833 - 209 = 624; 187.2 -> 188; 785 - 188
    (
        "TFA counted as unearned income",
        household(
            [
                person("A", income=[{"type": "tfa", "monthly": "833.00"}]),
                person("B", 4, relationship="child"),
                person("C", 1, relationship="child"),
            ],
            month="2025-11",
        ),
        True,
        "597.00",
        [],
    ),
    # non-citizen out of the size, income counted less his own share (500 x 1/2 = 250):
    # 250 - 50 - 204 = -4 -> 0; net 0 -> the full 292
    (
        "ineligible non-citizen left out of the size",
        household([person("A"), person("B", 30, relationship="spouse", citizen=False, income=wages("500.00"))]),
        True,
        "292.00",
        [],
    ),
    # FY2026: 3 in the home, 1 ineligible earning 1500: 1000 counted; 1000 - 200 - 209 = 591; 177.3 -> 178; 546 - 178
    (
        "ineligible non-citizen's pro rata share excluded",
        household(
            [
                person("A"),
                person("K", 6, relationship="child"),
                person("B", 30, relationship="spouse", citizen=False, income=wages("1500.00")),
            ],
            month="2025-11",
        ),
        True,
        "368.00",
        [],
    ),
    ("no eligible member", household([person("A", citizen=False)]), False, "0.00", ["C01"]),
    # FY2026, 3 in the home, B ineligible: income counted 2 of 3 shares (1000); rent taken as paid evenly,
    # B's 1/3 share of it counted 2/3 too: 900 x (1 - 1/9) = 800; 1000 - 200 - 209 = 591;
    # 800 - 295.5 = 504.5; net 86.5 -> 87; 26.1 -> 27; 546 - 27
    (
        "ineligible non-citizen's share of the rent excluded",
        household(
            [
                person("A"),
                person("K", 6, relationship="child"),
                person("B", 30, relationship="spouse", citizen=False, income=wages("1500.00")),
            ],
            month="2025-11",
            shelter={"rent_or_mortgage": "900.00"},
        ),
        True,
        "519.00",
        [],
    ),
    # 7 CFR 273.5: students in higher education 18-49 without an exemption are not in the household
    ("student alone, no exemption", household([person("A", 20, student=True)]), False, "0.00", ["S03"]),
    # 20 hours a week at 7.25: 628.333...; 628.33 is short, 628.34 is enough
    (
        "student earning just under 20 hours at the minimum wage",
        household([person("A", 20, student=True, income=wages("628.33"))]),
        False,
        "0.00",
        ["S03"],
    ),
    (
        "student earning 20 hours at the minimum wage",
        household([person("A", 20, student=True, income=wages("628.34"))]),
        True,
        "292.00",
        [],
    ),
    (
        "student parent of a child under 6",
        household([person("A", 25, student=True), person("K", 3, relationship="child")]),
        True,
        "536.00",
        [],
    ),
    ("student aged 50 is not covered by the rule", household([person("A", 50, student=True)]), True, "292.00", []),
    ("disabled student is exempt", household([person("A", 22, student=True, disabled=True)]), True, "292.00", []),
    (
        "an 18-year-old child in school stays in",
        household([person("A", 40), person("K", 18, relationship="child", student=True)]),
        True,
        "536.00",
        [],
    ),
    # FY2026: student spouse out, B alone earning 900; rent 800 half B's: 400; 900 - 180 - 209 = 511;
    # 400 - 255.5 = 144.5; net 366.5 -> 367; 110.1 -> 111; 298 - 111
    (
        "student spouse out, half the rent counted",
        household(
            [person("A", 25, student=True), person("B", 30, relationship="spouse", income=wages("900.00"))],
            month="2025-11",
            shelter={"rent_or_mortgage": "800.00"},
        ),
        True,
        "187.00",
        [],
    ),
    # 7 CFR 273.9(c)(7): a child of 16 in school earns 300, not counted: 2000 - 400 - 204 = 1396;
    # 950 - 698 = 252; net 1144; 343.2 -> 344; 536 - 344
    (
        "earnings of a child in school not counted",
        household(
            [
                person("A", 40, income=wages("2000.00")),
                person("K", 16, relationship="child", student=True, income=wages("300.00")),
            ]
        ),
        True,
        "192.00",
        [],
    ),
    ("refugee counts", household([person("A", citizen=False, refugee=True)]), True, "292.00", []),
    # FY2026: 600.50 - 209 = 391.50 -> net rounds half up to 392; 117.6 -> 118; 298 - 118
    (
        "net income rounds half up",
        household([person("A", income=[{"type": "other_unearned", "monthly": "600.50"}])], month="2025-11"),
        True,
        "180.00",
        [],
    ),
    # Heat and eat (HEAT_AND_EAT): no utility bills, the SUA all the same: as the one earner with heating, 278
    (
        "heat and eat: no utility bills, SUA",
        household([person("A", income=wages("1200.00"))], shelter={"rent_or_mortgage": "900.00"}),
        True,
        "278.00",
        [],
    ),
    # July 2025 still uses the rows in force on 07/01, before P.L. 119-21 (07/04): 278
    (
        "heat and eat: July 2025 before P.L. 119-21",
        household([person("A", income=wages("1200.00"))], month="2025-07", shelter={"rent_or_mortgage": "900.00"}),
        True,
        "278.00",
        [],
    ),
    # August 2025, no elderly or disabled member, no bills: 1200 - 240 - 204 = 756; 900 - 378 = 522;
    # net 234; 70.2 -> 71; 292 - 71
    (
        "P.L. 119-21: no bills, no allowance",
        household([person("A", income=wages("1200.00"))], month="2025-08", shelter={"rent_or_mortgage": "900.00"}),
        True,
        "221.00",
        [],
    ),
    # FY2026: 1200 - 240 - 209 = 751; 900 - 375.5 = 524.5; net 226.5 -> 227; 68.1 -> 69; 298 - 69
    (
        "P.L. 119-21: no bills, FY2026",
        household([person("A", income=wages("1200.00"))], month="2025-11", shelter={"rent_or_mortgage": "900.00"}),
        True,
        "229.00",
        [],
    ),
    # 900 + LUA 430 - 375.5 = 954.5 -> cap 744; net 7; 2.1 -> 3; 298 - 3
    (
        "P.L. 119-21: limited utilities, LUA",
        household(
            [person("A", income=wages("1200.00"))],
            month="2025-11",
            shelter={"rent_or_mortgage": "900.00", "utilities": "limited"},
        ),
        True,
        "295.00",
        [],
    ),
    # 900 + 36 - 375.5 = 560.5; net 190.5 -> 191; 57.3 -> 58; 298 - 58
    (
        "P.L. 119-21: telephone only",
        household(
            [person("A", income=wages("1200.00"))],
            month="2025-11",
            shelter={"rent_or_mortgage": "900.00", "utilities": "telephone"},
        ),
        True,
        "240.00",
        [],
    ),
    # an elderly member keeps heat and eat: 751; 900 + 976 - 375.5 = 1500.5, no cap; net 0; 298
    (
        "P.L. 119-21: elderly member keeps the SUA",
        household([person("A", 65, income=wages("1200.00"))], month="2025-11", shelter={"rent_or_mortgage": "900.00"}),
        True,
        "298.00",
        [],
    ),
    # own heating costs keep the SUA: 900 + 976 - 375.5 = 1500.5 -> cap 744; net 7; 3; 298 - 3
    (
        "P.L. 119-21: heating costs keep the SUA",
        household(
            [person("A", income=wages("1200.00"))], month="2025-11", shelter={"rent_or_mortgage": "900.00", **HEAT}
        ),
        True,
        "295.00",
        [],
    ),
]


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_snap_budget(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    household_ = household_from_json(data)
    result = determine_snap(household_, params_for(household_.benefit_month))
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)
    assert all(line.label for line in result.budget)


def test_budget_quotes_parameters_with_dates_and_sources() -> None:
    data = household([person("A", income=wages("1200.00"))], shelter={"rent_or_mortgage": "900.00", **HEAT})
    result = determine_snap(household_from_json(data), params_for(household_from_json(data).benefit_month))
    cap = next(line for line in result.budget if "cap" in line.label)
    assert cap.amount == Decimal("712.00")
    assert "SNAP.SHELTER_CAP=712 (from 2024-10-01)" in cap.parameter and cap.source


def _decided(data: dict[str, Any]) -> dict[str, Any]:
    from emsterm.rules.engine import determine

    household_ = household_from_json(data)
    return {d.program: d for d in determine(household_, params_for(household_.benefit_month))}


def test_the_state_supplement_counts_as_unearned_income() -> None:
    """A woman of 70, Social Security 900, rent 400 (March 2025): AABD 580.55 - (900 - 535) =
    215.55. SNAP: 900 + 215.55 = 1,115.55 - 204 = 911.55; 400 + SUA 950 - 455.775 = 894.225
    (no cap, elderly); net 17.325 -> 17; 5.1 -> 6; 292 - 6 = 286 (without the supplement: 292)."""
    data = household(
        [person("A", 70, income=[{"type": "social_security", "monthly": "900.00"}])],
        shelter={"rent_or_mortgage": "400.00"},
        programs=["AABD", "SNAP"],
    )
    decided = _decided(data)
    assert (decided["AABD"].amount, decided["SNAP"].amount) == (Decimal("215.55"), Decimal("286.00"))
    assert any(line.label == "State Supplement (AABD) counted as unearned income" for line in decided["SNAP"].budget)
    assert _decided({**data, "programs": ["SNAP"]})["SNAP"].amount == Decimal("292.00")


def test_a_tfa_household_is_categorically_eligible() -> None:
    """A mother earning 3,600 with a child of 5 (March 2025): over the BBCE line (200% of
    1,762.50 = 3,525) and the 130% gross limit, but TFA pays (earnings under its 230% line
    3,917.67; over 171%, 20% less: 683.8883.. x .8 = 547.11), and a TFA household is
    categorically eligible (7 CFR 273.2(j)(2)). Gross 4,147.11 - 720 - 204 = 3,223.11; no
    shelter; 30% of 3,223 = 967 > 536: the two-person minimum, 23."""
    data = household(
        [person("M", 30, income=wages("3600.00")), person("K", 5, relationship="child")], programs=["TFA", "SNAP"]
    )
    decided = _decided(data)
    assert (decided["TFA"].eligible, decided["TFA"].amount) == (True, Decimal("547.11"))
    snap = decided["SNAP"]
    assert (snap.eligible, snap.amount, snap.reasons) == (True, Decimal("23.00"), [])
    assert any(line.label == "Categorically eligible (receives TFA)" for line in snap.budget)
    alone = _decided({**data, "programs": ["SNAP"]})["SNAP"]
    assert (alone.eligible, alone.reasons) == (False, ["G01", "N01"])


def test_a_household_all_on_ssi_is_categorically_eligible() -> None:
    """A disabled couple, each with SSI 100 and Social Security 1,800 (November 2025): gross
    3,800 is over the BBCE line (3,525); 3,800 - 209 = 3,591 net is over the 100% limit
    (1,763), but every member receives SSI; 30% of 3,591 is over the maximum: the minimum, 24."""
    both = [{"type": "ssi", "monthly": "100.00"}, {"type": "social_security", "monthly": "1800.00"}]
    data = household(
        [
            person("A", 50, disabled=True, income=both),
            person("B", 50, disabled=True, relationship="spouse", income=both),
        ],
        month="2025-11",
    )
    snap = determine_snap(household_from_json(data), params_for(household_from_json(data).benefit_month))
    assert (snap.eligible, snap.amount) == (True, Decimal("24.00"))
    assert any(line.label == "Categorically eligible (every member receives SSI)" for line in snap.budget)
