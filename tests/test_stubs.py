"""The hand-checked stubs varstore/_core/*.pyi match the compiled module varstore._core.

Every public member of ``_core``, ``_core.store`` and ``_core.kernels`` (and of their classes) is
in the stubs and vice versa, properties are properties, and each function's parameters agree in
number, defaults and keyword-only names; a parameter the stub lets callers pass by keyword must
have that name at run time. Runtime signatures come from the first docstring line, which both
pybind11 and the METH_FASTCALL functions of bind_store.cpp start with ``name(params) -> ...``
(pybind11 sets no ``__text_signature__``, so ``inspect.signature`` and stubtest cannot see them).

When this fails after a binding change, update the stub: ``pybind11-stubgen varstore._core``
shows what the module exports now (see .ci/check_stubs.sh).
"""

from __future__ import annotations

import ast
import re
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import varstore
from varstore import _core

STUB_DIR = Path(varstore.__file__).parent / "_core"
MODULES: dict[str, tuple[types.ModuleType, Path]] = {
    "varstore._core": (_core, STUB_DIR / "__init__.pyi"),
    "varstore._core.store": (_core.store, STUB_DIR / "store.pyi"),
    "varstore._core.kernels": (_core.kernels, STUB_DIR / "kernels.pyi"),
}
# Dunders that are part of a module's or class's API (the rest is interpreter / pybind11 plumbing).
MODULE_DUNDERS = {"__version__"}
# __repr__ and __str__ are object's (flake8-pyi: redundant in stubs, PYI029).
CLASS_PLUMBING = {
    "__doc__",
    "__module__",
    "__dict__",
    "__weakref__",
    "__repr__",
    "__str__",
    "_pybind11_conduit_v1_",
}


@dataclass
class Sig:
    """Parameters of one signature: (name, has_default, kind) with kind pos_only/pos/kw_only."""

    params: list[tuple[str, bool, str]] = field(default_factory=list)
    star_args: bool = False
    star_kwargs: bool = False

    def summary(self) -> str:
        parts = [f"{n}{'=' if d else ''}[{k}]" for n, d, k in self.params]
        if self.star_args:
            parts.append("*args")
        if self.star_kwargs:
            parts.append("**kwargs")
        return "(" + ", ".join(parts) + ")"


# ---- the stubs ------------------------------------------------------------------------------


def stub_sig(fn: ast.FunctionDef) -> Sig:
    a = fn.args
    sig = Sig(star_args=a.vararg is not None, star_kwargs=a.kwarg is not None)
    positional = [*a.posonlyargs, *a.args]
    first_default = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        kind = "pos_only" if i < len(a.posonlyargs) else "pos"
        sig.params.append((arg.arg, i >= first_default, kind))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        sig.params.append((arg.arg, default is not None, "kw_only"))
    return sig


def is_property(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list)


def is_overload(fn: ast.FunctionDef) -> bool:
    return any(
        (isinstance(d, ast.Name) and d.id == "overload")
        or (isinstance(d, ast.Attribute) and d.attr == "overload")
        for d in fn.decorator_list
    )


@dataclass
class StubScope:
    functions: dict[str, list[Sig]] = field(default_factory=dict)
    properties: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    classes: dict[str, StubScope] = field(default_factory=dict)

    def names(self) -> set[str]:
        return set(self.functions) | self.properties | self.attributes | set(self.classes)


def read_scope(body: list[ast.stmt]) -> StubScope:
    scope = StubScope()
    for node in body:
        if isinstance(node, ast.FunctionDef):
            if is_property(node):
                scope.properties.add(node.name)
            elif is_overload(node) or node.name not in scope.functions:
                scope.functions.setdefault(node.name, []).append(stub_sig(node))
        elif isinstance(node, ast.ClassDef):
            scope.classes[node.name] = read_scope(node.body)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            scope.attributes.add(node.target.id)
        elif isinstance(node, ast.Assign):
            if (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                    and node.value.func.id == "TypeVar"):
                continue  # a type variable of the stub itself, not a runtime member
            scope.attributes.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            # `from . import store as store`: the submodules, re-exported explicitly
            scope.attributes.update(a.asname for a in node.names if a.asname == a.name)
    return scope


def read_stub(path: Path) -> StubScope:
    return read_scope(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body)


# ---- the compiled module --------------------------------------------------------------------


