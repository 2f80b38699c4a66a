"""``tf.layers``: TF1's legacy layers, as classes (``tf.layers.Dense``) and functions
(``tf.layers.dense``), grouped as TF groups them: base (the Layer), core (Dense, Flatten,
Dropout), convolutional, pooling, normalization (convolutional3d: the 3-D convolutions and
pools and SeparableConv1D). A TF1 layer varstore does not build raises
an AttributeError naming it."""

from __future__ import annotations

from varstore.layers.base import InputSpec, Layer
from varstore.layers.convolutional import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    SeparableConv2D,
    conv1d,
    conv2d,
    conv2d_transpose,
    separable_conv2d,
)
from varstore.layers.convolutional3d import (
    AveragePooling3D,
    Conv3D,
    Conv3DTranspose,
    MaxPooling3D,
    SeparableConv1D,
    average_pooling3d,
    conv3d,
    conv3d_transpose,
    max_pooling3d,
    separable_conv1d,
)
from varstore.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten
from varstore.layers.normalization import BatchNormalization, batch_normalization
from varstore.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    MaxPooling1D,
    MaxPooling2D,
    average_pooling1d,
    average_pooling2d,
    max_pooling1d,
    max_pooling2d,
)

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "BatchNormalization",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Dense",
    "Dropout",
    "Flatten",
    "InputSpec",
    "Layer",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "SeparableConv1D",
    "SeparableConv2D",
    "average_pooling1d",
    "average_pooling2d",
    "average_pooling3d",
    "batch_normalization",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "dense",
    "dropout",
    "flatten",
    "max_pooling1d",
    "max_pooling2d",
    "max_pooling3d",
    "separable_conv1d",
    "separable_conv2d",
]


def __getattr__(name: str) -> object:
    """A tf.layers symbol varstore does not build: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.layers' has no attribute {name!r}: varstore "
                         f"lacks tf.layers.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
