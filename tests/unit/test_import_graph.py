"""Our packages import one another one way, interfaces → adapters → application → domain, and
no module of ours imports one that imports it back.

The graph is grimp's, the one import-linter checks: it parses every module (imports nothing),
counts an import at any depth (one inside a function runs too, later), and resolves relative
imports and packages to their ``__init__`` modules.
"""

from itertools import pairwise

import grimp
import pytest

# Each package may import those after it, never one before it.
LAYERS = ("interfaces", "adapters", "application", "domain")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*LAYERS, cache_dir=None)  # no cache folder left in the tree


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".", 1)[0])


def _imports(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    return [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
    ]


def _where(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    first = graph.get_import_details(importer=importer, imported=imported)[0]
    return f"{importer} imports {imported} (line {first['line_number']}: {first['line_contents']})"


def test_no_module_imports_one_that_imports_it_back(graph: grimp.ImportGraph) -> None:
    cycles = [
        (importer, *back)
        for importer, imported in _imports(graph)
        if (back := graph.find_shortest_chain(importer=imported, imported=importer)) is not None
    ]
    if cycles:
        shortest = min(cycles, key=len)
        steps = "\n  ".join(_where(graph, a, b) for a, b in pairwise(shortest))
        pytest.fail(f"import cycle {' -> '.join(shortest)}:\n  {steps}")


def test_no_package_imports_one_it_serves(graph: grimp.ImportGraph) -> None:
    against = [_where(graph, a, b) for a, b in _imports(graph) if _layer(b) < _layer(a)]
    assert against == []
