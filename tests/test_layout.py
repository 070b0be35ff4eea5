"""The apps import downward only: agents is the ground, projects and competencies stand on
it (and not on each other), meetings stands on projects. agentnet's shared helpers sit
below every app; its site-wide modules (settings, URLs, the start page, the demo command,
the template context) sit above them all; the benchmark stands outside. An app that
imports one above or beside it ties the two together, so that neither can be changed,
tested or left out on its own."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each app and the apps it may import.
MAY_IMPORT = {
    "agents": set(),
    "projects": {"agents"},
    "competencies": {"agents"},
    "meetings": {"agents", "projects"},
}
# agentnet's modules that stand above the apps; every other agentnet module is a helper.
SITE_WIDE = {
    "agentnet.settings",
    "agentnet.urls",
    "agentnet.views",
    "agentnet.context_processors",
    # What is due for each person and the digest that mails it read every app.
    "agentnet.due",
    "agentnet.digest",
    "agentnet.management",
    "agentnet.wsgi",
    "agentnet.asgi",
}


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path):
    """Every module the file imports, at any depth (inside functions too)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            if "." in module:
                yield module
            else:
                # from agentnet import views: each name is a module of the package.
                for alias in node.names:
                    yield f"{module}.{alias.name}"


def _site_wide(module):
    return any(module == top or module.startswith(f"{top}.") for top in SITE_WIDE)


def _offences(layer, path):
    """What this file of `layer` (an app, or agentnet's helpers) may not import."""
    allowed = MAY_IMPORT.get(layer, set())
    for module in sorted(set(_imports(path))):
        top = module.split(".")[0]
        if (top in MAY_IMPORT and top not in allowed | {layer}) or _site_wide(module):
            yield module


def _files(package):
    return sorted((ROOT / package).rglob("*.py"))


def test_apps_import_only_the_apps_below_them():
    offenders = []
    for app in MAY_IMPORT:
        for path in _files(app):
            name = str(path.relative_to(ROOT))
            offenders += [f"{name} imports {module}" for module in _offences(app, path)]
    assert not offenders, "\n".join(offenders)


def test_agentnets_helpers_import_no_app():
    offenders = []
    for path in _files("agentnet"):
        if _site_wide(_module_name(path)):
            continue
        name = str(path.relative_to(ROOT))
        offenders += [f"{name} imports {module}" for module in _offences("agentnet", path)]
    assert not offenders, "\n".join(offenders)


def test_nothing_the_portal_runs_imports_the_benchmark():
    """bench/ measures the portal from outside: it may import anything, nothing imports it."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for package in [*MAY_IMPORT, "agentnet"]
        for path in _files(package)
        for module in sorted(set(_imports(path)))
        if module.split(".")[0] == "bench"
    ]
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_imports_at_any_depth_and_relative_ones(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_layout.ROOT", tmp_path)
    app = tmp_path / "agents"
    app.mkdir()
    (app / "__init__.py").write_text("")
    module = app / "pages.py"
    module.write_text(
        "from . import models\n"
        "def page():\n"
        "    from meetings.models import Meeting\n"
        "    import competencies.permissions\n"
        "    from agentnet import views\n"
    )

    assert set(_offences("agents", module)) == {
        "meetings.models", "competencies.permissions", "agentnet.views",
    }
    assert "agents.models" in set(_imports(module))
    helper = tmp_path / "agentnet" / "paging.py"
    helper.parent.mkdir()
    helper.write_text("from agentnet.widgets import DateInput\nfrom agents import views\n")
    assert list(_offences("agentnet", helper)) == ["agents.views"]
