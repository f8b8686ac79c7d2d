"""Bundling: Steward's own source in place of the imports of it, for a module that must run
outside Steward (the exported loader).

`module_bundle(source)` takes a module that imports names from `models_hub.*` at its top level
(`from models_hub.embeddings.text import issue_text`), removes those imports and inserts, after
the module's other imports, the source of each imported name and of everything it uses at its
module's top level (helpers, constants, compiled patterns, the standard or third-party imports
they need), followed transitively into other `models_hub` modules. Statements are copied as
written, with the comment lines right above them, in their module's order.

So the loader runs Steward's own text preparation and feature code instead of a copy kept by
hand, and a change there reaches the next export. A bundled name that needs Django or another
Steward package (anything but `models_hub`), or two modules binding one name differently, is a
`BundleError`: the exporter refuses rather than writing a loader that could not run.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

BUNDLED_PACKAGE = "models_hub"
# Never importable where the loader runs.
FORBIDDEN_PACKAGES = frozenset(
    {"analytics", "celery", "community", "config", "django", "models_hub", "rest_framework"}
)


class BundleError(ValueError):
    """The module cannot be made standalone (says which name and why)."""


@dataclass(frozen=True)
class _Module:
    name: str
    source: str
    lines: tuple[str, ...]
    definitions: dict[str, list[ast.stmt]]  # top-level name -> the statements binding it
    imports: dict[str, tuple[ast.stmt, ast.alias]]  # top-level name -> its import


@dataclass
class _Needed:
    statements: set[int] = field(default_factory=set)  # ids of top-level statements, by lineno
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> import line


def module_bundle(source: str, *, header: str = "") -> str:
    """`source` with its top-level `from models_hub… import …` replaced by the code they name."""
    tree = ast.parse(source)
    requests = [
        (node, node.module, alias)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and _is_bundled(node.module, node.level)
        for alias in node.names
    ]
    if not requests:
        return source
    for _, module, alias in requests:
        if alias.asname not in (None, alias.name):
            raise BundleError(f"from {module} import {alias.name} as {alias.asname}: use the name")
    needed = _closure([(module, alias.name) for _, module, alias in requests])
    own = _template_bindings(tree, skip={id(node) for node, _, _ in requests})
    bundled = _render(needed, own=own, header=header)
    lines = source.splitlines(keepends=True)
    removed = {
        number for node, _, _ in requests for number in range(node.lineno, node.end_lineno + 1)
    }
    last_import = max(
        node.end_lineno for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    )
    out = []
    for number, line in enumerate(lines, start=1):
        if number not in removed:
            out.append(line)
        if number == last_import:
            out.append("\n" + bundled)
    result = "".join(out)
    standalone_check(result)
    return result


def standalone_check(source: str) -> None:
    """Raise BundleError if `source` imports Django or Steward anywhere (even in a function)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else ["(relative import)"]
        else:
            continue
        for name in names:
            if name.split(".")[0] in FORBIDDEN_PACKAGES or name == "(relative import)":
                raise BundleError(f"line {node.lineno}: imports {name}, which runs only in Steward")


def _is_bundled(module: str | None, level: int) -> bool:
    return level == 0 and module is not None and module.startswith(BUNDLED_PACKAGE + ".")


