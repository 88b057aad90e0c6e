"""The shape of the code: the apps form a line, each importing only those below it, and no module
grows past 500 lines. Imports are read from the source (function-local ones included), so a
back-edge hidden inside a function fails here too."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Lowest first. An app may import the apps on lower levels, never one on its own level or above.
LEVELS = [
    ("core",),
    ("training",),
    ("attendance", "materials", "registration", "assessment"),
    ("completion", "evaluation", "lodging"),
    ("notifications", "documents"),
    ("demo",),
    ("config",),
]
LEVEL = {app: level for level, apps in enumerate(LEVELS) for app in apps}
MAX_LINES = 500


def modules():
    for app in LEVEL:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue  # migrations are history; tests may use any app to build their world
            yield app, path


def imported_apps(path: Path, root: Path = ROOT):
    """(line, app) for every import of one of our apps in the file, at any depth."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the same package, hence the same app
                names = [".".join(package[: len(package) - node.level + 1])]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LEVEL:
                yield node.lineno, top


def test_no_app_imports_one_on_its_own_level_or_above():
    edges = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for app, path in modules()
        for line, target in imported_apps(path)
        if target != app and LEVEL[target] >= LEVEL[app]
    ]
    assert edges == []


def test_the_check_sees_an_import_hidden_in_a_function(tmp_path, monkeypatch):
    module = ROOT / "training" / "_probe_for_structure_test.py"
    module.write_text("def f():\n    from completion import services  # noqa\n", encoding="utf-8")
    try:
        assert "completion" in [target for _, target in imported_apps(module)]
    finally:
        module.unlink()


def test_no_module_is_longer_than_500_lines():
    long = []
    for app in LEVEL:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES:
                long.append(str(path.relative_to(ROOT)))
    assert long == []


def test_training_keeps_to_courses_rosters_and_accounts():
    """What moved out stays out: completion, the audit log, the plumbing every app shares."""
    left = {path.stem for path in (ROOT / "training").glob("*.py")}
    assert not left & {"certificates", "audit", "pdf", "ratelimit", "uploads", "backup", "demo_loader"}
    from training import models

    assert not hasattr(models, "Certificate") and not hasattr(models, "AuditEntry")
