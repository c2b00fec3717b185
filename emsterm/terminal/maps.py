"""Screen maps as data: one TOML file per screen in `screens/`, loaded into `MapSpec`s.

Like a BMS map, a `MapSpec` places fixed text and named fields on the 24x80 grid (rows and
columns are 1-based), gives each field its attributes, names the key field that gets the
cursor, the PF keys the screen accepts, its help, and the transaction that processes it.
Rows 1-3 and 23-24 belong to the engine (title, command line, message, key legend and keyboard
status); a map places its body on rows 4-21 and may put a selection legend on row 22.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emsterm import COLS as COLS
from emsterm import ROWS as ROWS

BODY_FIRST, BODY_LAST, LEGEND_ROW = 4, 21, 22
STATUS_COL = 73
"""Row 24 from this column is the keyboard status (X -f, X >, INS); the PF key legend stops two columns before."""
INDICATOR_ROW, INDICATOR_COL = 21, 50
"""Where a map with a list shows `ROW n TO m OF k`, right-aligned up to column 80."""
ATTRIBUTES = {"prot", "unprot", "num", "bright", "dark", "mandatory", "asis"}
PICTURES = {"MM/DD/YYYY", "MM/DD/YY", "MM/YYYY", "SSN", "SSN-MASKED", "MONEY", "UPPER"}
TEXT_STYLES = {"label", "bright", "prompt", "heading"}


class MapError(ValueError):
    """A map file that cannot be loaded; the message names the file and the problem."""


class UnknownFields(LookupError):
    """A transaction's reply named a field or list its map does not have (see
    `MapSpec.unknown_names`): the handler and the map disagree."""


@dataclass(frozen=True)
class TextSpec:
    """Fixed text painted at a position."""

    row: int
    col: int
    value: str
    style: str = "label"


@dataclass(frozen=True)
class FieldSpec:
    """A named field: its position, length, attributes and help."""

    name: str
    row: int
    col: int
    length: int
    attributes: frozenset[str]
    picture: str = ""
    initial: str = ""
    help: str = ""
    label: str = ""
    autoskip: bool = False
    """Whether the cursor skips to the next input field when this one fills (the map says so)."""

    @property
    def protected(self) -> bool:
        """Whether the user cannot type into it."""
        return "unprot" not in self.attributes

    @property
    def numeric(self) -> bool:
        """Whether it accepts digits only."""
        return "num" in self.attributes

    @property
    def mandatory(self) -> bool:
        """Whether Enter requires a value."""
        return "mandatory" in self.attributes

    @property
    def dark(self) -> bool:
        """Whether its content is not displayed (passwords)."""
        return "dark" in self.attributes

    @property
    def asis(self) -> bool:
        """Whether what is typed keeps its case (CICS RECEIVE ASIS); other fields fold to capitals."""
        return "asis" in self.attributes

    @property
    def bright(self) -> bool:
        """Whether it is intensified."""
        return "bright" in self.attributes

    @property
    def title(self) -> str:
        """The name to use in messages: its label, else its name in capitals."""
        return self.label or self.name.replace("_", " ").upper()


@dataclass(frozen=True)
class ColumnSpec:
    """A column of a repeating list."""

    name: str
    col: int
    length: int
    picture: str = ""
    abbreviate: bool = False
    """Free text (a note, an alert's text, a table row's values) that may be longer than the
    column: shown up to a word boundary with `+`. Any other column's data must fit."""

    def overflows(self, value: object) -> bool:
        """Whether a value is longer than the column and the column may not abbreviate it."""
        return not self.abbreviate and len(str(value).rstrip()) > self.length


