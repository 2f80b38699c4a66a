"""``tf.nn.rnn_cell`` wrappers: DropoutWrapper, ResidualWrapper and DeviceWrapper (TF1's
legacy_cell_wrappers). A wrapper is an RNNCell without weights of its own: it calls the
wrapped cell in the caller's scope, so the variable names are the wrapped cell's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import device as _device
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops.array_ops import shape as _shape_of
from varstore.ops.array_stack_ops import concat
from varstore.ops.math_ops import divide, greater_equal, multiply
from varstore.ops.math_unary_ops import cast, floor
from varstore.ops.random_ops import random_uniform
from varstore.ops.rnn_cell_impl import LSTMStateTuple, RNNCell, assert_like_rnncell
from varstore.util.nest import flatten, map_structure, pack_sequence_as

__all__ = ["DeviceWrapper", "DropoutWrapper", "ResidualWrapper"]


class _RNNCellWrapper(RNNCell):
    def __init__(self, cell: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        assert_like_rnncell("cell", cell)
        self.cell = cell

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        raise NotImplementedError

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        return self._call_wrapped_cell(inputs, state, cell_call_fn=self.cell.__call__,
                                       scope=scope)

    @property
    def wrapped_cell(self) -> Any:
        return self.cell

    @property
    def state_size(self) -> Any:
        return self.cell.state_size

    @property
    def output_size(self) -> Any:
        return self.cell.output_size

    @property
    def trainable_weights(self) -> list[Any]:
        return list(getattr(self.cell, "trainable_weights", []))

    @property
    def non_trainable_weights(self) -> list[Any]:
        return list(getattr(self.cell, "non_trainable_weights", []))

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)


def _dropout(x: Tensor, keep_prob: Any, seed: int | None) -> Tensor:
    """TF2's nn.dropout(x, rate=1 - keep_prob) as TF1 graphs build it: ``x / keep`` times a
    uniform draw's ``>= rate`` mask, in name scope ``dropout``."""
    with get_default_graph().name_scope("dropout"):
        x = convert_to_tensor(x, name="x")
        rate = convert_to_tensor(1.0 - keep_prob if isinstance(keep_prob, float)
                                 else 1 - keep_prob, dtype=x.dtype, name="rate")
        scale = 1 / (1 - rate)
        x_scale = x * scale
        random_tensor = random_uniform(_shape_of(x), seed=seed, dtype=x.dtype)
        keep_mask = greater_equal(random_tensor, rate)
        ret = multiply(x_scale, cast(keep_mask, x.dtype))
        ret.set_shape(x.get_shape())
        return ret


def _default_filter(substate: Any) -> Any:
    # TF: the c of an LSTM state is never dropped, only h.
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _variational(x: Tensor, noise: Tensor, keep_prob: Any) -> Tensor:
    """Variational dropout of one leaf: ``x / keep * floor(keep + noise)``, the same mask
    on every step."""
    ret = divide(x, keep_prob) * floor(keep_prob + noise)
    ret.set_shape(x.get_shape())
    return ret


