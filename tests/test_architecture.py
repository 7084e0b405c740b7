"""The layering the code is built on, checked on its source: the web layer reads through
the services, and no module imports itself back through others."""
import ast
import re
from pathlib import Path

import factcheck

PACKAGE = Path(factcheck.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The factcheck modules `name` imports anywhere in it (a deferred import inside a
    function counts: it hides a cycle, it does not remove it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back():
    graph = import_graph()
    assert graph["factcheck.services.statements"] >= {"factcheck.services.matching"}  # the graph is read
    assert cycles(graph) == []


def test_the_web_layer_reads_through_the_services():
    """No page touches the database itself: only the app factory wires the engine."""
    database = re.compile(r"^\s*(from|import)\s+(sqlalchemy|sqlmodel|\.\.store|factcheck\.store)\b", re.M)
    offenders = [path.name for path in (PACKAGE / "web").glob("*.py")
                 if path.name != "app.py" and database.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_web_module_imports_the_store_or_its_models():
    """Read from the import graph, so `from .. import store` or a deferred import counts too;
    the app factory alone opens the engine (store.db), and nothing in web/ names a model."""
    graph = import_graph()
    reached = {name: sorted(m for m in found if m == "factcheck.store" or m.startswith("factcheck.store."))
               for name, found in graph.items() if name.startswith("factcheck.web")}
    assert reached.pop("factcheck.web.app") == ["factcheck.store.db"]
    assert {name: found for name, found in reached.items() if found} == {}


def test_the_services_know_nothing_of_flask():
    flask = re.compile(r"^\s*(from|import)\s+(flask|flask_\w+|\.\.web|factcheck\.web)\b", re.M)
    assert [path.name for path in (PACKAGE / "services").glob("*.py") if flask.search(path.read_text())] == []
