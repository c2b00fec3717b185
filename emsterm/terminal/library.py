"""The screen library: every map, the menu tree and the keylist from `screens/`, and its checks.

It answers where a transaction code or menu path leads and whether a user's roles allow it;
`ems screens check` runs `check()` over it.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from emsterm.model import ROLES
from emsterm.resources import data_dir
from emsterm.terminal.keylist import Keylist, load_keylist
from emsterm.terminal.maps import (
    BODY_FIRST,
    BODY_LAST,
    COLS,
    INDICATOR_COL,
    INDICATOR_ROW,
    LEGEND_ROW,
    STATUS_COL,
    ListSpec,
    MapSpec,
    TextSpec,
    load_maps,
)
from emsterm.terminal.menus import Menu, MenuItem, MenuTree, load_menus

MENU_FIRST_ROW = 6
AIDS = {"ENTER", *(f"PF{n}" for n in range(1, 25))}


def resolve_transaction(name: str) -> Callable[..., Any]:
    """The function a map names: `module.function` in `emsterm.screens`."""
    module_name, _, function = name.rpartition(".")
    module = importlib.import_module(f"emsterm.screens.{module_name}")
    handler: object = getattr(module, function)
    if not callable(handler):
        raise TypeError(f"{name} is not callable")
    return handler


def menu_map(menu: Menu, roles: tuple[str, ...] | None = None) -> MapSpec:
    """The map a menu is drawn with: its options as text, the command line as input.

    With `roles`, only the options those roles may use are listed.
    """
    text = [TextSpec(4, 2, "SELECT AN OPTION ON THE COMMAND LINE AND PRESS ENTER", "prompt")]
    items = menu.items if roles is None else tuple(menu.visible(roles))
    for index, item in enumerate(items):
        text.append(TextSpec(MENU_FIRST_ROW + index, 4, f"{item.option:>2}", "bright"))
        text.append(TextSpec(MENU_FIRST_ROW + index, 8, f"{item.label:<28.28}", "bright"))
        text.append(TextSpec(MENU_FIRST_ROW + index, 37, f"{item.description:<43.43}", "label"))
    return MapSpec(
        id=menu.id,
        title=menu.title,
        trancode=menu.trancode,
        roles=tuple(sorted({r for i in menu.items for r in i.roles})),
        keys=("ENTER", "PF1", "PF3", "PF4", "PF12"),
        help=menu.help,
        text=tuple(text),
        source="menus.toml",
    )


@dataclass(frozen=True)
class Target:
    """Where a transaction code or menu path leads."""

    map: MapSpec | None
    item: MenuItem | None
    menus: tuple[Menu, ...]
    """The menus passed on the way (for PF3 to walk back)."""


class ScreenLibrary:
    """Maps, menus and keylist, loaded once."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir("screens")
        self.maps: dict[str, MapSpec] = load_maps(self.folder)
        self.menus: MenuTree = load_menus(self.folder / "menus.toml")
        self.keylist: Keylist = load_keylist(self.folder / "keylist.toml")
        for menu in self.menus.menus.values():
            self.maps[menu.id] = menu_map(menu)
        self.trancodes = {m.trancode: m for m in self.maps.values() if m.trancode}

    @property
    def main_menu(self) -> Menu:
        """The MAIN MENU."""
        return self.menus.menus[self.menus.main]

    def menu_of(self, map_id: str) -> Menu | None:
        """The menu drawn by this map id, if it is a menu."""
        return self.menus.by_id(map_id)

    def walk(self, start: Menu, path: list[str], roles: tuple[str, ...]) -> Target | None:
        """Follow option numbers from a menu; None when an option does not exist or is hidden."""
        menu, passed = start, [start]
        for index, option in enumerate(path):
            item = menu.item(option)
            if item is None or not item.allows(roles):
                return None
            if item.menu:
                menu = self.menus.menus[item.menu]
                passed.append(menu)
                if index == len(path) - 1:
                    return Target(self.maps[menu.id], item, tuple(passed[:-1]))
                continue
            if index != len(path) - 1:
                return None
            return Target(self.trancodes.get(item.trancode), item, tuple(passed))
        return Target(self.maps[menu.id], None, tuple(passed[:-1]))

    def chain_to(self, menu: Menu) -> tuple[Menu, ...]:
        """The menus from MAIN down to `menu`, both included."""
        chain = [menu]
        while (parent := self.menus.parent_of(chain[0].name)) is not None:
            chain.insert(0, parent[0])
        return tuple(chain)

    def menu_path_to(self, map_spec: MapSpec) -> tuple[Menu, ...]:
        """The calling menus of a screen, for PF3 after a fast path: MAIN down to its menu."""
        menu = self.menu_of(map_spec.id)
        if menu is not None:
            return self.chain_to(menu)[:-1]
        for menu in self.menus.menus.values():
            if any(i.trancode and i.trancode == map_spec.trancode for i in menu.items):
                return self.chain_to(menu)
        return (self.main_menu,)

    def allowed(self, map_spec: MapSpec, roles: tuple[str, ...]) -> bool:
        """Whether these roles may use the screen."""
        return map_spec.public or bool(set(map_spec.roles) & set(roles))

    # -- checks ------------------------------------------------------------------------------

    def check(self) -> list[str]:
        """Every problem found in the maps, menus and keylist (empty when all is well)."""
        problems: list[str] = []
        for spec in sorted(self.maps.values(), key=lambda m: m.id):
            problems.extend(self._check_map(spec))
        for menu in self.menus.menus.values():
            options = [i.option for i in menu.items]
            if len(options) != len(set(options)):
                problems.append(f"menus.toml: menu {menu.name} repeats an option")
            if MENU_FIRST_ROW + len(menu.items) - 1 > BODY_LAST:
                problems.append(
                    f"menus.toml: menu {menu.name} has more options than fit on rows {MENU_FIRST_ROW}-{BODY_LAST}"
                )
            for item in menu.items:
                where = f"menus.toml: {menu.name} option {item.option}"
                if bool(item.menu) == bool(item.trancode):
                    problems.append(f"{where}: name exactly one of menu or trancode")
                if item.menu and item.menu not in self.menus.menus:
                    problems.append(f"{where}: no menu named {item.menu}")
                if not item.roles or set(item.roles) - set(ROLES):
                    problems.append(f"{where}: roles must be some of {', '.join(ROLES)}")
                target = self.trancodes.get(item.trancode)
                if target is not None and not set(item.roles) <= set(target.roles):
                    problems.append(
                        f"{where}: roles {sorted(set(item.roles) - set(target.roles))} may not use {target.id}"
                    )
        if self.menus.main not in self.menus.menus:
            problems.append(f"menus.toml: no main menu {self.menus.main}")
        codes = [m.trancode for m in self.maps.values() if m.trancode]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(f"transaction code {code} is used by more than one map")
        return problems

    def _check_map(self, spec: MapSpec) -> list[str]:
        where = spec.source or spec.id
        problems = []
        grid: dict[tuple[int, int], str] = {}

        def place(row: int, col: int, length: int, what: str, first: int = BODY_FIRST, last: int = LEGEND_ROW) -> None:
            if not (first <= row <= last) or col < 1 or col + length - 1 > COLS:
                problems.append(
                    f"{where}: {what} at row {row}, column {col}, length {length}"
                    f" is outside rows {first}-{last} of the 80-column grid"
                )
                return
            for c in range(col, col + length):
                other = grid.get((row, c))
                if other is not None:
                    problems.append(f"{where}: {what} overlaps {other} at row {row}, column {c}")
                    return
                grid[(row, c)] = what

        for text in spec.text:
            place(text.row, text.col, len(text.value), f"text {text.value.strip()[:20]!r}")
        for field in spec.fields.values():
            place(field.row, field.col, field.length, f"field {field.name}")
        for lst in spec.lists.values():
            for r in range(lst.first_row, lst.first_row + lst.rows):
                if lst.select_col:
                    place(r, lst.select_col, 1, f"list {lst.name} select")
                for column in lst.columns:
                    place(r, column.col, column.length, f"list {lst.name} column {column.name}")
        problems.extend(f"{where}: {p}" for p in [*_touching(spec), *_text_tables(spec), *_under_indicator(spec)])
        for lst in spec.lists.values():
            problems.extend(f"{where}: list {lst.name} {p}" for p in _list_layout(spec, lst))
        if spec.cursor and spec.cursor not in spec.fields:
            problems.append(f"{where}: cursor field {spec.cursor} does not exist")
        if unknown := set(spec.keys) - AIDS:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        for aid in spec.keys:
            if aid != "ENTER" and self.keylist.word(aid) is None:
                problems.append(f"{where}: key {aid} has no command word in keylist.toml")
        if not spec.public and (not spec.roles or set(spec.roles) - set(ROLES)):
            problems.append(f"{where}: roles must be some of {', '.join(ROLES)}")
        if spec.transaction:
            try:
                resolve_transaction(spec.transaction)
            except (ImportError, AttributeError, TypeError) as err:
                problems.append(f"{where}: transaction {spec.transaction} does not exist ({err})")
        if len(self.keylist.legend(spec.keys)) > STATUS_COL - 2:
            problems.append(
                f"{where}: the PF key legend is longer than {STATUS_COL - 2} columns (the keyboard status follows it)"
            )
        if len(spec.title) > 40:
            problems.append(f"{where}: title is longer than 40 characters")
        return problems