class DropoutWrapper(_RNNCellWrapper):
    """``tf.nn.rnn_cell.DropoutWrapper``: dropout on the cell's inputs, outputs and state
    (keep probabilities; 1.0 adds no ops). ``variational_recurrent=True`` draws one mask
    per input/state/output leaf when the wrapper is made (shape ``[1, size]``: the same for
    every batch entry and time step), as Gal & Ghahramani's recurrent dropout."""

    def __init__(self, cell: Any, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False,
                 input_size: Any = None, dtype: Any = None, seed: int | None = None,
                 dropout_state_filter_visitor: Any = None, **kwargs: Any) -> None:
        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(
                dropout_state_filter_visitor):
            raise TypeError("dropout_state_filter_visitor must be callable. Received: "
                            f"{dropout_state_filter_visitor}")
        self._dropout_state_filter = dropout_state_filter_visitor or _default_filter
        self._input_keep_prob: Any = 1.0
        self._state_keep_prob: Any = 1.0
        self._output_keep_prob: Any = 1.0
        with get_default_graph().name_scope("DropoutWrapperInit"):
            for prob, attr in ((input_keep_prob, "input_keep_prob"),
                               (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")):
                t = convert_to_tensor(prob)
                const = constant_value(t)
                if const is not None:
                    if const < 0 or const > 1:
                        raise ValueError(f"Parameter {attr} must be between 0 and 1. "
                                         f"Received {const}")
                    setattr(self, f"_{attr}", float(const))
                else:
                    setattr(self, f"_{attr}", t)
        self._input_size = input_size
        self._seed = seed
        self._variational_recurrent = variational_recurrent
        self._noise: dict[str, Any] = {}
        if variational_recurrent:
            self._make_noise(cell, input_size, dtype)

    def _make_noise(self, cell: Any, input_size: Any, dtype: Any) -> None:
        """The fixed uniform draws of variational dropout, per leaf of the sizes (TF makes
        them at construction, outside DropoutWrapperInit)."""
        if dtype is None:
            raise ValueError("When variational_recurrent=True, dtype must be provided")

        def noise(sizes: Any, salt: str) -> Any:
            leaves = [random_uniform(concat(([1], TensorShape(s).as_list()), 0),
                                     seed=self._gen_seed(salt, i), dtype=dtype)
                      for i, s in enumerate(flatten(sizes))]
            return pack_sequence_as(sizes, leaves)

        keep_in = self._input_keep_prob
        if not isinstance(keep_in, float) or keep_in < 1.0:
            if input_size is None:
                raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or "
                                 "is unknown, input_size must be provided")
            self._noise["input"] = noise(input_size, "input")
        self._noise["state"] = noise(cell.state_size, "state")
        self._noise["output"] = noise(cell.output_size, "output")

    def _gen_seed(self, salt_prefix: str, index: int) -> int | None:
        if self._seed is None:
            return None
        salt = f"{salt_prefix}_{index}"
        string = (str(self._seed) + salt).encode("utf-8")
        return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout_all(self, values: Any, salt: str, keep_prob: Any,
                     do_flags: list[Any] | None = None) -> Any:
        flat = flatten(values)
        flags = do_flags if do_flags is not None else [True] * len(flat)
        if self._variational_recurrent:
            noise = flatten(self._noise[salt])
            out = [_variational(v, n, keep_prob) if do is not False else v
                   for v, n, do in zip(flat, noise, flags)]
        else:
            out = [_dropout(v, keep_prob, self._gen_seed(salt, i)) if do is not False else v
                   for i, (v, do) in enumerate(zip(flat, flags))]
        return pack_sequence_as(values, out)

    def _state_flags(self, state: Any) -> list[Any]:
        """Which leaves of ``state`` the filter visitor lets through (per-leaf booleans)."""
        def visit(s: Any) -> list[Any]:
            verdict = self._dropout_state_filter(s)
            if isinstance(verdict, bool):
                return [verdict] * len(flatten(s))
            if isinstance(s, (list, tuple)):
                flags: list[Any] = []
                for sub, v in zip(s, verdict):
                    flags.extend([v] * len(flatten(sub)) if isinstance(v, bool) else visit(sub))
                return flags
            return [verdict]

        if isinstance(state, (list, tuple)) and not isinstance(state, LSTMStateTuple):
            return [f for sub in state for f in visit(sub)]
        return visit(state)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        def should(p: Any) -> bool:
            return (not isinstance(p, float)) or p < 1

        if should(self._input_keep_prob):
            inputs = self._dropout_all(inputs, "input", self._input_keep_prob)
        output, new_state = cell_call_fn(inputs, state, **kwargs)
        if should(self._state_keep_prob):
            new_state = self._dropout_all(new_state, "state", self._state_keep_prob,
                                          self._state_flags(new_state))
        if should(self._output_keep_prob):
            output = self._dropout_all(output, "output", self._output_keep_prob)
        return output, new_state


class ResidualWrapper(_RNNCellWrapper):
    """``tf.nn.rnn_cell.ResidualWrapper``: output = inputs + cell output (or residual_fn)."""

    def __init__(self, cell: Any, residual_fn: Callable[[Any, Any], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        outputs, new_state = cell_call_fn(inputs, state, **kwargs)

        def default(inp: Any, out: Any) -> Any:
            def one(i: Any, o: Any) -> Any:
                i.get_shape().assert_is_compatible_with(o.get_shape())
                return i + o
            return map_structure(one, inp, out)

        return (self._residual_fn or default)(inputs, outputs), new_state


class DeviceWrapper(_RNNCellWrapper):
    """``tf.nn.rnn_cell.DeviceWrapper``: the wrapped cell's ops on ``device``."""

    def __init__(self, cell: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"), \
                _device(self._device):
            return self.cell.zero_state(batch_size, dtype)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        with _device(self._device):
            return cell_call_fn(inputs, state, **kwargs)  # type: ignore[no-any-return]

