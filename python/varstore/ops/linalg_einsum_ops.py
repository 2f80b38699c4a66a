"""``tf.einsum``: op ``Einsum`` (one or two operands, ``...`` for broadcast batch dims) under
``einsum``, with static shape inference, a numpy.einsum kernel and a gradient written as
einsums, as linalg_grad._EinsumGrad does: each operand's gradient contracts the output
gradient with the other operand, then labels summed away inside one operand are broadcast
back."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)

__all__ = ["einsum"]

Dims = tuple[int | None, ...] | None
_ELL = "."  # one character standing for "..." while parsing


def _parse(equation: str, n_inputs: int) -> tuple[list[str], str]:
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->", 1)
    else:
        lhs = eq
        counts: dict[str, int] = {}
        for c in lhs.replace("...", "").replace(",", ""):
            counts[c] = counts.get(c, 0) + 1
        # NumPy's implicit mode: the labels that appear once, sorted
        out = ("..." if "..." in lhs else "") + "".join(
            sorted(c for c, k in counts.items() if k == 1))
    ins = lhs.split(",")
    if len(ins) != n_inputs:
        raise ValueError(f'Got {n_inputs} inputs for equation "{equation}", expecting '
                         f"{len(ins)}")
    for term in [*ins, out]:
        if not re.fullmatch(r"[A-Za-z]*(\.\.\.)?[A-Za-z]*", term):
            raise ValueError(f"Invalid Einstein summation equation: {equation}")
    return [t.replace("...", _ELL) for t in ins], out.replace("...", _ELL)


def _label_dims(full: str, attrs: str, terms: list[str], out: str, xs: list[Tensor]) -> Dims:
    sizes: dict[str, int | None] = {}
    ell: list[int | None] | None = []
    for term, x in zip(terms, xs):
        s = x._shape
        if s is None:
            ell = None if _ELL in term else ell
            continue
        n_named = len(term.replace(_ELL, ""))
        if (_ELL not in term and len(s) != n_named) or len(s) < n_named:
            raise node_error(f"Expecting {n_named} dimensions but got {len(s)}", full,
                             "Einsum", attrs, xs)
        pos = term.find(_ELL)
        if pos < 0:
            named = list(zip(term, s))
        else:
            k = len(s) - n_named
            named = list(zip(term[:pos], s[:pos])) + list(zip(term[pos + 1:], s[pos + k:]))
            if ell is not None:
                e = list(s[pos:pos + k])
                # broadcast the ellipsis dims of the operands (right-aligned)
                r = max(len(ell), len(e))
                a = [1] * (r - len(ell)) + ell
                b = [1] * (r - len(e)) + e
                ell = [q if p == 1 else p if q == 1 or q is None else
                       q if p is None else p for p, q in zip(a, b)]
        for c, d in named:
            prev = sizes.get(c)
            if prev is not None and d is not None and prev != d:
                raise node_error(f"Dimensions must be equal, but are {prev} and {d}", full,
                                 "Einsum", attrs, xs)
            if prev is None:
                sizes[c] = d
    if any(x._shape is None for x in xs) and ell is None:
        return None
    dims: list[int | None] = []
    for c in out:
        if c == _ELL:
            if ell is None:
                return None
            dims.extend(ell)
        else:
            dims.append(sizes.get(c))
    return tuple(dims)


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """``tf.einsum``: op ``Einsum`` named ``einsum/Einsum``."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for this function: "
                        f"{', '.join(sorted(kwargs))}. Expected: name.")
    graph = check_same_graph(*inputs)
    scope = graph._op_name(name, "einsum")
    with scope_of(graph, scope):
        xs = [convert_to_tensor(v) for v in inputs]
        terms, out = _parse(equation, len(xs))
        if len(xs) > 2:
            raise ValueError("varstore's einsum takes one or two operands")
        full = graph._op_name(None, "Einsum")
        attrs = f'N={len(xs)}, T={dt_enum(xs[0]._dtype)}, equation="{equation}"'
        for x in xs[1:]:
            if x._dtype is not xs[0]._dtype:
                raise TypeError(f"Tensors in list passed to 'inputs' of 'Einsum' Op have "
                                f"types [{', '.join(t._dtype.name for t in xs)}] that don't "
                                f"all match.")
        shape = _label_dims(full, attrs, terms, out, xs)
        return make_op(graph, full, "Einsum", xs, {"N": len(xs), "T": xs[0]._dtype,
                                                   "equation": equation},
                       [(xs[0]._dtype, shape)])._outputs[0]


@register_kernel("Einsum")
def _einsum_kernel(op: Operation) -> Callable[..., Any]:
    eq = op._attrs["equation"].replace(" ", "")
    if "->" not in eq:
        terms, out = _parse(eq, op._attrs["N"])
        eq = ",".join(terms).replace(_ELL, "...") + "->" + out.replace(_ELL, "...")
    return lambda *xs: np.asarray(np.einsum(eq, *xs))


def _spelled(term: str) -> str:
    return term.replace(_ELL, "...")


def _grad_for(term: str, keep_from: str, g_term: str, others: list[tuple[str, Tensor]],
              grad: Tensor, x: Tensor) -> Tensor:
    """The gradient of the operand labelled ``term``: einsum(grad, others -> the labels of
    ``term`` that grad or the others carry), then broadcast over the rest of ``term``."""
    if len(set(term.replace(_ELL, ""))) != len(term.replace(_ELL, "")):
        raise ValueError(f"varstore's Einsum gradient lacks repeated labels in one operand "
                         f"({_spelled(term)!r})")
    present = "".join(c for c in term if c in keep_from or c == _ELL)
    eq = ",".join([_spelled(g_term), *(_spelled(t) for t, _ in others)]) + "->" + \
        _spelled(present)
    g = einsum(eq, grad, *(t for _, t in others))
    if present != term:
        # labels summed away inside this operand: insert unit dims, broadcast to its shape
        for i, c in enumerate(term):
            if c not in present:
                g = builders.expand_dims(g, i)
        g = builders.broadcast_to(g, builders.shape(x))
    return g


@RegisterGradient("Einsum")
def _einsum_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    terms, out = _parse(op._attrs["equation"], len(op._inputs))
    if _ELL in "".join(terms) and any(
            x._shape is None or len(x._shape) != len(op._inputs[0]._shape or ())
            for x in op._inputs):
        raise ValueError("varstore's Einsum gradient needs operands whose '...' dims do not "
                         "broadcast")
    if len(terms) == 1:
        return [_grad_for(terms[0], out, out, [], grad, op._inputs[0])]
    a, b = op._inputs
    ta, tb = terms
    return [_grad_for(ta, out + tb, out, [(tb, b)], grad, a),
            _grad_for(tb, out + ta, out, [(ta, a)], grad, b)]


builders.register(globals(), __all__)
