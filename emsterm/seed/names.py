"""Name and street pools drawn from Faker's census-weighted name lists."""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from faker.providers.person.en_US import Provider as EnglishNames
from faker.providers.person.es_MX import Provider as SpanishNames

_SUFFIXES = ("St", "St", "St", "Ave", "Ave", "Rd", "Rd", "Dr", "Ln", "Ct", "Pl", "Ter", "Way", "Blvd")
_COMMON_STREETS = (
    "Main St",
    "Park St",
    "Broad St",
    "Elm St",
    "Maple Ave",
    "Washington St",
    "Franklin Ave",
    "Prospect St",
    "Church St",
    "High St",
    "Oak St",
    "Center St",
    "Chapel St",
    "Whalley Ave",
    "Albany Ave",
    "Fairfield Ave",
    "Wethersfield Ave",
    "Farmington Ave",
    "Boston Post Rd",
)


@dataclass(frozen=True)
class Weighted:
    """Values with cumulative weights, for fast weighted draws."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, weights: dict[str, float]) -> Weighted:
        """Build from a name -> weight mapping."""
        return cls(tuple(weights), tuple(accumulate(weights.values())))

    def draw(self, rng: random.Random) -> str:
        """One weighted draw."""
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


ENGLISH_FEMALE = Weighted.of(dict(EnglishNames.first_names_female))
ENGLISH_MALE = Weighted.of(dict(EnglishNames.first_names_male))
ENGLISH_LAST = Weighted.of(dict(EnglishNames.last_names))
SPANISH_FEMALE = Weighted.of(dict.fromkeys(SpanishNames.first_names_female, 1.0))
SPANISH_MALE = Weighted.of(dict.fromkeys(SpanishNames.first_names_male, 1.0))
SPANISH_LAST = Weighted.of(dict.fromkeys(SpanishNames.last_names, 1.0))


def street_pool(rng: random.Random, size: int = 600) -> list[str]:
    """Street names: the common ones of Connecticut towns plus names drawn from the lists."""
    streets = list(_COMMON_STREETS)
    while len(streets) < size:
        stem = ENGLISH_LAST.draw(rng) if rng.random() < 0.7 else ENGLISH_MALE.draw(rng)
        streets.append(f"{stem} {rng.choice(_SUFFIXES)}")
    return streets
