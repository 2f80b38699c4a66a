"""``tf.keras.layers``: the Keras layers varstore builds; any other name raises
AttributeError naming it."""

from __future__ import annotations

from typing import Any as _Any

from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_layer import InputLayer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.activation import (
    ELU,
    LeakyReLU,
    PReLU,
    ReLU,
    Softmax,
    ThresholdedReLU,
)
from varstore.keras.layers.convolutional import Conv1D, Conv2D, Conv2DTranspose
from varstore.keras.layers.convolutional3d import AveragePooling3D, Conv3D, MaxPooling3D
from varstore.keras.layers.convolutional_depthwise import DepthwiseConv2D, SeparableConv2D
from varstore.keras.layers.core import (
    Activation,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    Lambda,
    Permute,
    RepeatVector,
    Reshape,
    SpatialDropout1D,
    SpatialDropout2D,
)
from varstore.keras.layers.dot import Dot, dot
from varstore.keras.layers.layer_normalization import LayerNormalization
from varstore.keras.layers.masking import Masking
from varstore.keras.layers.merging import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from varstore.keras.layers.noise import GaussianDropout, GaussianNoise
from varstore.keras.layers.normalization import BatchNormalization
from varstore.keras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from varstore.keras.layers.reshaping import (
    Cropping1D,
    Cropping2D,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from varstore.keras.layers.rnn_cells import (
    AbstractRNNCell,
    GRUCell,
    LSTMCell,
    SimpleRNNCell,
    StackedRNNCells,
)
from varstore.keras.layers.rnn_cells import deserialize_layer as _deserialize_layer
from varstore.keras.layers.rnn_cells import serialize_layer as _serialize_layer
from varstore.keras.layers.rnn_layers import GRU, LSTM, RNN, SimpleRNN
from varstore.keras.layers.rnn_wrappers import Bidirectional, TimeDistributed, Wrapper

AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalMaxPool1D = GlobalMaxPooling1D
Convolution1D = Conv1D
Convolution3D = Conv3D
MaxPool3D = MaxPooling3D
AvgPool3D = AveragePooling3D
SeparableConvolution2D = SeparableConv2D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose

__all__ = [
    "ELU",
    "GRU",
    "LSTM",
    "RNN",
    "AbstractRNNCell",
    "Activation",
    "Add",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BatchNormalization",
    "Bidirectional",
    "Concatenate",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Convolution1D",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Cropping1D",
    "Cropping2D",
    "Dense",
    "DepthwiseConv2D",
    "Dot",
    "Dropout",
    "Embedding",
    "Flatten",
    "GRUCell",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "InputLayer",
    "InputSpec",
    "LSTMCell",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Maximum",
    "Minimum",
    "Multiply",
    "PReLU",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "SeparableConv2D",
    "SeparableConvolution2D",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "StackedRNNCells",
    "Subtract",
    "ThresholdedReLU",
    "TimeDistributed",
    "UpSampling1D",
    "UpSampling2D",
    "Wrapper",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "add",
    "average",
    "concatenate",
    "deserialize",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "serialize",
    "subtract",
]


def serialize(layer: _Any, use_legacy_format: bool = False) -> dict[str, _Any]:
    """``tf.keras.layers.serialize``: ``{"module", "class_name", "config", ...}`` (the
    legacy format: ``class_name`` and ``config`` only)."""
    if use_legacy_format:
        return {"class_name": type(layer).__name__, "config": layer.get_config()}
    return _serialize_layer(layer)


def deserialize(config: dict[str, _Any], custom_objects: _Any = None,
                use_legacy_format: bool = False) -> _Any:
    """``tf.keras.layers.deserialize``: a layer (a model too) from its serialized form."""
    del use_legacy_format  # both formats are read the same way
    if config.get("class_name") in ("Sequential", "Functional", "Model"):
        from varstore.keras.saving.model_config import model_from_config

        return model_from_config(config, custom_objects)
    return _deserialize_layer(config, custom_objects)


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.layers' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.layers.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
