"""The dependency picture of DESIGN.md, "Architecture", read off the source with ``ast``: every
import (at the top of a module or inside a function) of every module of the project, resolved to
the module it names. A test per arrow that must not exist."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "payments", "loans", "investments", "risk", "bots")
FEATURES = ("communitylend.backoffice", "communitylend.bench", "communitylend.demo",
            "communitylend.about", "communitylend.pages")
WIRING = ("communitylend.settings", "communitylend.settings_test", "communitylend.urls",
          "communitylend.celery", "communitylend.wsgi", "communitylend.asgi")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function) of every import in ``path``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(), filename=str(path))
    in_function = {id(node) for fn in ast.walk(tree)
                   if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                   for node in ast.walk(fn)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, id(node) in in_function) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((node.lineno, target, id(node) in in_function))
            # "from payments import servicing" imports the submodule
            found += [(node.lineno, f"{target}.{alias.name}", id(node) in in_function)
                      for alias in node.names]
    return found


def _project_modules():
    for top in (*APPS, "communitylend"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield _module_name(path), path


GRAPH = [(module, line, target, in_function)
         for module, path in _project_modules()
         for line, target, in_function in _imports(path)]


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(importer, imported) -> list[str]:
    return [f"{module}:{line} imports {target}" for module, line, target, _ in GRAPH
            if importer(module) and _within(target, imported)]


def test_the_ledger_side_of_payments_imports_no_loan_code():
    assert _violations(
        lambda m: _within(m, ["payments"]) and not _within(m, ["payments.servicing"]),
        ["loans", "investments", "risk", "bots"]) == []


def test_the_kernel_imports_no_app_and_nothing_above_it():
    assert _violations(lambda m: _within(m, ["communitylend.core"]),
                       [*APPS, *FEATURES, *WIRING, "communitylend.views",
                        "communitylend.middleware", "communitylend.cache",
                        "communitylend.broker"]) == []


def test_accounts_imports_no_other_app():
    assert _violations(lambda m: _within(m, ["accounts"]),
                       [a for a in APPS if a != "accounts"]) == []


def test_only_the_wiring_and_the_features_on_top_import_bots():
    assert _violations(lambda m: not _within(m, ["bots", *FEATURES, *WIRING]), ["bots"]) == []


def test_risk_knows_nothing_of_loans_or_money():
    assert _violations(lambda m: _within(m, ["risk"]), ["loans", "payments"]) == []


def test_no_app_imports_the_features_on_top_or_the_wiring():
    assert _violations(lambda m: _within(m, APPS), [*FEATURES, *WIRING]) == []


def test_investments_does_not_import_loans():
    # Disbursement (loans) creates the notes (investments): the arrow goes one way.
    assert _violations(lambda m: _within(m, ["investments"]), ["loans"]) == []


@pytest.mark.parametrize("top", [*APPS, "communitylend"])
def test_every_import_inside_a_function_says_why(top):
    """An import left inside a function (a cycle, a heavy library) carries a comment."""
    silent = []
    for module, path in _project_modules():
        if not _within(module, [top]) or _within(module, ["communitylend.settings"]):
            continue
        lines = path.read_text().splitlines()
        silent += [f"{module}:{line}" for line, _, inside in _imports(path)
                   if inside and "#" not in lines[line - 1]
                   and not lines[line - 2].strip().startswith("#")]
    assert sorted(set(silent)) == []


def test_the_graph_is_read():
    # The rules above pass vacuously if nothing is found: the known arrows are there.
    targets = {(m.split(".")[0], t.split(".")[0]) for m, _, t, _ in GRAPH}
    assert ("loans", "payments") in targets and ("bots", "loans") in targets
    assert any(m.startswith("payments.servicing") and t.startswith("loans")
               for m, _, t, _ in GRAPH)
