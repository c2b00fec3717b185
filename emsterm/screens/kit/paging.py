"""Paging a screen's list: PF7/PF8 over a query or a list in hand, and the messages at its ends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from emsterm.screens.kit.conversation import ListPage, Message, Request
from emsterm.screens.kit.messages import Catalog


def turn_page(request: Request, first: int, size: int, total: int, catalog: Catalog) -> tuple[int, Message | None]:
    """PF7/PF8 on a list: the new first row, and the message at either end of the list."""
    if request.aid == "DOWN":
        if first + size <= total:
            return first + size, None
        return first, catalog.message("EMS040I")
    if request.aid == "UP":
        if first > 1:
            return max(1, first - size), None
        return first, catalog.message("EMS041I")
    return first, None


T = TypeVar("T")


def page_items(
    request: Request, state: dict[str, Any], items: Sequence[T], name: str, catalog: Catalog, size: int = 14
) -> tuple[list[T], int, Message | None]:
    """One page of a list already in hand (`page_of` pages a query) for the map's list `name`:
    PF7/PF8 turn from the first row kept in `state["first"]` (updated); returns the page's
    items, its first row and the message at either end of the list."""
    size = request.page_sizes.get(name, size)
    first, message = turn_page(request, int(state.get("first", 1)), size, len(items), catalog)
    state["first"] = first
    return list(items[first - 1 : first - 1 + size]), first, message


def page_of(
    session: Session,
    request: Request,
    query: Select[*tuple[Any, ...]],
    first: int,
    size: int,
    row: Callable[[Any], dict[str, str]],
    catalog: Catalog,
) -> tuple[ListPage, Message | None]:
    """One page of a query's results as list rows: PF7/PF8 turn from `first`; the message says
    when the top or the end of the list has been reached."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    first, message = turn_page(request, first, size, total, catalog)
    results = session.execute(query.offset(first - 1).limit(size)).all()
    return ListPage([row(r) for r in results], first, total), message
