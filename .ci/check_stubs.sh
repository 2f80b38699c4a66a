#!/usr/bin/env bash
# The stubs python/varstore/_core/*.pyi still describe the compiled varstore._core:
#  1. regenerate them with pybind11-stubgen into a temp dir and compare the exported names
#     (module members, class members) with the committed, hand-checked stubs;
#  2. mypy.stubtest against the compiled module (names, kinds, metaclass allowlist). pybind11
#     functions carry no __text_signature__, so stubtest cannot compare their parameters:
#     tests/test_stubs.py does (parameter counts, defaults, keyword names) and runs here too.
# Runs with the python on PATH (or $PYTHON), in which varstore must be installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
step() { printf '\n=== stubs: %s ===\n' "$*"; }

"$py" -m pip install --quiet 'pybind11-stubgen>=2.5' 'mypy>=1.10'
cd "$tmp"  # nothing from the source tree on sys.path: the installed module is what is checked
"$py" -c "import varstore._core as c; print('checking', c.__file__)"

step "pybind11-stubgen varstore._core (into a temp dir)"
# The METH_FASTCALL functions' docstrings are not annotations; the names are what counts here.
"$py" -m pybind11_stubgen varstore._core -o "$tmp/generated" --numpy-array-use-type-var \
  --ignore-all-errors
"$py" - "$tmp/generated/varstore/_core" "$root/python/varstore/_core" <<'PY'
import ast
import sys
from pathlib import Path


def names(path: Path) -> set[str]:
    out: set[str] = set()

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name not in {"__repr__", "__str__"}:
                    out.add(prefix + node.name)
            elif isinstance(node, ast.ClassDef):
                out.add(prefix + node.name)
                walk(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                out.add(prefix + node.target.id)
            elif isinstance(node, ast.ImportFrom) and node.level == 1:
                out.update(prefix + (a.asname or a.name) for a in node.names)

    walk(ast.parse(path.read_text(encoding="utf-8")).body, "")
    out.discard("__all__")
    return out


generated, committed = Path(sys.argv[1]), Path(sys.argv[2])
files = sorted({p.name for p in generated.glob("*.pyi")} | {p.name for p in committed.glob("*.pyi")})
bad = False
for name in files:
    g, c = generated / name, committed / name
    if not g.exists() or not c.exists():
        print(f"{name}: only in the {'committed' if c.exists() else 'generated'} stubs")
        bad = True
        continue
    missing, extra = names(g) - names(c), names(c) - names(g)
    # pybind11-stubgen leaves out private members of non-pybind11 classes (VariableBase's
    # _graph/_store/_id member descriptors); stubtest and tests/test_stubs.py check those.
    extra = {n for n in extra if not (n.rsplit(".", 1)[-1].startswith("_") and "." in n)}
    for n in sorted(missing):
        print(f"{name}: {n} is in the compiled module, not in the committed stub")
    for n in sorted(extra):
        print(f"{name}: {n} is in the committed stub, not in the compiled module")
    bad |= bool(missing or extra)
    print(f"{name}: {len(names(c))} names" + ("" if missing or extra else ", same as generated"))
sys.exit(1 if bad else 0)
PY

step "mypy.stubtest varstore._core"
MYPYPATH="$root/python" "$py" -m mypy.stubtest varstore._core \
  --allowlist "$root/.ci/stubtest_allowlist.txt" --mypy-config-file "$root/pyproject.toml"

step "tests/test_stubs.py (signatures)"
cp -r "$root/tests" "$tmp/tests"
cp "$root/pyproject.toml" "$tmp/pyproject.toml"
"$py" -m pytest -q -p no:cacheprovider "$tmp/tests/test_stubs.py"

echo "stubs match varstore._core"
