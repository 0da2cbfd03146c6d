"""The shape of the code: no import circle, the shared package imports no domain app, no module over 500 lines.

Also run as `./dev check-architecture`, which prints the same findings without pytest (standard library only).
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lanshan_party", "organizations", "members", "activities", "services", "inflow", "tests")
APPS = ("organizations", "members", "activities", "services", "inflow")
MAX_LINES = 500
SKIPPED_DIRS = {".venv", "migrations", "node_modules", "build", "__pycache__", ".git"}


def python_files() -> Iterator[Path]:
    """Every .py file of the project outside migrations and the virtual environment."""
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """{dotted name: file} of the project's own packages (migrations left out: Django imports them, nobody else)."""
    return {module_name(path): path for path in python_files() if path.relative_to(ROOT).parts[0] in PACKAGES}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_time_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run when the module is imported: the top level, class bodies and the branches of
    top-level `if`/`try`/`with`, but not function bodies nor `if TYPE_CHECKING:` blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _import_time_statements(node.body)
            yield from _import_time_statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _import_time_statements(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _import_time_statements(node.body)


def module_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports when it is itself imported."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_time_statements(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # `from package import submodule` imports the submodule; `from module import name` the module.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.name` is a dotted path into a module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: module_imports(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]] | None = None) -> list[list[str]]:
    """One cycle (a → b → … → a) for each group of modules that import each other, found with Tarjan's algorithm."""
    graph = graph if graph is not None else import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(group, graph) for group in groups]


def _cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, through the group only."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # unreachable: the group is strongly connected


def shared_package_imports_of_apps(graph: dict[str, set[str]] | None = None) -> list[str]:
    """`lanshan_party` is the machinery: it finds the apps' content at start-up and imports none of it at import."""
    graph = graph if graph is not None else import_graph()
    return sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if name.split(".")[0] == "lanshan_party"
        for target in targets
        if target.split(".")[0] in APPS
    )


def long_modules(limit: int = MAX_LINES) -> list[str]:
    """Every .py file outside migrations and the virtual environment longer than the limit, longest first."""
    counted = [(len(path.read_text(encoding="utf-8").splitlines()), path) for path in python_files()]
    return [
        f"{path.relative_to(ROOT)}: {lines} lines" for lines, path in sorted(counted, reverse=True) if lines > limit
    ]


def test_no_module_imports_itself_through_others():
    cycles = import_cycles()
    assert not cycles, "import circles:\n" + "\n".join(" → ".join(cycle) for cycle in cycles)


def test_the_shared_package_imports_no_domain_app_when_it_is_imported():
    found = shared_package_imports_of_apps()
    assert not found, "lanshan_party imports an app at import time:\n" + "\n".join(found)


def test_no_module_is_longer_than_500_lines():
    found = long_modules()
    assert not found, "modules over 500 lines (split them by topic):\n" + "\n".join(found)


def test_the_import_checker_sees_a_circle_and_skips_type_checking_blocks(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x.y\nimport x\ndef f():\n    import x.z\n"
    (tmp_path / "m.py").write_text(source)
    modules = {"m": tmp_path / "m.py", "x": tmp_path, "x.y": tmp_path, "x.z": tmp_path}
    assert module_imports("m", tmp_path / "m.py", modules) == {"x"}