@cache
def _module(name: str) -> _Module:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        raise BundleError(f"{name}: no Python source to bundle")
    source = Path(spec.origin).read_text(encoding="utf-8")
    definitions: dict[str, list[ast.stmt]] = {}
    imports: dict[str, tuple[ast.stmt, ast.alias]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                imports[(alias.asname or alias.name).split(".")[0]] = (node, alias)
        for bound in _bound_names(node):
            definitions.setdefault(bound, []).append(node)
    return _Module(name, source, tuple(source.splitlines()), definitions, imports)


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    else:
        return []
    return [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]


def _closure(requests: list[tuple[str, str]]) -> dict[str, _Needed]:
    """Per module (in the order first needed): the statements and imports the requests need."""
    needed: dict[str, _Needed] = {}
    seen: set[tuple[str, str]] = set()
    stack = list(reversed(requests))
    while stack:
        module_name, name = stack.pop()
        if (module_name, name) in seen:
            continue
        seen.add((module_name, name))
        module = _module(module_name)
        entry = needed.setdefault(module_name, _Needed())
        if name in module.definitions:
            for statement in module.definitions[name]:
                entry.statements.add(statement.lineno)
                refs = sorted({n.id for n in ast.walk(statement) if isinstance(n, ast.Name)})
                stack.extend((module_name, ref) for ref in reversed(refs) if ref != name)
        elif name in module.imports:
            node, alias = module.imports[name]
            if isinstance(node, ast.ImportFrom) and _is_bundled(node.module, node.level):
                if alias.asname not in (None, alias.name):
                    raise BundleError(f"{module_name}: {alias.name} as {alias.asname}")
                stack.append((node.module, alias.name))
            else:
                entry.imports[name] = _import_line(module_name, node, alias)
        elif (module_name, name) in requests:
            raise BundleError(f"{module_name} has no top-level {name}")
        # Any other name is a builtin or a local of the statement: nothing to bundle.
    return needed


def _import_line(module_name: str, node: ast.stmt, alias: ast.alias) -> str:
    if isinstance(node, ast.ImportFrom):
        if node.level or node.module is None:
            raise BundleError(f"{module_name}: relative imports cannot be bundled")
        line = f"from {node.module} import {alias.name}"
        package = node.module
    else:
        line = f"import {alias.name}"
        package = alias.name
    if package.split(".")[0] in FORBIDDEN_PACKAGES:
        raise BundleError(f"{module_name} needs `{line}`, which runs only in Steward")
    return line + (f" as {alias.asname}" if alias.asname else "")


def _template_bindings(tree: ast.Module, *, skip: set[int]) -> dict[str, str]:
    """The names the module binds itself: name -> its import line, or "" for a definition."""
    own: dict[str, str] = {}
    for node in tree.body:
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                own[(alias.asname or alias.name).split(".")[0]] = _import_line("", node, alias)
        for bound in _bound_names(node):
            own[bound] = ""
    return own


def _render(needed: dict[str, _Needed], *, own: dict[str, str], header: str) -> str:
    """The imports the bundle needs (besides the module's own), then each module's code."""
    bound: dict[str, tuple[str, str]] = {}  # name -> (module, its source) across the bundle
    imports: list[str] = []
    for module_name, entry in needed.items():
        for name, line in sorted(entry.imports.items()):
            if line.startswith("from __future__"):
                continue
            if name in own and own[name] != line:
                raise BundleError(f"{name} is both the loader's and {module_name}'s ({line})")
            if bound.get(name, (None, line))[1] != line:
                raise BundleError(f"{name} is imported differently by two bundled modules")
            if name not in own and name not in bound:
                imports.append(line)
            bound[name] = (module_name, line)
    parts = [header] if header else []
    if imports:
        parts.append(_import_block(imports) + "\n")
    for module_name, entry in needed.items():
        parts.append(_module_code(_module(module_name), entry, own=own, bound=bound))
    return "\n\n".join(parts) + "\n"


def _module_code(
    module: _Module, entry: _Needed, *, own: dict[str, str], bound: dict[str, tuple[str, str]]
) -> str:
    body = f"# ---- from Steward's {module.name.replace('.', '/')}.py ----"
    previous: ast.stmt | None = None
    for node in _top_level(module, entry.statements):
        text = _statement_source(module, node)
        for name in _bound_names(node):
            if name in own:
                raise BundleError(f"{name} is defined by the loader and by {module.name}")
            if bound.get(name, (None, text))[1] != text:
                raise BundleError(f"{name} is defined by {bound[name][0]} and {module.name}")
            bound[name] = (module.name, text)
        spaced = previous is not None and (_is_block(previous) or _is_block(node))
        body += ("\n\n\n" if spaced else "\n") + text
        previous = node
    return body + "\n"


def _is_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)


def _import_block(lines: list[str]) -> str:
    """`import x` lines, then one `from m import a, b` line per module, sorted."""
    plain = sorted(line for line in lines if line.startswith("import "))
    names: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("from "):
            module, name = line.removeprefix("from ").split(" import ", 1)
            names.setdefault(module, []).append(name)
    grouped = [f"from {m} import {', '.join(sorted(n))}" for m, n in sorted(names.items())]
    return "\n".join(plain + grouped)


def _top_level(module: _Module, linenos: set[int]) -> list[ast.stmt]:
    nodes = {node.lineno: node for nodes in module.definitions.values() for node in nodes}
    return [nodes[number] for number in sorted(linenos)]


def _statement_source(module: _Module, node: ast.stmt) -> str:
    """The statement as written, with its decorators and the comment lines right above it."""
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    while start > 1 and module.lines[start - 2].lstrip().startswith("#"):
        start -= 1
    return "\n".join(module.lines[start - 1 : node.end_lineno])
