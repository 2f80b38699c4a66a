"""TF1's CTC family: ``tf.nn.ctc_loss`` (op CTCLoss: loss and its gradient, computed by
forward-backward in log space as TF's ctc_loss_calculator), ``tf.nn.ctc_greedy_decoder``
(CTCGreedyDecoder) and ``tf.nn.ctc_beam_search_decoder`` (CTCBeamSearchDecoder: TF's prefix
beam search with the default scorer). The blank label is ``num_classes - 1``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import FailedPreconditionError, InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
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
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.ctc_beam_search import beam_search_decode

__all__ = ["ctc_beam_search_decoder", "ctc_beam_search_decoder_v2", "ctc_greedy_decoder",
           "ctc_loss"]

_FLOATS = "float32, float64"
_NEG_INF = -np.inf


def _b(v: bool) -> str:
    return "true" if v else "false"


def _rank(x: Tensor, rank: int, full: str, op_type: str, text: str, inputs: list[Tensor]) -> None:
    if x._shape is not None and len(x._shape) != rank:
        raise node_error(f"Shape must be rank {rank} but is rank {len(x._shape)}", full, op_type,
                         text, inputs)


def _merge(a: int | None, b: int | None, full: str, op_type: str, text: str,
           inputs: list[Tensor]) -> int | None:
    if a is not None and b is not None and a != b:
        raise node_error(f"Dimensions must be equal, but are {a} and {b}", full, op_type, text,
                         inputs)
    return a if a is not None else b


def _int_input(value: Any, dtype: Any, op_type: str, arg: str) -> Tensor:
    """An input of a fixed type (TF's op_def_library: a Tensor of another type is a
    TypeError, a Python value is converted to the type)."""
    if isinstance(value, Tensor):
        if value._dtype is not dtype:
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {value._dtype.name} that "
                            f"does not match expected type of {dtype.name}.")
        return value
    return convert_to_tensor(value, dtype=dtype, name=arg)


def _dim(x: Tensor, i: int) -> int | None:
    return None if x._shape is None else x._shape[i]


# -- CTCLoss -------------------------------------------------------------------------------------
def ctc_loss(labels: Any, inputs: Any = None, sequence_length: Any = None,
             preprocess_collapse_repeated: bool = False, ctc_merge_repeated: bool = True,
             ignore_longer_outputs_than_inputs: bool = False, time_major: bool = True,
             logits: Any = None) -> Tensor:
    """``tf.nn.ctc_loss`` (TF1): the negative log probability of each batch item's label
    sequence; ``labels`` an int32 SparseTensor, ``inputs`` [max_time, batch, num_classes]
    (or batch-major when ``time_major`` is False), softmax applied by the op."""
    if not isinstance(labels, SparseTensor):
        raise TypeError("Expected argument `labels` to be a SparseTensor. "
                        f"Received labels={labels} of type: {_type_name(labels)}")
    if logits is not None:
        if inputs is not None:
            raise ValueError("Cannot specify both 'inputs' and 'logits'.")
        inputs = logits
    x = convert_to_tensor(inputs, name="logits")
    if not time_major:
        x = builders.transpose(x, [1, 0, 2])
    orig = x._dtype
    if orig is _dtypes.float16:
        # TF's kernel is float/double only: half inputs are computed in float32
        x = builders.cast(x, _dtypes.float32)
    loss = _ctc_loss_op(x, labels.indices, labels.values, sequence_length,
                        preprocess_collapse_repeated, ctc_merge_repeated,
                        ignore_longer_outputs_than_inputs)
    if orig is _dtypes.float16:
        loss = builders.cast(loss, orig)
    return loss


def _type_name(v: Any) -> str:
    # TF1 graph tensors are SymbolicTensor in TF's message
    return "SymbolicTensor" if isinstance(v, Tensor) else type(v).__name__


def _ctc_loss_op(inputs: Tensor, indices: Tensor, values: Tensor, sequence_length: Any,
                 collapse: bool, merge: bool, ignore_longer: bool) -> Tensor:
    graph = check_same_graph(inputs, indices, values, sequence_length)
    full = graph._op_name(None, "CTCLoss")
    with scope_of(graph, full):
        x = first_input(inputs, "inputs")
        check_allowed(x._dtype, _FLOATS, "inputs")
        values = _int_input(values, _dtypes.int32, "CTCLoss", "labels_values")
        seq = _int_input(sequence_length, _dtypes.int32, "CTCLoss", "sequence_length")
    text = (f"T={dt_enum(x._dtype)}, ctc_merge_repeated={_b(merge)}, "
            f"ignore_longer_outputs_than_inputs={_b(ignore_longer)}, "
            f"preprocess_collapse_repeated={_b(collapse)}")
    ins = [x, indices, values, seq]
    for t, r in zip(ins, (3, 2, 1, 1), strict=True):
        _rank(t, r, full, "CTCLoss", text, ins)
    _merge(_dim(indices, 0), _dim(values, 0), full, "CTCLoss", text, ins)
    batch = _merge(_dim(x, 1), _dim(seq, 0), full, "CTCLoss", text, ins)
    grad_shape = None if x._shape is None else (x._shape[0], batch, x._shape[2])
    op = make_op(graph, full, "CTCLoss", ins,
                 {"T": x._dtype, "ctc_merge_repeated": merge,
                  "ignore_longer_outputs_than_inputs": ignore_longer,
                  "preprocess_collapse_repeated": collapse},
                 [(x._dtype, (batch,)), (x._dtype, grad_shape)])
    return op._outputs[0]


def _check_ranks(inputs: np.ndarray, seq: np.ndarray) -> None:
    if inputs.ndim != 3:
        raise ValueError("inputs is not a 3-Tensor")
    if seq.ndim != 1:
        raise ValueError("sequence_length is not a vector")


def _shape_str(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _label_sequences(idx: np.ndarray, vals: np.ndarray, batch: int) -> list[list[int]]:
    """The labels SparseTensor grouped by batch row, after TF's IndicesValid checks on the
    shape [batch, max label position + 1]."""
    max_len = int(idx[:, 1].max()) + 1 if idx.shape[0] else 0
    bound = (batch, max_len)
    for i in range(idx.shape[0]):
        row = idx[i]
        at = f"indices[{i}] = [{row[0]},{row[1]}]"
        if row[0] < 0 or row[0] >= bound[0] or row[1] < 0 or row[1] >= bound[1]:
            raise ValueError(f"label SparseTensor is not valid: {at} is out of bounds: need "
                             f"0 <= index < [{bound[0]},{bound[1]}]")
        if i:
            prev = idx[i - 1]
            if (prev[0], prev[1]) == (row[0], row[1]):
                raise ValueError(f"label SparseTensor is not valid: {at} is repeated")
            if (prev[0], prev[1]) > (row[0], row[1]):
                raise ValueError(
                    f"label SparseTensor is not valid: {at} is out of order. Many sparse ops "
                    "require sorted indices.\n    Use `tf.sparse.reorder` to create a "
                    "correctly ordered copy.\n\n")
    out: list[list[int]] = [[] for _ in range(batch)]
    for i in range(idx.shape[0]):
        out[int(idx[i, 0])].append(int(vals[i]))
    return out


def _l_prime(label: list[int], b: int, num_classes: int, collapse: bool, ignore_longer: bool,
             time: int) -> list[int]:
    """TF's PopulateLPrimes for one batch item: the target (labels from the first blank-or-
    above on end it), checked, with a blank before each label and at the end."""
    if not label:
        raise ValueError(f"Labels length is zero in batch {b}")
    blank = num_classes - 1
    seq: list[int] = []
    finished = False
    for i, v in enumerate(label):
        if i == 0 or not collapse or v != label[i - 1]:
            if v >= blank:
                finished = True
            elif finished:
                raise ValueError(
                    "Saw a non-null label (index >= num_classes - 1) following a null label, "
                    f"batch: {b} num_classes: {num_classes} labels: "
                    f"{','.join(map(str, label))} labels seen so far: "
                    f"{','.join(map(str, seq))}")
            else:
                seq.append(v)
    if any(v < 0 for v in seq):
        raise ValueError(f"All labels must be nonnegative integers, batch: {b} labels: "
                         f"{','.join(map(str, seq))}")
    # TF counts the raw label length here, blanks and repeats included
    if not ignore_longer and len(label) > time:
        raise ValueError(
            f"Not enough time for target transition sequence (required: {len(label)}, "
            f"available: {time}){b}You can turn this error into a warning by using the flag "
            "ignore_longer_outputs_than_inputs")
    lp = [blank]
    for v in seq:
        lp += [v, blank]
    return lp


def _window(big_u: int, big_t: int, t: int) -> np.ndarray:
    """The states TF updates at time t: those that can still be on a complete path."""
    u = np.arange(big_u)
    return (u >= max(0, big_u - 2 * (big_t - t))) & (u < min(big_u, 2 * (t + 1)))


def _forward_backward(lp: list[int], logy: np.ndarray, merge: bool,
                      blank: int) -> tuple[np.ndarray, np.ndarray]:
    """log alpha and log beta, [U', T] (GravesTh 7.5-7.15, as ctc_loss_calculator.h)."""
    lpa = np.asarray(lp)
    big_u, big_t = len(lp), logy.shape[1]
    emit = logy[lpa]  # [U', T]
    stay = merge | (lpa == blank)
    skip = np.zeros(big_u, bool)
    skip[2:] = (lpa[2:] != blank) & ~(merge & (lpa[2:] == lpa[:-2]))
    alpha = np.full((big_u, big_t), _NEG_INF)
    alpha[0, 0] = emit[0, 0]
    if big_u > 1:
        alpha[1, 0] = emit[1, 0]
    for t in range(1, big_t):
        prev = alpha[:, t - 1]
        s = np.where(stay, prev, _NEG_INF)
        s[1:] = np.logaddexp(s[1:], prev[:-1])
        s[2:] = np.logaddexp(s[2:], np.where(skip[2:], prev[:-2], _NEG_INF))
        alpha[:, t] = np.where(_window(big_u, big_t, t), emit[:, t] + s, _NEG_INF)
    beta = np.full((big_u, big_t), _NEG_INF)
    beta[max(0, big_u - 2):, big_t - 1] = 0.0
    skip_b = np.zeros(big_u, bool)
    skip_b[:-2] = skip[2:]
    for t in range(big_t - 2, -1, -1):
        nxt = beta[:, t + 1] + emit[:, t + 1]
        s = np.where(stay, nxt, _NEG_INF)
        s[:-1] = np.logaddexp(s[:-1], nxt[1:])
        s[:-2] = np.logaddexp(s[:-2], np.where(skip_b[:-2], nxt[2:], _NEG_INF))
        beta[:, t] = np.where(_window(big_u, big_t, t), s, _NEG_INF)
    return alpha, beta


def _item_loss_grad(x: np.ndarray, lp: list[int], merge: bool) -> tuple[float, np.ndarray]:
    """One batch item: x [T, C] logits. The loss and d loss / d logits [T, C]."""
    num_classes = x.shape[1]
    blank = num_classes - 1
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    y = (e / e.sum(axis=1, keepdims=True)).T  # [C, T]
    with np.errstate(divide="ignore"):
        logy = np.log(y)
    alpha, beta = _forward_backward(lp, logy, merge, blank)
    log_p = float(np.logaddexp.reduce(alpha[:, 0] + beta[:, 0]))
    if log_p == _NEG_INF:
        # TF: "No valid path found." - the gradient is the softmax itself
        return np.inf, y.T.copy()
    ab = alpha + beta
    lpa = np.asarray(lp)
    prob_sum = np.full(y.shape, _NEG_INF)
    for c in np.unique(lpa):
        prob_sum[c] = np.logaddexp.reduce(ab[lpa == c], axis=0)
    return -log_p, (y - np.exp(prob_sum - log_p)).T


@register_kernel("CTCLoss")
def _ctc_loss_kernel(op: Operation) -> Callable[..., Any]:
    collapse = bool(op._attrs["preprocess_collapse_repeated"])
    merge = bool(op._attrs["ctc_merge_repeated"])
    ignore_longer = bool(op._attrs["ignore_longer_outputs_than_inputs"])

    def kernel(inputs: np.ndarray, idx: np.ndarray, vals: np.ndarray,
               seq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _check_ranks(inputs, seq)
        if idx.ndim != 2:
            raise ValueError("labels_indices is not a matrix")
        if vals.ndim != 1:
            raise ValueError("labels_values is not a vector")
        max_time, batch, num_classes = inputs.shape
        if seq.shape[0] != batch:
            raise ValueError("len(sequence_length) != batch_size.  len(sequence_length):  "
                             f"{seq.shape[0]} batch_size: {batch}")
        if idx.shape[0] != vals.shape[0]:
            raise ValueError("labels_indices and labels_values must contain the same number "
                             f"of rows, but saw shapes: {_shape_str(idx.shape)} vs. "
                             f"{_shape_str(vals.shape)}")
        if batch == 0:
            raise ValueError("batch_size must not be 0")
        labels = _label_sequences(idx, vals, batch)
        for b in range(batch):
            if seq[b] > max_time:
                raise ValueError(f"sequence_length({b}) <= {max_time}")
        for b in range(batch):
            if seq[b] < 0:
                raise ValueError(f"seq_len({b}) < 0")
        lps = [_l_prime(labels[b], b, num_classes, collapse, ignore_longer, int(seq[b]))
               for b in range(batch)]
        loss = np.zeros(batch, np.float64)
        grad = np.zeros(inputs.shape, np.float64)
        x64 = inputs.astype(np.float64)
        for b in range(batch):
            n = int(seq[b])
            # an empty sequence, or one too short for its labels when ignored: zero loss and
            # gradient, as TF
            if n == 0 or (ignore_longer and len(labels[b]) > n):
                continue
            loss[b], grad[:n, b] = _item_loss_grad(x64[:n, b], lps[b], merge)
        return loss.astype(inputs.dtype), grad.astype(inputs.dtype)

    return kernel


def _prevent_gradient(x: Tensor, message: str) -> Tensor:
    """TF's array_ops.prevent_gradient: op PreventGradient (its identity kernel is in
    array_ops.py), whose gradient is an error naming ``message``."""
    graph = x._op._graph
    full = graph._op_name(None, "PreventGradient")
    return make_op(graph, full, "PreventGradient", [x], {"T": x._dtype, "message": message},
                   [(x._dtype, x._shape)])._outputs[0]


@RegisterGradient("PreventGradient")
def _prevent_gradient_grad(op: Operation, _grad: Any) -> Any:
    # TF formats the bytes attribute with %s: b"..."
    message = str(op._attrs["message"]).encode()
    raise LookupError(f"Gradient explicitly disabled. Reason: {message!r}")


@RegisterGradient("CTCLoss")
def _ctc_loss_grad(op: Operation, grad_loss: Tensor, _unused: Any) -> list[Any]:
    grad = _prevent_gradient(
        op._outputs[1],
        "Currently there is no way to take the second  derivative of ctc_loss due to "
        "the fused implementation's interaction  with tf.gradients()")
    # TF's _BroadcastMul: the `*` operator, an op named "mul"
    return [builders.expand_dims(grad_loss, -1) * grad, None, None, None]


# -- decoders ------------------------------------------------------------------------------------
def _decoder_op(op_type: str, inputs: Any, sequence_length: Any, attrs: dict[str, Any],
                text: str, top_paths: int) -> tuple[list[SparseTensor], Tensor]:
    graph = check_same_graph(inputs, sequence_length)
    full = graph._op_name(None, op_type)
    with scope_of(graph, full):
        x = first_input(inputs, "inputs")
        check_allowed(x._dtype, _FLOATS, "inputs")
        seq = _int_input(sequence_length, _dtypes.int32, op_type, "sequence_length")
    text = f"T={dt_enum(x._dtype)}, " + text
    ins = [x, seq]
    _rank(x, 3, full, op_type, text, ins)
    _rank(seq, 1, full, op_type, text, ins)
    batch = _merge(_dim(x, 1), _dim(seq, 0), full, op_type, text, ins)
    i64 = _dtypes.int64
    outs = ([(i64, (None, 2))] * top_paths + [(i64, (None,))] * top_paths
            + [(i64, (2,))] * top_paths + [(x._dtype, (batch, top_paths))])
    op = make_op(graph, full, op_type, ins, {"T": x._dtype, **attrs}, outs)
    o = op._outputs
    decoded = [SparseTensor(o[p], o[top_paths + p], o[2 * top_paths + p])
               for p in range(top_paths)]
    return decoded, o[3 * top_paths]


def ctc_greedy_decoder(inputs: Any, sequence_length: Any, merge_repeated: bool = True,
                       blank_index: int | None = None) -> tuple[list[SparseTensor], Tensor]:
    """``tf.nn.ctc_greedy_decoder``: the best path (the top class at each step, repeats merged
    when ``merge_repeated``, blanks dropped) and minus the sum of those logits."""
    bi = -1 if blank_index is None else int(blank_index)
    return _decoder_op("CTCGreedyDecoder", inputs, sequence_length,
                       {"blank_index": bi, "merge_repeated": bool(merge_repeated)},
                       f"blank_index={bi}, merge_repeated={_b(merge_repeated)}", 1)


def ctc_beam_search_decoder(inputs: Any, sequence_length: Any, beam_width: int = 100,
                            top_paths: int = 1, merge_repeated: bool = True
                            ) -> tuple[list[SparseTensor], Tensor]:
    """``tf.nn.ctc_beam_search_decoder`` (TF1): TF's prefix beam search; ``top_paths``
    SparseTensors and their log probabilities [batch, top_paths]."""
    for attr, v in (("beam_width", beam_width), ("top_paths", top_paths)):
        if int(v) < 1:
            raise ValueError(f"Attr '{attr}' of 'CTCBeamSearchDecoder' Op passed {int(v)} less "
                             "than minimum 1.")
    bw, tp = int(beam_width), int(top_paths)
    return _decoder_op("CTCBeamSearchDecoder", inputs, sequence_length,
                       {"beam_width": bw, "merge_repeated": bool(merge_repeated),
                        "top_paths": tp},
                       f"beam_width={bw}, merge_repeated={_b(merge_repeated)}, top_paths={tp}",
                       tp)


def ctc_beam_search_decoder_v2(inputs: Any, sequence_length: Any, beam_width: int = 100,
                               top_paths: int = 1) -> tuple[list[SparseTensor], Tensor]:
    """``tf.nn.ctc_beam_search_decoder_v2``: the beam search without merging repeats."""
    return ctc_beam_search_decoder(inputs, sequence_length, beam_width=beam_width,
                                   top_paths=top_paths, merge_repeated=False)


def _check_decoder_inputs(inputs: np.ndarray, seq: np.ndarray) -> None:
    if inputs.ndim != 3:
        raise ValueError("inputs is not a 3-Tensor")
    if inputs.size == 0:
        raise ValueError("inputs must not be empty")
    max_time, batch = inputs.shape[0], inputs.shape[1]
    if max_time == 0:
        raise ValueError("max_time is 0")
    if seq.ndim != 1:
        raise ValueError("sequence_length is not a vector")
    if seq.shape[0] != batch:
        raise FailedPreconditionError(
            None, None, "len(sequence_length) != batch_size.  len(sequence_length):  "
            f"{seq.shape[0]} batch_size: {batch}")
    for b in range(batch):
        if not seq[b] <= max_time:
            raise FailedPreconditionError(None, None, f"sequence_length({b}) <= {max_time}")


def _store(sequences: list[list[list[int]]], top_paths: int, batch: int) -> list[np.ndarray]:
    """TF's StoreAllDecodedSequences: per path, indices [n, 2], values [n], shape [2]."""
    ixs, vals, shapes = [], [], []
    for p in range(top_paths):
        rows = [(b, t) for b in range(batch) for t in range(len(sequences[b][p]))]
        ixs.append(np.asarray(rows, np.int64).reshape(-1, 2))
        vals.append(np.asarray([v for b in range(batch) for v in sequences[b][p]], np.int64))
        longest = max((len(sequences[b][p]) for b in range(batch)), default=0)
        shapes.append(np.asarray([batch, longest], np.int64))
    return ixs + vals + shapes


@register_kernel("CTCGreedyDecoder")
def _greedy_kernel(op: Operation) -> Callable[..., Any]:
    merge = bool(op._attrs["merge_repeated"])
    blank_attr = int(op._attrs["blank_index"])

    def kernel(inputs: np.ndarray, seq: np.ndarray) -> tuple[np.ndarray, ...]:
        _check_decoder_inputs(inputs, seq)
        batch, num_classes = inputs.shape[1], inputs.shape[2]
        blank = num_classes + blank_attr if blank_attr < 0 else blank_attr
        if not 0 <= blank < num_classes:
            raise ValueError(f"blank_index expected to be between {-num_classes} and "
                             f"{num_classes - 1} but was {blank_attr}")
        log_prob = np.zeros((batch, 1), inputs.dtype)
        sequences: list[list[list[int]]] = []
        for b in range(batch):
            n = int(seq[b])
            # argmax keeps the first maximum, as TF's RowMax
            best = np.argmax(inputs[:n, b], axis=1)
            log_prob[b, 0] = -np.sum(inputs[np.arange(n), b, best], dtype=inputs.dtype)
            out: list[int] = []
            prev = -1
            for c in best.tolist():
                if c != blank and not (merge and c == prev):
                    out.append(c)
                prev = c
            sequences.append([out])
        return (*_store(sequences, 1, batch), log_prob)

    return kernel


@register_kernel("CTCBeamSearchDecoder")
def _beam_kernel(op: Operation) -> Callable[..., Any]:
    merge = bool(op._attrs["merge_repeated"])
    beam_width = int(op._attrs["beam_width"])
    top_paths = int(op._attrs["top_paths"])

    def kernel(inputs: np.ndarray, seq: np.ndarray) -> tuple[np.ndarray, ...]:
        _check_decoder_inputs(inputs, seq)
        batch = inputs.shape[1]
        log_prob = np.zeros((batch, top_paths), inputs.dtype)
        sequences: list[list[list[int]]] = []
        for b in range(batch):
            paths, probs = beam_search_decode(inputs[:int(seq[b]), b], beam_width, top_paths,
                                              merge)
            if isinstance(paths, str):
                raise InvalidArgumentError(None, None, paths)
            sequences.append(paths)
            log_prob[b] = probs
        return (*_store(sequences, top_paths, batch), log_prob)

    return kernel


NotDifferentiable("CTCGreedyDecoder")
NotDifferentiable("CTCBeamSearchDecoder")

builders.register(globals(), __all__)
