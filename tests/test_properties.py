"""Property tests (hypothesis, derandomized): random programs of scopes and variable / op calls
against a small pure-Python model of TF1's naming and reuse rules, and random conv2d shapes
against a NumPy reference on every instruction-set path.

The model below was checked against real TF 1 graph mode (tensorflow 2.21, tf.compat.v1 with
disable_eager_execution) on 2,000 random programs of the same shape as ``programs()`` generates,
with no difference.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import varstore as tf
from varstore import kernels

# -- the model --------------------------------------------------------------------------------
NAMES = ("a", "b", "A", "w", "a_1")  # "A": the uniquifier is case-insensitive; "a_1": explicit
REUSE = ("none", "false", "true", "auto")

Program = list[tuple[Any, ...]]


def _reuse_str(value: Any) -> str:
    if value is True:
        return "true"
    if value is False or value is None:
        return "false"
    return "auto"


class Tf1Model:
    """TF1's rules: one case-insensitive name uniquifier per graph shared by ops, name scopes
    and variables; the name stack; the current variable scope (name, reuse, original name
    scope); per-scope default-name counters; and the get_variable store."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}
        self.stack = ""
        self.scope: tuple[str, Any, str] = ("", False, "")  # name, reuse, original_name_scope
        self.counts: dict[str, int] = {}
        self.store: dict[str, tuple[str, int]] = {}  # full name -> (graph name, dim)
        self.out: list[str] = []

    def unique(self, name: str) -> str:
        """Graph.unique_name: '<stack>/<name>', then '_N' for the N-th use (case-insensitive),
        skipping suffixed names that are taken already; keeps the caller's capitalisation."""
        if self.stack:
            name = self.stack + "/" + name
        key = name.lower()
        i = self.used.get(key, 0)
        self.used[key] = i + 1
        if i > 0:
            base = key
            while key in self.used:
                key = f"{base}_{i}"
                i += 1
            self.used[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def run(self, prog: Program) -> list[str]:
        self.block(prog)
        return self.out

    def block(self, stmts: Program) -> None:
        for st_ in stmts:
            getattr(self, "do_" + st_[0])(*st_[1:])

    def do_vs(self, name: str | None, default: str | None, reuse: str, body: Program) -> None:
        parent_name, parent_reuse, _ = self.scope
        arg = {"none": None, "false": None, "true": True, "auto": "auto"}[reuse]
        old_stack, old_scope = self.stack, self.scope
        if name is None:
            if arg is not None:
                self.out.append("err:reuse=True cannot be used without a name_or_scope")
                return
            assert default is not None
            self.stack = self.unique(default)  # the name scope first, uniquified on its own
            prefix = parent_name + "/" + default if parent_name else default
            if self.counts.get(prefix, 0) == 0:
                leaf = default
            else:
                k = 1
                while self.counts.get(f"{prefix}_{k}", 0) > 0:
                    k += 1
                leaf = f"{default}_{k}"
        else:
            self.stack = self.unique(name)
            leaf = name
        new_name = parent_name + "/" + leaf if parent_name else leaf
        new_reuse = arg or parent_reuse  # False means "inherit"
        self.scope = (new_name, new_reuse, self.stack + "/")
        self.counts[new_name] = self.counts.get(new_name, 0) + 1
        self.out.append(f"vs:{new_name}|{self.stack}/|{_reuse_str(new_reuse)}")
        self.block(body)
        # On exit the default-name counters of every sub-scope reset.
        for k in self.counts:
            if k.startswith(new_name + "/"):
                self.counts[k] = 0
        self.stack, self.scope = old_stack, old_scope

    def do_ns(self, name: str, body: Program) -> None:
        old = self.stack
        self.stack = self.unique(name)
        self.out.append(f"ns:{self.stack}/")
        self.block(body)
        self.stack = old

    def do_gv(self, name: str, dim: int) -> None:
        scope_name, reuse, _ = self.scope
        full = scope_name + "/" + name if scope_name else name
        found = self.store.get(full)
        if reuse is True and found is None:
            self.out.append(f"err:Variable {full} does not exist, or was not created with "
                            "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                            "VarScope?")
            return
        if reuse is False and found is not None:
            self.out.append(f"err:Variable {full} already exists, disallowed. Did you mean to "
                            "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            return
        if found is not None:
            if found[1] != dim:
                self.out.append(f"err:Trying to share variable {full}, but specified shape "
                                f"({dim},) and found shape ({found[1]},).")
                return
            self.out.append(f"gv:{found[0]}:0")
            return
        # Variable names ignore the name stack: the graph name is unique(full name) at root.
        old, self.stack = self.stack, ""
        graph_name = self.unique(full)
        self.stack = old
        self.store[full] = (graph_name, dim)
        self.out.append(f"gv:{graph_name}:0")

    def do_var(self, name: str | None) -> None:
        self.out.append(f"var:{self.unique(name or 'Variable')}:0")

    def do_const(self, name: str | None) -> None:
        self.out.append(f"const:{self.unique(name or 'Const')}:0")

    def do_add(self) -> None:
        x = self.unique("Const")
        y = self.unique("Const")
        self.out.append(f"add:{x}:0,{y}:0,{self.unique('add')}:0")


def run_program(prog: Program) -> list[str]:
    """Runs ``prog`` through varstore and records what it observes, as the model does."""
    out: list[str] = []
    reuse_args = {"none": None, "false": False, "true": True, "auto": tf.AUTO_REUSE}

    def block(stmts: Program) -> None:
        for st_ in stmts:
            kind = st_[0]
            if kind == "vs":
                _, name, default, reuse, body = st_
                cm = tf.variable_scope(name, default_name=default, reuse=reuse_args[reuse])
                try:
                    scope = cm.__enter__()
                except ValueError as e:
                    out.append(f"err:{e}")
                    continue
                try:
                    out.append(f"vs:{scope.name}|{scope.original_name_scope}|"
                               f"{_reuse_str(scope.reuse)}")
                    block(body)
                finally:
                    cm.__exit__(None, None, None)
            elif kind == "ns":
                with tf.name_scope(st_[1]) as s:
                    out.append(f"ns:{s}")
                    block(st_[2])
            elif kind == "gv":
                try:
                    v = tf.get_variable(st_[1], [st_[2]], initializer=tf.zeros_initializer())
                    out.append(f"gv:{v.name}")
                except ValueError as e:
                    out.append(f"err:{e}")
            elif kind == "var":
                v = tf.Variable(1.0, name=st_[1]) if st_[1] else tf.Variable(1.0)
                out.append(f"var:{v.name}")
            elif kind == "const":
                c = tf.constant(1.0, name=st_[1]) if st_[1] else tf.constant(1.0)
                out.append(f"const:{c.name}")
            elif kind == "add":
                x = tf.constant(1.0)
                y = tf.constant(2.0)
                out.append(f"add:{x.name},{y.name},{(x + y).name}")
            else:  # pragma: no cover
                raise AssertionError(kind)

    block(prog)
    return out


# -- program strategy ---------------------------------------------------------------------------
_names = st.sampled_from(NAMES)
_leaf = st.one_of(
    st.tuples(st.just("gv"), _names, st.sampled_from((1, 2))),
    st.tuples(st.just("var"), st.sampled_from((None, *NAMES))),
    st.tuples(st.just("const"), st.sampled_from((None, *NAMES))),
    st.just(("add",)),
)


def _blocks(children: Any) -> Any:
    body = st.lists(children, max_size=4)
    return st.one_of(
        st.tuples(st.just("vs"), _names, st.none(), st.sampled_from(REUSE), body),
        st.tuples(st.just("vs"), st.none(), _names, st.sampled_from(REUSE), body),
        st.tuples(st.just("ns"), _names, body),
    )


_statement = st.recursive(_leaf, _blocks, max_leaves=14)
programs = st.lists(_statement, min_size=1, max_size=6)

_SETTINGS = settings(max_examples=600, derandomize=True, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])


def test_model_matches_known_tf_program_when_scopes_reset_counters() -> None:
    prog: Program = [
        ("vs", "m", None, "none", [("vs", None, "a", "none", [("gv", "w", 1)]),
                                   ("vs", None, "a", "none", [])]),
        ("vs", "m", None, "true", [("vs", None, "a", "none", [("gv", "w", 1)])]),
        ("const", "a"), ("gv", "a", 2), ("gv", "A", 2), ("add",),
    ]
    expected = [
        "vs:m|m/|false", "vs:m/a|m/a/|false", "gv:m/a/w:0", "vs:m/a_1|m/a_1/|false",
        "vs:m|m_1/|true", "vs:m/a|m_1/a/|true", "gv:m/a/w:0",
        "const:a:0", "gv:a_1:0", "gv:A_2:0", "add:Const:0,Const_1:0,add:0",
    ]
    assert Tf1Model().run(prog) == expected
    assert run_program(prog) == expected


@_SETTINGS
@given(prog=programs)
def test_names_and_reuse_match_tf1_model_when_program_is_random(prog: Program) -> None:
    tf.reset_default_graph()
    expected = Tf1Model().run(prog)
    assert run_program(prog) == expected
    # The store holds exactly the variables the model created, in creation order.
    created = [e[3:] for e in expected if e.startswith("gv:")]
    var_names = [e[4:] for e in expected if e.startswith("var:")]
    listed = [v.name for v in tf.global_variables()]
    assert sorted(listed) == sorted(set(created) | set(var_names))
    assert tf.get_variable_scope().name == ""
    assert tf.get_default_graph().get_name_scope() == ""


# -- conv2d against NumPy on every ISA ----------------------------------------------------------
def _conv_reference(x: np.ndarray, w: np.ndarray, strides: tuple[int, int],
                    dilations: tuple[int, int], padding: Any) -> np.ndarray:
    """float64 NHWC x HWIO conv2d: TF's SAME split (extra pixel after), VALID, or explicit
    [[0, 0], [top, bottom], [left, right], [0, 0]]."""
    n, h, wd, _ = x.shape
    kh, kw, _, cout = w.shape
    pads = []
    for axis, (size, k, s, d) in enumerate(((h, kh, strides[0], dilations[0]),
                                             (wd, kw, strides[1], dilations[1]))):
        eff = (k - 1) * d + 1
        if padding == "SAME":
            out = -(-size // s)
            total = max((out - 1) * s + eff - size, 0)
            pads.append((total // 2, total - total // 2))
        elif padding == "VALID":
            pads.append((0, 0))
        else:
            pads.append(tuple(padding[axis + 1]))
    xp = np.pad(x.astype(np.float64), ((0, 0), pads[0], pads[1], (0, 0)))
    (sh, sw), (dh, dw) = strides, dilations
    oh = (xp.shape[1] - ((kh - 1) * dh + 1)) // sh + 1
    ow = (xp.shape[2] - ((kw - 1) * dw + 1)) // sw + 1
    out = np.zeros((n, oh, ow, cout))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                       j * dw:j * dw + (ow - 1) * sw + 1:sw, :]
            out += patch @ w[i, j].astype(np.float64)
    return out


@st.composite
def conv_cases(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    cin, cout = draw(st.integers(1, 20)), draw(st.integers(1, 20))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilations = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    kind = draw(st.sampled_from(("SAME", "VALID", "EXPLICIT")))
    padding: Any = kind
    if kind == "EXPLICIT":
        padding = [[0, 0], [draw(st.integers(0, 3)), draw(st.integers(0, 3))],
                   [draw(st.integers(0, 3)), draw(st.integers(0, 3))], [0, 0]]
    # VALID / explicit need a non-empty output (the empty case is a bad-input test).
    if kind != "SAME":
        pad_h = 0 if kind == "VALID" else padding[1][0] + padding[1][1]
        pad_w = 0 if kind == "VALID" else padding[2][0] + padding[2][1]
        if (kh - 1) * dilations[0] + 1 > h + pad_h:
            kh = 1
        if (kw - 1) * dilations[1] + 1 > w + pad_w:
            kw = 1
    return {"shape": (n, h, w, cin), "filter": (kh, kw, cin, cout), "strides": strides,
            "dilations": dilations, "padding": padding,
            "fuse": draw(st.sampled_from(("none", "bias", "bias_relu", "relu"))),
            "seed": draw(st.integers(0, 2**31 - 1))}


ISAS = ("avx512", "avx2", "scalar")


@pytest.mark.isa
@pytest.mark.parametrize("isa", ISAS, ids=list(ISAS))
def test_conv2d_matches_numpy_when_shapes_are_random(isa: str) -> None:
    if isa not in kernels.compiled_isas():
        pytest.skip(f"{isa} is not compiled into this build ({kernels.compiled_isas()})")
    if isa not in kernels.supported_isas():
        pytest.skip(f"this CPU/OS lacks {isa} (supported: {kernels.supported_isas()})")
    kernels.force_isa(isa)
    try:
        assert kernels.active_isa() == isa
        _check_random_convs()
        assert kernels.active_isa() == isa
    finally:
        kernels.reset_isa()


@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=conv_cases())
def _check_random_convs(case: dict[str, Any]) -> None:
    tf.reset_default_graph()
    rng = np.random.default_rng(case["seed"])
    x = rng.standard_normal(case["shape"]).astype(np.float32)
    f = rng.standard_normal(case["filter"]).astype(np.float32)
    b = rng.standard_normal(case["filter"][3]).astype(np.float32)
    sh, sw = case["strides"]
    dh, dw = case["dilations"]
    y = tf.nn.conv2d(x, f, [1, sh, sw, 1], case["padding"], dilations=[1, dh, dw, 1])
    ref = _conv_reference(x, f, case["strides"], case["dilations"], case["padding"])
    fuse = case["fuse"]
    if fuse in ("bias", "bias_relu"):
        y = tf.nn.bias_add(y, b)
        ref = ref + b
    if fuse in ("relu", "bias_relu"):
        y = tf.nn.relu(y)
        ref = np.maximum(ref, 0.0)
    got = y.numpy()
    assert got.dtype == np.float32
    assert got.shape == ref.shape
    assert y.shape.as_list() == list(ref.shape)
    k = case["filter"][0] * case["filter"][1] * case["filter"][2]
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-5 * (1 + np.sqrt(k)) * 4)
