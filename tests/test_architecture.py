"""Architecture rules that hold across the apps (README, "Development").

- No import cycle among the project's modules at module level: a module's top-level imports
  (those that run when it is imported; imports inside functions, and under `TYPE_CHECKING`, do
  not count) never lead back to it.
- Celery tasks live in task modules only (`<app>/tasks.py`, `<app>/tasks/<area>.py`, or an
  area's `tasks.py`), which import the services they call inside the task's body; services and
  receivers queue a task through its task module, never the other way round.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import current_app

ROOT = Path(__file__).resolve().parent.parent
APPS = ("community", "analytics", "models_hub", "accounts")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the apps (migrations included: they are imported by `migrate`)."""
    found: dict[str, Path] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported (class bodies run too;
    function bodies do not)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _top_level_imports(node.body)
            yield from _top_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _top_level_imports(block)
            for handler in node.handlers:
                yield from _top_level_imports(handler.body)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _top_level_imports(node.body)


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module → the project modules its top-level imports load."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _top_level_imports(tree.body):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                source = _absolute(name, path, node)
                # `from package import submodule` loads the submodule; a name loads `source`.
                targets = [
                    f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                    for alias in node.names
                ]
            graph[name] |= {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return found


def test_the_cycle_finder_finds_a_cycle_and_only_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_module_level_imports_only(tmp_path):
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from community import signals\n"
        "from community.models import Issue\n"
        "if TYPE_CHECKING:\n"
        "    from analytics.tasks import rollups_refresh\n"
        "def later():\n"
        "    from models_hub.triage import tasks\n"
    )
    tree = ast.parse(source)
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in _top_level_imports(tree.body)
    ]
    assert imported == ["__future__", "typing", "community", "community.models"]
    modules = project_modules()
    assert "community.signals" in import_graph(modules)["community.services.upserts.issues"]


def test_no_import_cycle_among_the_project_modules():
    modules = project_modules()
    assert len(modules) > 100, "the walk found the apps' modules"
    found = cycles(import_graph(modules))
    assert found == [], "import cycles (module-level imports):\n" + "\n".join(
        " ↔ ".join(cycle) for cycle in found
    )


def _is_task_module(module: str) -> bool:
    parts = module.split(".")
    return "tasks" in parts[1:]


@pytest.fixture(scope="module")
def project_tasks() -> dict[str, str]:
    """Registered task name → the module that defines it, for the project's own tasks."""
    current_app.loader.import_default_modules()  # what a worker imports: autodiscovery
    found = {}
    for name, task in current_app.tasks.items():
        module = getattr(task.run, "__module__", "") or ""
        if module.split(".")[0] in APPS:
            found[name] = module
    return found


def test_every_project_task_lives_in_a_task_module(project_tasks):
    assert len(project_tasks) >= 15, "the worker's autodiscovery found the project's tasks"
    misplaced = {name: module for name, module in project_tasks.items()}
    misplaced = {n: m for n, m in misplaced.items() if not _is_task_module(m)}
    assert misplaced == {}


def test_task_names_are_the_ones_schedules_and_routes_use(project_tasks, settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(project_tasks)
    routed = [pattern for pattern in settings.CELERY_TASK_ROUTES if pattern.endswith("*")]
    for pattern in routed:
        prefix = pattern.removesuffix("*")
        assert any(name.startswith(prefix) for name in project_tasks), pattern


def _may_load_at_task_import(target: str) -> bool:
    """What a task module may import at module level: other task modules, models, and the
    exceptions its retry options name."""
    return (
        _is_task_module(target) or "models" in target.split(".")[1:2] or target.endswith(".errors")
    )


def test_task_modules_import_no_service_at_module_level():
    """Task modules are the top of the import graph: they load services when a task runs, so
    a service may import a task module to queue it without closing a cycle."""
    graph = import_graph(project_modules())
    loaded = {
        name: sorted(target for target in targets if not _may_load_at_task_import(target))
        for name, targets in graph.items()
        if _is_task_module(name)
    }
    assert {name: targets for name, targets in loaded.items() if targets} == {}
