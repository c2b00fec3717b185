"""The menu tree (`screens/menus.toml`): menus, their options, and who may see each option.

An option leads to a submenu (`menu`) or to a transaction code (`trancode`). A transaction
code that no map implements yet is shown, and choosing it says it is not yet available.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from emsterm.terminal.maps import MapError


@dataclass(frozen=True)
class MenuItem:
    """One option of a menu."""

    option: str
    label: str
    description: str
    roles: tuple[str, ...]
    menu: str = ""
    trancode: str = ""

    def allows(self, roles: tuple[str, ...] | list[str]) -> bool:
        """Whether a user with these roles may see and choose the option."""
        return bool(set(self.roles) & set(roles))


@dataclass(frozen=True)
class Menu:
    """A menu screen: its map id, transaction code, title and options."""

    name: str
    id: str
    trancode: str
    title: str
    items: tuple[MenuItem, ...]
    help: str = ""

    def item(self, option: str) -> MenuItem | None:
        """The option with this number, if any."""
        return next((i for i in self.items if i.option == option), None)

    def visible(self, roles: tuple[str, ...] | list[str]) -> list[MenuItem]:
        """The options a user with these roles sees."""
        return [i for i in self.items if i.allows(roles)]


@dataclass(frozen=True)
class MenuTree:
    """All menus, the main menu first."""

    menus: dict[str, Menu]
    main: str

    def by_id(self, map_id: str) -> Menu | None:
        """The menu whose screen id is `map_id`."""
        return next((m for m in self.menus.values() if m.id == map_id), None)

    def parent_of(self, name: str) -> tuple[Menu, MenuItem] | None:
        """The menu and option that lead to the menu `name`."""
        for menu in self.menus.values():
            for item in menu.items:
                if item.menu == name:
                    return menu, item
        return None


def load_menus(path: Path) -> MenuTree:
    """Read the menu tree from its TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        menus = {}
        for raw in data["menus"]:
            items = tuple(
                MenuItem(
                    option=str(i["option"]),
                    label=i["label"],
                    description=i.get("description", ""),
                    roles=tuple(i["roles"]),
                    menu=i.get("menu", ""),
                    trancode=i.get("trancode", ""),
                )
                for i in raw["items"]
            )
            menus[raw["name"]] = Menu(
                raw["name"], raw["id"], raw.get("trancode", ""), raw["title"], items, raw.get("help", "")
            )
        return MenuTree(menus, data.get("main", "MAIN"))
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as err:
        raise MapError(f"{path.name}: {err}") from None
