"""Training regions made ready to teach in: migrated, reference tables loaded, a seeded caseload,
the demo users, and the copy of that state a reset goes back to; trainee user ids in both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from emsterm.database import migrate
from emsterm.database import training as regions_db
from emsterm.database.engine import make_engine, transaction
from emsterm.database.reference import load_reference
from emsterm.model import acting_as
from emsterm.regions import RegionPlace
from emsterm.seed.demo import ensure_demo_users
from emsterm.seed.writer import seed_caseload
from emsterm.services.users import add_trainee, first_password, trainee_ids, trainee_ids_taken

TRAINING_ACTOR = "TRAIN-CLI"
"""Who the audit trail says made a region's users."""


@dataclass(frozen=True)
class MadeRegion:
    """What `make_region` did."""

    place: RegionPlace
    cases: int
    history_months: int
    demo_users: list[str]


def _engine(url: str, create: bool = False) -> Engine:
    return make_engine(url, create=create)


def make_region(place: RegionPlace, cases: int, seed: int, on: dt.date) -> MadeRegion:
    """Make the region's database, seed it for `on` and keep the seeded copy; a region whose making
    fails part way is dropped again, so `ems training create` can simply be run once more."""
    regions_db.make_empty(place)
    try:
        engine = _engine(place.url, create=True)
        try:
            migrate.upgrade(engine)
            load_reference(engine)
            result = seed_caseload(engine, cases, seed, on)
            with acting_as(TRAINING_ACTOR), transaction(engine) as session:
                users = ensure_demo_users(session, on)
        finally:
            engine.dispose()
        regions_db.keep_seed_copy(place)
    except BaseException:
        regions_db.drop(place)
        raise
    return MadeRegion(place, result.cases, result.history_months, users)


def add_region_trainees(place: RegionPlace, count: int, office: str, on: dt.date) -> list[tuple[str, str]]:
    """Add `count` trainee users to the region and to its seeded copy alike (so a reset keeps them,
    with their first passwords to change again); return each one's id and first password."""
    if not regions_db.has_seed_copy(place):
        raise regions_db.RegionMissing(
            f"training region {place.name} does not exist (ems training list shows the regions)"
        )
    engines = [_engine(place.seed_url), _engine(place.url)]
    try:
        with acting_as(TRAINING_ACTOR):
            taken: set[str] = set()
            for engine in engines:
                with transaction(engine) as session:
                    taken |= trainee_ids_taken(session)
            with transaction(engines[0]) as session:
                made = [(user_id, first_password(session, on)) for user_id in trainee_ids(taken, count)]
            for engine in engines:
                with transaction(engine) as session:
                    for user_id, password in made:
                        add_trainee(session, user_id, password, office, on)
    finally:
        for engine in engines:
            engine.dispose()
    return made