def _pieces(spec: MapSpec) -> dict[int, list[tuple[int, int, str]]]:
    """What a map paints on each row, as (first column, last column, name), in column order;
    text is taken without its trailing blanks."""
    rows: dict[int, list[tuple[int, int, str]]] = {}
    for text in spec.text:
        value = text.value.rstrip()
        if value.strip():
            rows.setdefault(text.row, []).append((text.col, text.col + len(value) - 1, f"text {value.strip()[:20]!r}"))
    for field in spec.fields.values():
        rows.setdefault(field.row, []).append((field.col, field.col + field.length - 1, f"field {field.name}"))
    for lst in spec.lists.values():
        for r in range(lst.first_row, lst.first_row + lst.rows):
            if lst.select_col:
                rows.setdefault(r, []).append((lst.select_col, lst.select_col, f"list {lst.name} select"))
            for column in lst.columns:
                rows.setdefault(r, []).append(
                    (column.col, column.col + column.length - 1, f"list {lst.name} column {column.name}")
                )
    return {r: sorted(pieces) for r, pieces in rows.items()}


def _under_indicator(spec: MapSpec) -> list[str]:
    """On a map with a list, whatever stands where the `ROW n TO m OF k` indicator is painted
    (row INDICATOR_ROW, columns INDICATOR_COL to 80): the indicator would overwrite it."""
    if not spec.lists:
        return []
    return [
        f"{name} at row {INDICATOR_ROW}, columns {first}-{last} is under the ROW n TO m OF k indicator"
        f" (columns {INDICATOR_COL}-{COLS}): move it or end the list a row earlier"
        for first, last, name in _pieces(spec).get(INDICATOR_ROW, [])
        if last >= INDICATOR_COL
    ]


