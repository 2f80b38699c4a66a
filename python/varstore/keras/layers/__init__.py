"""``tf.keras.layers``: the Keras layers varstore builds; any other name raises
AttributeError naming it."""

from __future__ import annotations

from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_layer import InputLayer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.activation import ELU, LeakyReLU, ReLU, Softmax, ThresholdedReLU
from varstore.keras.layers.convolutional import Conv2D, Conv2DTranspose
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
)
from varstore.keras.layers.normalization import BatchNormalization
from varstore.keras.layers.pooling import (
    AveragePooling2D,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    MaxPooling2D,
)

AvgPool2D = AveragePooling2D
MaxPool2D = MaxPooling2D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose

__all__ = [
    "ELU", "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D",
    "Conv2DTranspose", "Convolution2D", "Convolution2DTranspose", "Dense", "Dropout",
    "Embedding", "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D",
    "GlobalMaxPool2D", "GlobalMaxPooling2D", "InputLayer", "InputSpec", "Lambda", "Layer",
    "LeakyReLU", "MaxPool2D", "MaxPooling2D", "Permute", "ReLU", "RepeatVector", "Reshape",
    "Softmax", "ThresholdedReLU",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.layers' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.layers.{name}")