@dataclass(frozen=True)
class ListSpec:
    """A repeating group of rows, paged with PF7/PF8, optionally with a selection code column."""

    name: str
    first_row: int
    rows: int
    columns: tuple[ColumnSpec, ...]
    select_col: int = 0
    select_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapSpec:
    """One screen."""

    id: str
    title: str
    transaction: str = ""
    trancode: str = ""
    roles: tuple[str, ...] = ()
    public: bool = False
    keys: tuple[str, ...] = ("ENTER", "PF1", "PF3", "PF4", "PF12")
    cursor: str = ""
    help: str = ""
    legend: str = ""
    command_line: bool = True
    """Whether row 2 has the COMMAND ===> field (not on the sign-on screen)."""
    text: tuple[TextSpec, ...] = ()
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    lists: dict[str, ListSpec] = field(default_factory=dict)
    source: str = ""

    @property
    def inputs(self) -> list[FieldSpec]:
        """Unprotected fields in screen order (row, then column)."""
        return sorted((f for f in self.fields.values() if not f.protected), key=lambda f: (f.row, f.col))

    @property
    def selections(self) -> list[FieldSpec]:
        """The one-character selection-code fields of the lists, one a row (`members.sel.0`)."""
        out = []
        for lst in self.lists.values():
            if not lst.select_col:
                continue
            help_text = (
                f"A selection code: {', '.join(lst.select_codes)} (see row 22); then ENTER."
                if lst.select_codes
                else "Put the cursor here and press PF1 to have the row explained (see row 22)."
            )
            for index in range(lst.rows):
                out.append(
                    FieldSpec(
                        name=f"{lst.name}.sel.{index}",
                        row=lst.first_row + index,
                        col=lst.select_col,
                        length=1,
                        attributes=frozenset({"unprot"}),
                        picture="UPPER",
                        help=help_text,
                        label="SELECTION CODE",
                    )
                )
        return out

    @property
    def all_inputs(self) -> list[FieldSpec]:
        """Fields and selection codes together, in screen order."""
        return sorted([*self.inputs, *self.selections], key=lambda f: (f.row, f.col))

    def unknown_names(
        self,
        values: Iterable[str] = (),
        lists: Iterable[str] = (),
        fields: Iterable[str] = (),
    ) -> list[str]:
        """The names a transaction's reply gives that this map does not have: `values` must be
        fields, `lists` lists, and `fields` (errors, cursor, fields to clear) fields or
        selection codes. A reply naming any of them is a programming error, never dropped."""
        selections = {s.name for s in self.selections}
        unknown = [n for n in values if n not in self.fields]
        unknown += [n for n in lists if n not in self.lists]
        unknown += [n for n in fields if n and n not in self.fields and n not in selections]
        return sorted(set(unknown))


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise MapError(f"{where}: missing '{key}'")
    return data[key]


def parse_map(data: dict[str, Any], source: str) -> MapSpec:
    """Build a MapSpec from the parsed TOML of one map file."""
    try:
        fields = {}
        for name, raw in data.get("fields", {}).items():
            where = f"{source}: field {name}"
            attributes = frozenset(raw.get("attr", ["prot"]))
            unknown = attributes - ATTRIBUTES
            if unknown:
                raise MapError(f"{where}: unknown attributes {sorted(unknown)}")
            picture = raw.get("picture", "")
            if picture and picture not in PICTURES:
                raise MapError(f"{where}: unknown picture {picture!r}")
            autoskip = raw.get("autoskip", False)
            if not isinstance(autoskip, bool):
                raise MapError(f"{where}: autoskip must be true or false, not {autoskip!r}")
            if autoskip and "unprot" not in attributes:
                raise MapError(f"{where}: autoskip is only for input (unprot) fields")
            fields[name] = FieldSpec(
                name=name,
                row=int(_require(raw, "row", where)),
                col=int(_require(raw, "col", where)),
                length=int(_require(raw, "length", where)),
                attributes=attributes,
                picture=picture,
                initial=str(raw.get("initial", "")),
                help=raw.get("help", ""),
                label=raw.get("label", ""),
                autoskip=autoskip,
            )
        lists = {}
        for name, raw in data.get("lists", {}).items():
            where = f"{source}: list {name}"
            select = raw.get("select", {})
            lists[name] = ListSpec(
                name=name,
                first_row=int(_require(raw, "first_row", where)),
                rows=int(_require(raw, "rows", where)),
                columns=tuple(
                    ColumnSpec(
                        c["name"],
                        int(c["col"]),
                        int(c["length"]),
                        c.get("picture", ""),
                        bool(c.get("abbreviate", False)),
                    )
                    for c in _require(raw, "columns", where)
                ),
                select_col=int(select.get("col", 0)),
                select_codes=tuple(select.get("codes", ())),
            )
        text = tuple(
            TextSpec(int(t["row"]), int(t["col"]), t["value"], t.get("style", "label")) for t in data.get("text", [])
        )
        return MapSpec(
            id=_require(data, "id", source),
            title=_require(data, "title", source),
            transaction=data.get("transaction", ""),
            trancode=data.get("trancode", ""),
            roles=tuple(data.get("roles", ())),
            public=bool(data.get("public", False)),
            keys=tuple(data.get("keys", MapSpec.keys)),
            cursor=data.get("cursor", ""),
            help=data.get("help", ""),
            legend=data.get("legend", ""),
            command_line=bool(data.get("command_line", True)),
            text=text,
            fields=fields,
            lists=lists,
            source=source,
        )
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, MapError):
            raise
        raise MapError(f"{source}: {err}") from None


def load_maps(folder: Path) -> dict[str, MapSpec]:
    """Every map in `folder`, by map id: EMS's `EMS*.toml` and CCSES's `CS*.toml`."""
    maps: dict[str, MapSpec] = {}
    for path in sorted([*folder.glob("EMS*.toml"), *folder.glob("CS*.toml")]):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise MapError(f"{path.name}: {err}") from None
        spec = parse_map(data, path.name)
        if spec.id in maps:
            raise MapError(f"{path.name}: map id {spec.id} is also in {maps[spec.id].source}")
        maps[spec.id] = spec
    return maps