def _touching(spec: MapSpec) -> list[str]:
    """Pieces of one row with no blank column between them: their contents would read as one
    (`PROGRAMDESCRIPTION`, a label running into its field, one list column into the next)."""
    problems = []
    for row, pieces in sorted(_pieces(spec).items()):
        for (_, end, name), (start, _, following) in itertools.pairwise(pieces):
            if start == end + 1:
                problems.append(f"{name} runs into {following} at row {row}, column {start} (leave a blank column)")
    return problems


def _list_layout(spec: MapSpec, lst: ListSpec) -> list[str]:
    """A list's heading must stand over its columns: each column's heading starts at the column's
    first position (left-aligned data) or ends at its last (right-aligned numbers), or is wider
    than the column on both sides; no heading word stands over two columns."""
    headings = [t for t in spec.text if t.style == "heading" and lst.first_row - 2 <= t.row < lst.first_row]
    if not headings:
        return []
    row = max(t.row for t in headings)
    line = [" "] * (COLS + 2)
    for text in (t for t in headings if t.row == row):
        line[text.col : text.col + len(text.value)] = list(text.value)
    words = [(m.start(), m.end() - 1, m.group()) for m in re.finditer(r"\S+", "".join(line))]
    spans = [(c.col, c.col + c.length - 1, c.name) for c in lst.columns]
    if lst.select_col:
        spans.append((lst.select_col, lst.select_col, "select"))
    problems = []
    for start, end, word in words:
        under = [name for first, last, name in spans if start <= last and end >= first]
        if len(under) > 1:
            problems.append(f"heading {word!r} at column {start} stands over columns {' and '.join(under)}")
    for first, last, name in spans:
        over = [(start, end) for start, end, _ in words if start <= last and end >= first]
        if not over:
            continue
        left, right = over[0][0], over[-1][1]
        if left != first and right != last and not (left < first and right > last):
            heading = "".join(line[left : right + 1])
            problems.append(
                f"column {name}: heading {heading!r} neither starts at column {first} nor ends at column {last}"
            )
    return problems


def _text_tables(spec: MapSpec) -> list[str]:
    """A heading over rows of fixed text (a table painted as text, like EM34's programs): no
    heading word may run across a column that every row below starts."""
    painted: dict[int, list[str]] = {}
    for text in spec.text:
        line = painted.setdefault(text.row, [" "] * (COLS + 2))
        line[text.col : text.col + len(text.value)] = list(text.value)
    problems = []
    for heading in (t for t in spec.text if t.style == "heading"):
        below = []
        row = heading.row + 1
        while row in painted and "".join(painted[row]).strip():
            below.append(painted[row])
            row += 1
        if len(below) < 2 or any(". ." in "".join(r) for r in below):
            continue  # a section heading over labelled fields, not over a table
        starts = [p for p in range(2, COLS + 1) if all(r[p] != " " and r[p - 1] == " " for r in below)]
        for match in re.finditer(r"\S+", heading.value):
            first, last = heading.col + match.start(), heading.col + match.end() - 1
            crossed = [p for p in starts if first < p <= last]
            if crossed:
                problems.append(
                    f"heading {match.group()!r} at row {heading.row} runs across the column starting at {crossed[0]}"
                )
    return problems


@cache
def default_library() -> ScreenLibrary:
    """The library of the installed `screens/` folder, loaded once per process."""
    return ScreenLibrary()
