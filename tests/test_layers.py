"""The house's layers, as the README's layout section writes them: every import in emsterm/
goes to its own package or to a lower layer, never up, and no modules import each other in a
circle."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "emsterm"


def _layers() -> list[set[str]]:
    """The README's layer list: `N. `name`, `name` ...` lines under "### Layers", top first."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Layers", 1)[1].split("\n#", 1)[0]
    layers = [
        set(re.findall(r"`([a-z_]+)`", line.split("—")[0]))
        for line in section.splitlines()
        if re.match(r"\d+\. ", line)
    ]
    return [layer for layer in layers if layer]


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _part(module: str) -> str:
    """The top part of emsterm a module belongs to: a subpackage, or a module beside them."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "emsterm"


def _imports() -> dict[str, set[str]]:
    """Each emsterm module and the emsterm modules it imports (at any depth of the file)."""
    modules = {_module_of(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                if name.startswith("emsterm") and name != module:
                    graph[module].add(name)
    return graph


def test_the_readme_names_every_part_once() -> None:
    layers = _layers()
    named = [name for layer in layers for name in layer]
    parts = {_part(_module_of(p)) for p in PACKAGE.rglob("*.py")}
    assert sorted(named) == sorted(set(named)), "a part is on two layers"
    assert set(named) == parts


def test_no_import_runs_up_the_layers() -> None:
    floor = {name: index for index, layer in enumerate(_layers()) for name in layer}
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in _imports().items()
        for target in targets
        if _part(module) != _part(target) and floor[_part(target)] <= floor[_part(module)]
    )
    assert upward == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = _imports()
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert circles == []
