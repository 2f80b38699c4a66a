"""``tf.case`` as TF's control_flow_case.py builds it (nested ``tf.cond`` calls, the first
predicate outermost; without a default the last pair's branch is the default, guarded by
Asserts), and ``tf.switch_case``.

TF builds switch_case as one ``Case`` op (cond_v2.indexed_case); varstore has no Case op and
builds it as nested conds on ``branch_index == i``, with an index out of range running the
last branch, as the Case kernel does. The values and gradients are the same; the op names
differ.
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Callable
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_stack_ops import stack
from varstore.ops.check_ops import Assert
from varstore.ops.control_flow_ops import cond
from varstore.ops.math_ops import equal, less_equal
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_unary_ops import cast

__all__ = ["case", "switch_case"]


def _assert_at_most_n_true(predicates: list[Any], n: int, msg: str) -> Any:
    preds_c = stack(list(predicates), name="preds_c")
    num_true = reduce_sum(cast(preds_c, _dtypes.int32), name="num_true_conds")
    condition = less_equal(num_true, constant(n, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    return Assert(condition, [f"{msg}: more than {n} conditions ({names}) evaluated as True:",
                              preds_c], summarize=len(predicates))


def _default_action(predicates: list[Any], actions: list[Any]) -> tuple[Any, list[Any],
                                                                         list[Any]]:
    """TF's _case_create_default_action: the last pair's branch, run when no other
    predicate holds, asserting that its own does."""
    k = len(predicates) - 1
    predicate, action = predicates[k], actions[k]
    others_p, others_a = predicates[:k], actions[:k]

    def default_action() -> Any:
        others_msg = (f"Implementation error: selected default action #{k} was called, but "
                      "some of other predicates are True: ")
        default_msg = ["Input error: None of conditions evaluated as True:",
                       stack(list(predicates), name="preds_c")]
        deps = [Assert(predicate, default_msg)]
        if others_p:
            deps.insert(0, _assert_at_most_n_true(others_p, 0, others_msg))
        with get_default_graph().control_dependencies(deps):
            return action()

    return default_action, others_p, others_a


def _canonical_pairs(pred_fn_pairs: Any) -> tuple[list[Any], list[Any]]:
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError("'pred_fn_pairs' must be a list, tuple, or dict. Received: "
                        f"{type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, collections.OrderedDict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, dict):
        # graph mode orders a plain dict by the predicates' names
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received "
                            f"{pair}.")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype != _dtypes.bool:
                raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        else:
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
    return [p for p, _ in pred_fn_pairs], [f for _, f in pred_fn_pairs]


def case(pred_fn_pairs: Any, default: Callable[[], Any] | None = None,
         exclusive: bool = False, strict: bool = False, name: str = "case") -> Any:
    """``tf.case``: the results of the first pair whose predicate is true, else of
    ``default``; ``exclusive`` asserts that at most one predicate is true."""
    predicates, actions = _canonical_pairs(pred_fn_pairs)
    with name_scope(name):
        if default is None:
            default, predicates, actions = _default_action(predicates, actions)
        fn: Callable[[], Any] = default
        # the conditions are tested in order: the first pair's cond is the outermost
        for predicate, action in reversed(list(zip(predicates, actions))):
            fn = functools.partial(cond, predicate, true_fn=action, false_fn=fn,
                                   strict=strict)
        if exclusive:
            with get_default_graph().control_dependencies(
                    [_assert_at_most_n_true(predicates, 1, "Input error: exclusive=True")]):
                return fn()
        return fn()


def switch_case(branch_index: Any, branch_fns: Any, default: Callable[[], Any] | None = None,
                name: str = "switch_case") -> Any:
    """``tf.switch_case``: the results of ``branch_fns[branch_index]``; an index out of
    range runs ``default`` (else the last branch)."""
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    pairs: Any = list(branch_fns.items()) if isinstance(branch_fns, dict) else branch_fns
    if all(callable(fn) for fn in pairs):
        pairs = list(enumerate(pairs))
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        key, fn = pair
        if not isinstance(key, int):
            raise TypeError(f"key must be a Python `int`, got {type(key)}")
        if not callable(fn):
            raise TypeError(f"fn for key {key} must be callable.")
    keys = [p[0] for p in pairs]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        raise ValueError("branch indices (keys) must form contiguous range of [0 to "
                         f"{len(keys)}) but found {{{','.join(map(str, sorted(keys)))}}}")
    actions = [fn for _, fn in sorted(pairs, key=lambda p: p[0])]
    if default is not None:
        actions.append(default)
    with name_scope(name):
        index = convert_to_tensor(branch_index)
        run: Callable[[], Any] = actions[-1]  # the Case kernel's choice out of range
        for i in reversed(range(len(actions) - 1)):
            run = functools.partial(cond, equal(index, i), true_fn=actions[i], false_fn=run)
        return run()
