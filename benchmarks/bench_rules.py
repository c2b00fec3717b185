"""Benchmark: determinations per second, rules alone, on one core (no database, no I/O).

Builds 20,000 varied households, then decides every program for each of them with the
parameters of one benefit month, three times over; the best round is the figure. Target: at least
10,000 households per second.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from emsterm.rules.engine import determine
from emsterm.rules.household import Household, Income, Person, Shelter
from emsterm.rules.programs import CODES

TARGET = 10_000
COUNT = 20_000
ROUNDS = 3
"""The best round counts: the machine's other work only ever slows a round down."""
MONTH = dt.date(2025, 3, 1)


def households(count: int, seed: int = 1) -> list[Household]:
    """Varied households: sizes 1-6, earners, benefits, shelter, elderly members."""
    rng = random.Random(seed)
    programs = CODES
    made = []
    for _ in range(count):
        size = rng.choice((1, 1, 1, 2, 2, 3, 3, 4, 5, 6))
        members = []
        for n in range(size):
            age = rng.randrange(19, 90) if n == 0 else rng.randrange(0, 17)
            income: tuple[Income, ...] = ()
            if n == 0 and rng.random() < 0.6:
                kind = "social_security" if age >= 65 else rng.choice(("wages", "wages", "unemployment"))
                income = (Income(kind, Decimal(rng.randrange(20000, 400000)) / 100),)
            members.append(Person(id=str(n), age=age, relationship="self" if n == 0 else "child", income=income))
        shelter = Shelter(
            Decimal(rng.randrange(0, 2000)), Decimal("0"), rng.choice(("heating", "limited", "telephone", "none"))
        )
        made.append(Household(MONTH, tuple(members), shelter=shelter, programs=programs))
    return made


def main() -> int:
    """Time the rules and print the figure."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.rules.params import params_for

    params = params_for(MONTH)
    sample = households(COUNT)
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for household in sample:
            determine(household, params)
        rates.append(COUNT / (time.perf_counter() - started))
    rate = max(rates)
    print(f"rules benchmark ({', '.join(CODES)}): {COUNT:,} households, best of {ROUNDS} rounds")
    print(f"  determinations   {rate:10,.0f} households/s   (target >= {TARGET:,}, one core, rules alone)")
    print(f"  all rounds       {', '.join(f'{r:,.0f}' for r in rates)}")
    print("  targets met" if rate >= TARGET else "  TARGET MISSED")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
