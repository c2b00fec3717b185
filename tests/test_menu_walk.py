"""Every menu option leads to a working screen: none says EMS013I NOT YET AVAILABLE.

Child support's payments and distribution (9.8, part 2 of CCSES) are still to come.
"""

from __future__ import annotations

from emsterm.terminal.library import default_library
from emsterm.terminal.menus import Menu
from tests.pilot import SIZE, make_app, row, sign_on, type_command

EXEMPT = ("9.8",)
USERS = {
    "DEMO": ("worker", "supervisor"),
    "OPER": ("operator",),
    "ADMIN": ("admin",),
    "TRAIN": ("trainer",),
    "CSDEMO": ("csworker", "cssuper"),
}


def _paths(menu: Menu, prefix: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """Every option of the tree below `menu` as a jump path, with the roles that may choose it."""
    library = default_library()
    out = []
    for item in menu.items:
        path = f"{prefix}{item.option}"
        out.append((path, item.roles))
        if item.menu:
            out.extend(_paths(library.menus.menus[item.menu], f"{path}."))
    return out


def _exempt(path: str) -> bool:
    return any(path == e or path.startswith(f"{e}.") for e in EXEMPT)


def test_every_option_is_walked_by_some_user() -> None:
    paths = _paths(default_library().main_menu)
    unwalked = [p for p, roles in paths if not any(set(roles) & set(r) for r in USERS.values())]
    assert unwalked == [] and len(paths) > 60


async def test_every_menu_option_leads_to_a_screen(terminal_db: str) -> None:
    library = default_library()
    paths = _paths(library.main_menu)
    seen: set[str] = set()
    placeholders = []
    for user, roles in USERS.items():
        mine = [p for p, allowed in paths if set(allowed) & set(roles) and not _exempt(p) and p not in seen]
        if not mine:
            continue
        app = make_app(terminal_db)
        async with app.run_test(size=SIZE) as pilot:
            await sign_on(pilot, user=user)
            for path in mine:
                await type_command(pilot, f"={path}")
                message, title = row(app, 23), row(app, 1)
                target = library.walk(library.main_menu, path.split("."), roles)
                assert target is not None, path
                if message.startswith("EMS013I") or target.map is None:
                    placeholders.append(f"{path} ({user}): {message}")
                    continue
                assert title.startswith(target.map.id), f"={path} as {user} shows {title!r}"
                assert not message.startswith(("EMS012E", "EMS999S")), f"={path} as {user}: {message}"
                seen.add(path)
    assert placeholders == []
