"""``tf.saved_model.signature_def_utils``: SignatureDefs for TF Serving's Predict,
Classify and Regress APIs, and their checks (TF's signature_def_utils_impl.py); the
MethodNameUpdater of method_name_updater.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from varstore.saved_model import signature_constants as sc
from varstore.saved_model import utils
from varstore.saved_model.method_name_updater import MethodNameUpdater

__all__ = [
    "MethodNameUpdater",
    "build_signature_def",
    "classification_signature_def",
    "is_valid_signature",
    "predict_signature_def",
    "regression_signature_def",
]

_DT_STRING = 7
_DT_FLOAT = 1


def build_signature_def(inputs: Mapping[str, Any] | None = None,
                        outputs: Mapping[str, Any] | None = None,
                        method_name: str | None = None,
                        defaults: Mapping[str, Any] | None = None) -> Any:
    """A SignatureDef of TensorInfos by key (``defaults``: Const tensors, by input name)."""
    from varstore.framework import meta_graph_pb2

    sig = meta_graph_pb2.SignatureDef()
    for key in inputs or {}:
        sig.inputs[key].CopyFrom(inputs[key])  # type: ignore[index]
    for key in outputs or {}:
        sig.outputs[key].CopyFrom(outputs[key])  # type: ignore[index]
    if method_name is not None:
        sig.method_name = method_name
    for arg_name, default in (defaults or {}).items():
        op = getattr(default, "op", None)
        if op is None or op.type != "Const":
            raise ValueError(f"Unable to convert object {default!s} of type {type(default)} "
                             "to TensorProto.")
        sig.defaults[arg_name].CopyFrom(op.get_attr("value"))
    return sig


def _is_tensor(x: Any) -> bool:
    from varstore.framework.ops import Tensor

    return isinstance(x, Tensor)


def regression_signature_def(examples: Any, predictions: Any) -> Any:
    """A Regress SignatureDef: string ``examples`` in, float ``predictions`` out."""
    if examples is None:
        raise ValueError("Regression `examples` cannot be None.")
    if not _is_tensor(examples):
        raise ValueError("Expected regression `examples` to be of type Tensor. Found "
                         f"`examples` of type {type(examples)}.")
    if predictions is None:
        raise ValueError("Regression `predictions` cannot be None.")
    inp = utils.build_tensor_info(examples)
    if inp.dtype != _DT_STRING:
        raise ValueError("Regression input tensors must be of type string. Found tensors "
                         f"with type {inp.dtype}.")
    out = utils.build_tensor_info(predictions)
    if out.dtype != _DT_FLOAT:
        raise ValueError("Regression output tensors must be of type float. Found tensors "
                         f"with type {out.dtype}.")
    return build_signature_def({sc.REGRESS_INPUTS: inp}, {sc.REGRESS_OUTPUTS: out},
                               sc.REGRESS_METHOD_NAME)


def classification_signature_def(examples: Any, classes: Any, scores: Any) -> Any:
    """A Classify SignatureDef: string ``examples`` in; string ``classes`` and/or float
    ``scores`` out."""
    if examples is None:
        raise ValueError("Classification `examples` cannot be None.")
    if not _is_tensor(examples):
        raise ValueError("Classification `examples` must be a string Tensor. Found "
                         f"`examples` of type {type(examples)}.")
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    inp = utils.build_tensor_info(examples)
    if inp.dtype != _DT_STRING:
        raise ValueError("Classification input tensors must be of type string. Found "
                         f"tensors of type {inp.dtype}")
    outputs = {}
    if classes is not None:
        info = utils.build_tensor_info(classes)
        if info.dtype != _DT_STRING:
            raise ValueError("Classification classes must be of type string Tensor. Found "
                             f"tensors of type {info.dtype}.`")
        outputs[sc.CLASSIFY_OUTPUT_CLASSES] = info
    if scores is not None:
        info = utils.build_tensor_info(scores)
        if info.dtype != _DT_FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
        outputs[sc.CLASSIFY_OUTPUT_SCORES] = info
    return build_signature_def({sc.CLASSIFY_INPUTS: inp}, outputs, sc.CLASSIFY_METHOD_NAME)


def predict_signature_def(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> Any:
    """A Predict SignatureDef of the tensors by key."""
    if inputs is None or not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if outputs is None or not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def(
        {k: utils.build_tensor_info(t) for k, t in inputs.items()},
        {k: utils.build_tensor_info(t) for k, t in outputs.items()}, sc.PREDICT_METHOD_NAME)


def supervised_train_signature_def(inputs: Mapping[str, Any], loss: Any,
                                   predictions: Any = None, metrics: Any = None) -> Any:
    return _supervised_signature_def(sc.SUPERVISED_TRAIN_METHOD_NAME, inputs, loss,
                                     predictions, metrics)


def supervised_eval_signature_def(inputs: Mapping[str, Any], loss: Any,
                                  predictions: Any = None, metrics: Any = None) -> Any:
    return _supervised_signature_def(sc.SUPERVISED_EVAL_METHOD_NAME, inputs, loss,
                                     predictions, metrics)


def _supervised_signature_def(method_name: str, inputs: Mapping[str, Any], loss: Any,
                              predictions: Any, metrics: Any) -> Any:
    if inputs is None or not inputs:
        raise ValueError(f"{method_name} `inputs` cannot be None or empty.")
    outputs: dict[str, Any] = {}
    for output_set in (loss, predictions, metrics):
        if output_set is not None:
            outputs.update({k: utils.build_tensor_info(t) for k, t in output_set.items()})
    return build_signature_def({k: utils.build_tensor_info(t) for k, t in inputs.items()},
                               outputs, method_name)


def is_valid_signature(signature_def: Any) -> bool:
    """Whether the SignatureDef is a valid Classify, Regress or Predict signature."""
    if signature_def is None:
        return False
    return (_is_valid_classification(signature_def) or _is_valid_regression(signature_def)
            or _is_valid_predict(signature_def))


def _is_valid_predict(sig: Any) -> bool:
    return (sig.method_name == sc.PREDICT_METHOD_NAME and bool(sig.inputs.keys())
            and bool(sig.outputs.keys()))


def _is_valid_regression(sig: Any) -> bool:
    return (sig.method_name == sc.REGRESS_METHOD_NAME
            and set(sig.inputs.keys()) == {sc.REGRESS_INPUTS}
            and sig.inputs[sc.REGRESS_INPUTS].dtype == _DT_STRING
            and set(sig.outputs.keys()) == {sc.REGRESS_OUTPUTS}
            and sig.outputs[sc.REGRESS_OUTPUTS].dtype == _DT_FLOAT)


def _is_valid_classification(sig: Any) -> bool:
    allowed = {sc.CLASSIFY_OUTPUT_CLASSES, sc.CLASSIFY_OUTPUT_SCORES}
    if (sig.method_name != sc.CLASSIFY_METHOD_NAME
            or set(sig.inputs.keys()) != {sc.CLASSIFY_INPUTS}
            or sig.inputs[sc.CLASSIFY_INPUTS].dtype != _DT_STRING
            or not sig.outputs.keys() or set(sig.outputs.keys()) - allowed):
        return False
    if (sc.CLASSIFY_OUTPUT_CLASSES in sig.outputs
            and sig.outputs[sc.CLASSIFY_OUTPUT_CLASSES].dtype != _DT_STRING):
        return False
    return not (sc.CLASSIFY_OUTPUT_SCORES in sig.outputs
                and sig.outputs[sc.CLASSIFY_OUTPUT_SCORES].dtype != _DT_FLOAT)


def op_signature_def(op: Any, key: str) -> Any:
    """A SignatureDef that records an op under ``key`` (the builder's init / train op)."""
    return build_signature_def(outputs={key: utils.build_tensor_info_from_op(op)})


def load_op_from_signature_def(signature_def: Any, key: str,
                               import_scope: str | None = None) -> Any:
    """The op that ``op_signature_def`` recorded under ``key``."""
    from varstore.errors import NotFoundError

    try:
        return utils.get_element_from_tensor_info(signature_def.outputs[key],
                                                  import_scope=import_scope)
    except KeyError:
        raise NotFoundError(None, None, f'The key "{key}" could not be found in the graph. '
                            "Please make sure the SavedModel was created by the internal "
                            "_SavedModelBuilder. If you are using the public API, please "
                            "make sure the SignatureDef in the SavedModel does not contain "
                            f'the key "{key}".') from None
