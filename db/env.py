"""Alembic environment for the EMS database: the engine comes from `emsterm.database.migrate`."""

from __future__ import annotations

from typing import Any

from alembic import context

from emsterm.model import metadata
from emsterm.model.types import CodeString, DecimalText, Money


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render emsterm's column types as their plain storage types in migration scripts."""
    if type_ == "type" and isinstance(obj, Money):
        return "sa.BigInteger()"
    if type_ == "type" and isinstance(obj, DecimalText):
        return "sa.String(length=32)"
    if type_ == "type" and isinstance(obj, CodeString):
        return f"sa.String(length={obj.length})"
    return False


def run_migrations_online() -> None:
    """Run the migrations over the engine the caller configured."""
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
