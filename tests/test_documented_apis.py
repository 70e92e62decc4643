"""The plugin reaches into no other package's insides: no private attribute or method (a name
with a leading underscore) of an object that is not its own, and no import of a private
module or name. What an upgrade of Django, Wagtail or django-ninja may change without notice
is then nothing the plugin stands on (docs/adopters/index.md, "Non-public APIs used").

Allowed, because documented: a model's `_meta` (Django's Model _meta API) and `_state`
(documented in the model instance reference). The plugin's own attributes on objects it
handles are named `_press…`."""

import ast
from pathlib import Path

PRESS = Path(__file__).resolve().parent.parent / "press"
DOCUMENTED = {"_meta", "_state"}


def private_uses(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            name = node.attr
            if not name.startswith("_") or name.startswith("__") or name in DOCUMENTED:
                continue
            if name.startswith("_press"):
                continue
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("self", "cls"):
                continue  # the object's own attribute, in its own class
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            parts = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            if any(part.startswith("_") for part in parts) or any(
                name.startswith("_") for name in names
            ):
                found.append((node.lineno, f"from {node.module} import {', '.join(names)}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(part.startswith("_") for part in alias.name.split(".")):
                    found.append((node.lineno, f"import {alias.name}"))
    return found


def test_the_guard_finds_what_it_is_for():
    source = (
        "from framework.sql.compiler import _helper\n"
        "import http._private\n"
        "stream._hidden_list\n"
        "request._private_method()\n"
        "F('a')._private_join(F('b'), '||', False)\n"
        "self._own\n"
        "model._meta.get_field('x')\n"
        "request._press_key = 1\n"
    )
    assert [line for line, _use in private_uses(source)] == [1, 2, 3, 4, 5]


def test_the_plugin_uses_no_private_api():
    uses = [
        f"{path.relative_to(PRESS.parent)}:{line}: {use}"
        for path in sorted(PRESS.rglob("*.py"))
        if "migrations" not in path.parts
        for line, use in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert not uses, "Private API in press/:\n" + "\n".join(uses)
