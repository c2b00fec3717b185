"""Where commands lead, decided by `terminal/navigation.py` without Textual: menus, jumps,
transaction codes, PF3's way back, the refusals and the messages."""

from __future__ import annotations

from emsterm.terminal.commands import parse_one
from emsterm.terminal.library import default_library, menu_map
from emsterm.terminal.navigation import SIGNON, Outcome, Step, Where, back, command, word

LIBRARY = default_library()
WORKER = ("worker",)
MAIN = LIBRARY.main_menu.id


def _on_menu(name: str, roles: tuple[str, ...] = WORKER, stack: tuple[str, ...] = ()) -> Where:
    return Where(menu_map(LIBRARY.menus.menus[name], roles), stack, roles, signed_on=True)


def _on_map(map_id: str, stack: tuple[str, ...] = (), roles: tuple[str, ...] = WORKER) -> Where:
    return Where(LIBRARY.maps[map_id], stack, roles, signed_on=True)


def _go(where: Where, text: str) -> Outcome:
    return command(LIBRARY, where, parse_one(text))


def test_a_jump_shows_the_screen_with_its_menus_as_the_way_back() -> None:
    outcome = _go(_on_map("EMS0210"), "=1.1")
    inquiry = LIBRARY.menus.menus["INQUIRY"].id
    assert outcome == Outcome(Step.SHOW, LIBRARY.trancodes["EM11"].id, stack=(MAIN, inquiry))


def test_an_option_on_a_menu_keeps_the_calling_screens() -> None:
    where = _on_menu("MAIN")
    outcome = _go(where, "1.2")
    inquiry = LIBRARY.menus.menus["INQUIRY"].id
    assert outcome.step is Step.SHOW and outcome.target == "EMS0210"
    assert outcome.stack == (MAIN, inquiry)


def test_an_option_off_a_menu_is_not_a_command() -> None:
    assert _go(_on_map("EMS0210"), "2") == Outcome(Step.SAY, message="EMS011E", ok=False)


def test_a_transaction_code_carries_its_argument_and_its_menu_path() -> None:
    outcome = _go(_on_menu("MAIN"), "EM21 0012345678")
    assert outcome.step is Step.SHOW and outcome.target == "EMS0210" and outcome.argument == "0012345678"
    assert outcome.stack == tuple(m.id for m in LIBRARY.menu_path_to(LIBRARY.trancodes["EM21"]))


def test_unknown_codes_and_options_are_said() -> None:
    assert _go(_on_menu("MAIN"), "EMZZ") == Outcome(Step.SAY, message="EMS014E", fields={"code": "EMZZ"}, ok=False)
    assert _go(_on_menu("MAIN"), "=77") == Outcome(Step.SAY, message="EMS016E", fields={"option": "77"}, ok=False)


def test_what_the_roles_do_not_allow_is_refused_and_named_for_the_audit() -> None:
    operator = ("operator",)
    where = Where(menu_map(LIBRARY.main_menu, operator), (), operator, signed_on=True)
    assert _go(where, "=1.2") == Outcome(Step.REFUSE, refused="=1.2", ok=False)
    assert _go(where, "EM21") == Outcome(Step.REFUSE, refused="EM21", ok=False)


def test_nothing_but_words_before_sign_on() -> None:
    where = Where(LIBRARY.maps[SIGNON])
    assert _go(where, "=1").message == "EMS011E"
    assert _go(where, "=X").message == "EMS011E"


def test_sign_off_by_command() -> None:
    assert _go(_on_menu("MAIN"), "=X") == Outcome(Step.SIGN_OFF, reason="user signed off (=X)")


def test_pf3_goes_back_then_to_the_main_menu_then_signs_off() -> None:
    inquiry = LIBRARY.menus.menus["INQUIRY"].id
    assert back(LIBRARY, _on_map("EMS0210", (MAIN, inquiry))) == Outcome(Step.SHOW, inquiry, stack=(MAIN,))
    assert back(LIBRARY, _on_map("EMS0210")) == Outcome(Step.SHOW, MAIN)
    assert back(LIBRARY, _on_menu("MAIN")).step is Step.SIGN_OFF
    assert back(LIBRARY, Where(LIBRARY.maps[SIGNON])) == Outcome(Step.EXIT)


def test_paging_only_where_there_is_a_list() -> None:
    assert word(LIBRARY, _on_map("EMS0710"), "DOWN") == Outcome(Step.PAGE, "DOWN")
    assert word(LIBRARY, _on_menu("MAIN"), "DOWN") == Outcome(Step.SAY, message="EMS010E", ok=False)


def test_return_empties_the_way_back() -> None:
    assert word(LIBRARY, _on_map("EMS0210", (MAIN,)), "RETURN") == Outcome(Step.SHOW, MAIN, stack=())


def test_a_word_the_screen_does_not_take_is_refused() -> None:
    where = _on_menu("MAIN")
    assert LIBRARY.keylist.aid_for("DOWN") not in where.spec.keys
    assert _go(where, "DOWN").message == "EMS010E"
