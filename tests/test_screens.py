"""The screen library without a terminal: maps, menus, keylist, checks, the command grammar."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from emsterm.cli import cli
from emsterm.resources import data_dir
from emsterm.screens.kit.forms import parse_date, valid_ssn
from emsterm.terminal.commands import Command, parse
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.maps import MapError
from emsterm.terminal.validation import check_field

ALL_ROLES = ("worker", "supervisor", "operator", "admin", "trainer")


def test_every_map_passes_the_checks() -> None:
    library = ScreenLibrary()
    assert library.check() == []
    assert {"EMS0001", "EMS0100", "EMS0210", "EMS0910"} <= set(library.maps)


def test_screens_cli_lists_and_checks() -> None:
    listing = CliRunner().invoke(cli, ["screens", "list"])
    assert listing.exit_code == 0
    assert "EMS0210  EM21  MAP   CASE INQUIRY - HOUSEHOLD SUMMARY" in listing.output
    assert "EMS0100  EM00  MENU  EMS MAIN MENU" in listing.output
    checked = CliRunner().invoke(cli, ["screens", "check"])
    assert checked.exit_code == 0 and "no problems" in checked.output


def _broken_library(tmp_path: Path, name: str, text: str) -> ScreenLibrary:
    folder = tmp_path / "screens"
    shutil.copytree(data_dir("screens"), folder)
    (folder / name).write_text(text)
    return ScreenLibrary(folder)


BAD_MAP = """
id = "EMS0999"
title = "A BROKEN MAP"
transaction = "inquiry.no_such_function"
roles = ["worker"]
keys = ["ENTER", "PF9"]
cursor = "missing"
text = [
  { row = 4, col = 70, value = "TOO LONG FOR THE ROW" },
  { row = 2, col = 1, value = "ON THE COMMAND ROW" },
  { row = 6, col = 10, value = "LABEL" },
]
[fields.a]
row = 6
col = 12
length = 5
attr = ["unprot"]
"""


def test_check_finds_grid_overlap_transaction_and_key_problems(tmp_path: Path) -> None:
    problems = "\n".join(_broken_library(tmp_path, "EMS0999.toml", BAD_MAP).check())
    assert "text 'TOO LONG FOR THE ROW' at row 4, column 70, length 20 is outside" in problems
    assert "text 'ON THE COMMAND ROW' at row 2" in problems
    assert "field a overlaps text 'LABEL' at row 6, column 12" in problems
    assert "transaction inquiry.no_such_function does not exist" in problems
    assert "cursor field missing does not exist" in problems
    assert "key PF9 has no command word" in problems


def test_check_cli_fails_on_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = _broken_library(tmp_path, "EMS0999.toml", BAD_MAP)
    monkeypatch.setattr("emsterm.cli.terminal.ScreenLibrary", lambda: library)
    result = CliRunner().invoke(cli, ["screens", "check"])
    assert result.exit_code == 1
    assert "problems in" in result.output


def test_a_malformed_map_names_its_file(tmp_path: Path) -> None:
    with pytest.raises(MapError, match=r"EMS0998\.toml"):
        _broken_library(tmp_path, "EMS0998.toml", 'id = "EMS0998"\ntitle = "X"\n[fields.a]\nrow = 5\n')


def test_menu_tree_covers_every_area_and_roles() -> None:
    library = ScreenLibrary()
    main = library.main_menu
    labels = [i.label for i in main.items]
    for area in (
        "INQUIRY",
        "APPLICATION / INTAKE",
        "CASE MAINTENANCE",
        "ELIGIBILITY AND BENEFITS",
        "NOTICES",
        "ALERTS AND WORK QUEUE",
        "TABLES AND PARAMETERS",
        "BATCH AND OPERATIONS",
        "CHILD SUPPORT (CCSES)",
        "TRAINING",
        "MANAGEMENT REPORTS",
    ):
        assert area in labels
    assert [i.label for i in main.visible(("operator",))] == ["BATCH AND OPERATIONS", "MANAGEMENT REPORTS"]
    assert [i.label for i in main.visible(("admin",))] == ["NOTICES", "TABLES AND PARAMETERS", "MANAGEMENT REPORTS"]
    assert "MANAGEMENT REPORTS" not in [i.label for i in main.visible(("worker",))]
    assert [i.label for i in main.visible(("trainer",))] == ["TRAINING"]
    supervisor_only = library.menus.menus["ELIG"].visible(("worker",))
    assert "SUPERVISOR OVERRIDE" not in [i.label for i in supervisor_only]
    target = library.walk(main, ["1", "2"], ALL_ROLES)
    assert target is not None and target.map is not None and target.map.id == "EMS0210"
    assert [m.name for m in target.menus] == ["MAIN", "INQUIRY"]
    assert library.walk(main, ["7", "1"], ("worker",)) is None


def test_pf_key_legend_is_built_from_the_accepted_keys() -> None:
    library = ScreenLibrary()
    assert library.keylist.legend(("ENTER", "PF1", "PF3")) == "PF1=HELP PF3=EXIT ENTER=PROCESS"
    assert library.keylist.legend(library.maps["EMS0210"].keys) == (
        "PF1=HELP PF3=EXIT PF4=RETURN PF7=BKWD PF8=FWD PF12=CANCEL ENTER=PROCESS"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", [Command("OPTION", "2")]),
        ("2.3", [Command("OPTION", "2.3")]),
        ("=2.3", [Command("JUMP", "2.3")]),
        ("=x", [Command("SIGNOFF")]),
        ("em21 0012345678", [Command("TRAN", "EM21", "0012345678")]),
        ("end", [Command("WORD", "END")]),
        ("=1;EM21 0012345678", [Command("JUMP", "1"), Command("TRAN", "EM21", "0012345678")]),
        ("hello there", [Command("INVALID", "hello there")]),
        ("", []),
    ],
)
def test_command_grammar(text: str, expected: list[Command]) -> None:
    assert parse(text) == expected


def test_field_checks() -> None:
    assert parse_date("02/29/2024") is not None and parse_date("02/29/2025") is None
    assert valid_ssn("900-12-3456") and valid_ssn("900123456")
    for bad in ("666-12-3456", "000-12-3456", "900-00-3456", "900-12-0000", "90012345", "900-123-456"):
        assert not valid_ssn(bad), bad
    library = ScreenLibrary()
    practice = library.maps["EMS0910"].fields
    assert check_field(practice["case_no"], "12A") == "EMS021E"
    assert check_field(practice["income"], "-5") == "EMS024E"
    assert check_field(practice["income"], "") is None
    assert check_field(practice["name"], " ") == "EMS020E"


CRAMPED_MAP = """
id = "EMS0998"
title = "A CRAMPED MAP"
roles = ["worker"]
text = [
  { row = 4, col = 2, value = "EFFECTIVE ." },
  { row = 6, col = 2, value = "PGM  AMOUNT     NEXT MONTHGRP", style = "heading" },
  { row = 15, col = 2, value = "Y  PROGRAMDESCRIPTION", style = "heading" },
  { row = 16, col = 5, value = "SNAP   FOOD" },
  { row = 17, col = 5, value = "TFA    CASH" },
]
[fields.effective]
row = 4
col = 13
length = 10
attr = ["unprot"]
[lists.rows]
first_row = 7
rows = 3
columns = [
  { name = "program", col = 2, length = 4 },
  { name = "amount", col = 6, length = 10 },
  { name = "next", col = 18, length = 10 },
  { name = "group", col = 29, length = 4 },
]
"""


def test_check_finds_run_together_text_and_misaligned_list_columns(tmp_path: Path) -> None:
    problems = "\n".join(_broken_library(tmp_path, "EMS0998.toml", CRAMPED_MAP).check())
    assert "text 'EFFECTIVE .' runs into field effective at row 4, column 13" in problems
    assert "list rows column program runs into list rows column amount at row 7, column 6" in problems
    assert "list rows column amount: heading 'AMOUNT' neither starts at column 6 nor ends at column 15" in problems
    assert "list rows heading 'MONTHGRP' at column 23 stands over columns next and group" in problems
    assert "heading 'PROGRAMDESCRIPTION' at row 15 runs across the column starting at 12" in problems


LIST_TO_ROW_21 = """
id = "EMS0997"
title = "A LIST DOWN TO ROW 21"
roles = ["worker"]
keys = ["ENTER", "PF7", "PF8"]
text = [
  { row = 21, col = 2, value = "LEFT OF THE INDICATOR" },
]
[lists.rows]
first_row = 8
rows = 14
columns = [
  { name = "name", col = 30, length = 10 },
  { name = "note", col = 45, length = 8 },
]
"""

SHORT_LIST_TEXT_ON_ROW_21 = """
id = "EMS0996"
title = "TEXT WHERE THE INDICATOR GOES"
roles = ["worker"]
keys = ["ENTER", "PF7", "PF8"]
text = [
  { row = 21, col = 60, value = "TOTAL" },
]
[lists.rows]
first_row = 8
rows = 5
columns = [
  { name = "name", col = 30, length = 10 },
]
"""


def test_check_finds_what_the_row_indicator_would_overwrite(tmp_path: Path) -> None:
    problems = _broken_library(tmp_path, "EMS0997.toml", LIST_TO_ROW_21).check()
    under = [p for p in problems if "under the ROW n TO m OF k indicator" in p]
    # the note column (45-52) reaches column 50; the name column and the text stop before it
    assert under == [
        "EMS0997.toml: list rows column note at row 21, columns 45-52 is under the ROW n TO m OF k"
        " indicator (columns 50-80): move it or end the list a row earlier"
    ]
    problems = _broken_library(tmp_path / "text", "EMS0996.toml", SHORT_LIST_TEXT_ON_ROW_21).check()
    assert [p for p in problems if "indicator" in p] == [
        "EMS0996.toml: text 'TOTAL' at row 21, columns 60-64 is under the ROW n TO m OF k"
        " indicator (columns 50-80): move it or end the list a row earlier"
    ]


def test_a_map_without_a_list_may_use_row_21_to_the_edge(tmp_path: Path) -> None:
    text = SHORT_LIST_TEXT_ON_ROW_21.split("[lists.rows]")[0].replace(
        'keys = ["ENTER", "PF7", "PF8"]', 'keys = ["ENTER"]'
    )
    assert not [p for p in _broken_library(tmp_path, "EMS0996.toml", text).check() if "indicator" in p]


def test_autoskip_is_a_true_or_false_on_input_fields_only() -> None:
    from emsterm.terminal.maps import parse_map

    def one_field(**extra: object) -> dict[str, object]:
        return {"id": "EMS0999", "title": "T", "fields": {"a": {"row": 6, "col": 2, "length": 1, **extra}}}

    assert parse_map(one_field(attr=["unprot"], autoskip=True), "x.toml").fields["a"].autoskip
    assert not parse_map(one_field(attr=["unprot"]), "x.toml").fields["a"].autoskip
    with pytest.raises(MapError, match="field a: autoskip must be true or false"):
        parse_map(one_field(attr=["unprot"], autoskip="yes"), "x.toml")
    with pytest.raises(MapError, match="field a: autoskip is only for input"):
        parse_map(one_field(autoskip=True), "x.toml")
    library = ScreenLibrary()
    assert [f.name for f in library.maps["EMS0320"].inputs if f.autoskip] == ["preg", "disab", "blind"]
    assert not any(f.autoskip for f in library.maps["EMS0001"].inputs), "sign-on fields never skip on"
