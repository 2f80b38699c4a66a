"""The op registry: each op type's kernel factory, statefulness, ref inputs and gradient
(``register_kernel``, ``RegisterGradient``, ``NotDifferentiable``), looked up by type name.
``varstore.framework.ops`` re-exports all of it; the op families register through there."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from varstore.framework.ops import Operation

__all__ = [
    "NoGradient",
    "NotDifferentiable",
    "RegisterGradient",
    "get_gradient_function",
    "is_stateful",
    "kernel_factory",
    "no_gradient",
    "ref_inputs",
    "register_kernel",
]


class _OpInfo:
    """What the runtime knows of an op type: its kernel factory, its gradient and flags."""

    __slots__ = ("grad", "kernel", "no_grad", "ref_inputs", "stateful")

    def __init__(self) -> None:
        self.kernel: Callable[..., Callable[..., Any]] | None = None
        self.grad: Callable[..., Any] | None = None
        self.no_grad = False
        self.stateful = False
        # Inputs that name a ref variable to write (Assign's `ref`): not read, so not run.
        self.ref_inputs: tuple[int, ...] = ()


_REGISTRY: dict[str, _OpInfo] = {}


def _info(op_type: str) -> _OpInfo:
    info = _REGISTRY.get(op_type)
    if info is None:
        info = _REGISTRY[op_type] = _OpInfo()
    return info


def register_kernel(op_type: str, stateful: bool = False, ref_inputs: tuple[int, ...] = ()
                    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers the kernel factory of ``op_type``: ``factory(op)`` or ``factory(op, ctx)``
    (ctx: the session's RunContext) returning the kernel callable. ``stateful`` ops
    (variables, random draws, assignments) are never folded into constants and run on every
    run; ``ref_inputs`` are inputs that only name a ref variable (not read, not run)."""

    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        info = _info(op_type)
        if info.kernel is not None:
            raise KeyError(f"A kernel for op type {op_type!r} is already registered")
        info.kernel = factory
        info.stateful = stateful
        info.ref_inputs = ref_inputs
        return factory

    return decorate


def kernel_factory(op_type: str) -> Callable[..., Any] | None:
    info = _REGISTRY.get(op_type)
    return None if info is None else info.kernel


def is_stateful(op_type: str) -> bool:
    info = _REGISTRY.get(op_type)
    return info is not None and info.stateful


def ref_inputs(op_type: str) -> tuple[int, ...]:
    info = _REGISTRY.get(op_type)
    return () if info is None else info.ref_inputs


class RegisterGradient:
    """``@tf.RegisterGradient("OpType")``: the function ``f(op, *output_grads)`` returning one
    gradient (or None) per input of the op."""

    def __init__(self, op_type: str) -> None:
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f: Callable[..., Any]) -> Callable[..., Any]:
        info = _info(self._op_type)
        if info.grad is not None or info.no_grad:
            raise KeyError(f"Registering two gradient with name '{self._op_type}'! (Previous "
                           "registration was in the same process)")
        info.grad = f
        return f


def NotDifferentiable(op_type: str) -> None:
    """Declares that ops of ``op_type`` have no gradient (their inputs get None)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _info(op_type).no_grad = True


NoGradient = NotDifferentiable
no_gradient = NotDifferentiable


def get_gradient_function(op: Operation) -> Callable[..., Any] | None:
    """The gradient function of ``op`` (honouring ``gradient_override_map``), None if the op
    type is not differentiable; LookupError if its type has no registered gradient."""
    op_type = op._type
    override = op._attrs.get("_gradient_op_type") if op._attrs else None
    if override is not None:
        op_type = override if isinstance(override, str) else override.decode()
    info = _REGISTRY.get(op_type)
    if info is None or (info.grad is None and not info.no_grad):
        # TF's text, its missing space included: tests match on "operation'name'".
        raise LookupError(f"No gradient defined for operation'{op._name}' (op type: {op_type}). "
                          "In general every operation must have an associated "
                          "`@tf.RegisterGradient` for correct autodiff, which this op is "
                          "lacking. If you want to pretend this operation is a constant in your "
                          "program, you may insert `tf.stop_gradient`. This can be useful to "
                          "silence the error in cases where you know gradients are not needed, "
                          "e.g. the forward pass of tf.custom_gradient. Please see more details "
                          "in https://www.tensorflow.org/api_docs/python/tf/custom_gradient.")
    return info.grad