def split_top_level(text: str) -> list[str]:
    """Splits a parameter list at the commas outside brackets and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    cur: list[str] = []
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def parse_doc_signature(name: str, line: str) -> Sig:
    m = re.match(rf"^\s*(?:\d+\.\s*)?{re.escape(name)}\(", line)
    if m is None:
        raise AssertionError(f"{name}: the docstring does not start with `{name}(...)`: {line!r}")
    depth = 1
    end = m.end()
    while depth and end < len(line):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(line[end], 0)
        end += 1
    if depth:
        raise AssertionError(f"{name}: unbalanced brackets in the docstring signature {line!r}")
    params = line[m.end() : end - 1]
    sig = Sig()
    kind = "pos"
    for p in split_top_level(params):
        if p == "*":
            kind = "kw_only"
            continue
        if p == "/":
            sig.params = [(n, d, "pos_only") for n, d, _ in sig.params]
            continue
        if p.startswith("**"):
            sig.star_kwargs = True
            continue
        if p.startswith("*"):
            sig.star_args = True
            kind = "kw_only"
            continue
        pname = re.split(r"[:=]", p, maxsplit=1)[0].strip()
        typed = ":" in p.split("=", 1)[0]
        # pybind11 args without py::arg() are called argN and cannot be passed by keyword; the
        # METH_FASTCALL functions (no annotations in their docstrings) take positionals only.
        this_kind = "pos_only" if (re.fullmatch(r"arg\d+", pname) or not typed) else kind
        sig.params.append((pname, "=" in p, this_kind))
    return sig


def runtime_sigs(name: str, obj: Any) -> list[Sig]:
    doc = (getattr(obj, "__doc__", None) or "").strip()
    lines = doc.splitlines()
    if not lines:
        raise AssertionError(f"{name}: no docstring, so no signature to compare")
    if lines[0].strip() == "Overloaded function.":
        return [
            parse_doc_signature(name, ln)
            for ln in lines[1:]
            if re.match(rf"^\s*\d+\.\s*{re.escape(name)}\(", ln)
        ]
    return [parse_doc_signature(name, lines[0])]


def module_members(mod: types.ModuleType) -> dict[str, Any]:
    return {n: getattr(mod, n) for n in dir(mod) if not n.startswith("_") or n in MODULE_DUNDERS}


def class_members(cls: type) -> dict[str, Any]:
    return {n: v for n, v in vars(cls).items() if n not in CLASS_PLUMBING}


def compare_sig(where: str, stub: Sig, rt: Sig) -> list[str]:
    problems: list[str] = []
    if len(stub.params) != len(rt.params) or (stub.star_args, stub.star_kwargs) != (
        rt.star_args,
        rt.star_kwargs,
    ):
        return [f"{where}: stub {stub.summary()} vs runtime {rt.summary()} (parameter count)"]
    for (sn, sd, sk), (rn, rd, rk) in zip(stub.params, rt.params):
        if sd != rd:
            problems.append(f"{where}: parameter {sn!r}: default in stub {sd}, at runtime {rd}")
        if (sk == "kw_only") != (rk == "kw_only"):
            problems.append(f"{where}: parameter {sn!r}: keyword-only in stub {sk}, runtime {rk}")
        if sk != "pos_only" and sn != rn:
            problems.append(
                f"{where}: the stub lets callers pass {sn!r} by keyword, the runtime calls it {rn!r}"
                f" (rename it, or make it positional-only with `/`)"
            )
    return problems


def compare_functions(where: str, stub: list[Sig], obj: Any, name: str) -> list[str]:
    rts = runtime_sigs(name, obj)
    if len(rts) != len(stub):
        return [f"{where}: {len(stub)} stub signature(s), {len(rts)} at runtime (overloads)"]
    problems: list[str] = []
    for s, r in zip(stub, rts):
        problems += compare_sig(where, s, r)
    return problems


def compare_class(qual: str, cls: type, stub: StubScope) -> list[str]:
    rt = class_members(cls)
    problems = [
        f"{qual}.{n}: in the compiled class, not in the stub"
        for n in sorted(set(rt) - stub.names())
    ]
    problems += [
        f"{qual}.{n}: in the stub, not in the compiled class"
        for n in sorted(stub.names() - set(rt))
    ]
    for n in sorted(set(rt) & stub.names()):
        value = rt[n]
        if n in stub.properties:
            if not isinstance(value, property):
                problems.append(
                    f"{qual}.{n}: a property in the stub, {type(value).__name__} at runtime"
                )
        elif n == "__new__" and (value.__doc__ or "").startswith("Create and return a new"):
            continue  # a C type's default tp_new (PyType_GenericNew): no signature to compare
        elif n in stub.functions:
            if isinstance(value, property) or not callable(value):
                problems.append(
                    f"{qual}.{n}: a method in the stub, {type(value).__name__} at runtime"
                )
            else:
                problems += compare_functions(f"{qual}.{n}", stub.functions[n], value, n)
        elif not isinstance(value, (types.MemberDescriptorType, types.GetSetDescriptorType)):
            problems.append(
                f"{qual}.{n}: an attribute in the stub, {type(value).__name__} at runtime"
            )
    return problems


def compare_module(qual: str, mod: types.ModuleType, stub: StubScope) -> list[str]:
    rt = module_members(mod)
    problems = [
        f"{qual}.{n}: in the compiled module, not in the stub"
        for n in sorted(set(rt) - stub.names())
    ]
    problems += [
        f"{qual}.{n}: in the stub, not in the compiled module"
        for n in sorted(stub.names() - set(rt))
    ]
    for n in sorted(set(rt) & stub.names()):
        value = rt[n]
        if n in stub.classes:
            if not isinstance(value, type):
                problems.append(
                    f"{qual}.{n}: a class in the stub, {type(value).__name__} at runtime"
                )
            else:
                problems += compare_class(f"{qual}.{n}", value, stub.classes[n])
        elif n in stub.functions:
            if isinstance(value, type) or not callable(value):
                problems.append(
                    f"{qual}.{n}: a function in the stub, {type(value).__name__} at runtime"
                )
            else:
                problems += compare_functions(f"{qual}.{n}", stub.functions[n], value, n)
        elif isinstance(value, (type, types.BuiltinFunctionType)):
            problems.append(
                f"{qual}.{n}: an attribute in the stub, {type(value).__name__} at runtime"
            )
    return problems


# ---- tests ----------------------------------------------------------------------------------


def test_py_typed_and_stubs_ship_next_to_the_extension() -> None:
    pkg = Path(varstore.__file__).parent
    assert (pkg / "py.typed").is_file()
    for _, path in MODULES.values():
        assert path.is_file(), f"missing stub {path}"
    # The stub directory varstore/_core/ (no __init__.py) must not shadow the extension module.
    assert _core.__file__ is not None
    assert Path(_core.__file__).suffix in {".so", ".pyd"}, _core.__file__


@pytest.mark.parametrize("qual", sorted(MODULES))
def test_stub_matches_compiled_module(qual: str) -> None:
    mod, path = MODULES[qual]
    problems = compare_module(qual, mod, read_stub(path))
    assert not problems, f"{path.name} drifted from {qual}:\n  " + "\n  ".join(problems)


def test_submodules_are_the_stubbed_ones() -> None:
    rt = {n for n, v in module_members(_core).items() if isinstance(v, types.ModuleType)}
    assert rt == {"store", "kernels"}, "a new submodule needs its own .pyi in varstore/_core/"


# Self-checks of the comparison: a drifted stub is caught.


def test_checker_catches_drift() -> None:
    stub = read_stub(STUB_DIR / "kernels.pyi")
    assert not compare_module("k", _core.kernels, stub)
    drifted = read_stub(STUB_DIR / "kernels.pyi")
    del drifted.functions["cpu_brand"]
    drifted.functions["not_there"] = [Sig()]
    drifted.functions["force_isa"] = [Sig(params=[("name", False, "pos"), ("x", False, "pos")])]
    drifted.functions["same_padding"] = [
        Sig(
            params=[
                ("size", False, "pos"),
                ("k", False, "pos"),
                ("stride", True, "pos"),
                ("dilation", True, "pos"),
            ]
        )
    ]
    drifted.classes["PackedFilter"].properties.discard("nbytes")
    problems = "\n".join(compare_module("k", _core.kernels, drifted))
    assert "k.cpu_brand: in the compiled module, not in the stub" in problems
    assert "k.not_there: in the stub, not in the compiled module" in problems
    assert "k.force_isa: stub (name[pos], x[pos]) vs runtime (name[pos])" in problems
    assert "pass 'size' by keyword, the runtime calls it 'in_size'" in problems
    assert "k.PackedFilter.nbytes: in the compiled class, not in the stub" in problems


def test_docstring_signature_parser() -> None:
    sig = parse_doc_signature(
        "f",
        "f(x: object, w: dict[str, int] = {'a': 1, 'b': 2}, *, out: object = None) -> numpy.ndarray",
    )
    assert sig.params == [("x", False, "pos"), ("w", True, "pos"), ("out", True, "kw_only")]
    fast = parse_doc_signature("find", "find(store, name) -> id of the variable, or -1")
    assert fast.params == [("store", False, "pos_only"), ("name", False, "pos_only")]
    assert parse_doc_signature("g", "g(self: A, arg0: int) -> None").params == [
        ("self", False, "pos"),
        ("arg0", False, "pos_only"),
    ]
