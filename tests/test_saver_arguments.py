"""Saver arguments that TF's graph Saver reads and varstore once dropped: defer_build is
honoured (TF's RuntimeError before build()), saver_def/builder raise naming themselves
(probed in TF 2.21's compat.v1)."""

from __future__ import annotations

from pathlib import Path

import pytest

import varstore as tf


def test_defer_build_needs_build_before_save(tmp_path: Path) -> None:
    tf.get_variable("v", [2])
    saver = tf.train.Saver(defer_build=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(RuntimeError,
                           match=r"`build\(\)` should be called before save if "
                                 "defer_build==True"):
            saver.save(sess, str(tmp_path / "m"))
        saver.build()
        assert saver.save(sess, str(tmp_path / "m")) == str(tmp_path / "m")


def test_saver_def_is_checked_and_builder_refused() -> None:
    tf.get_variable("v", [2])
    with pytest.raises(ValueError, match="saver_def must be a saver_pb2.SaverDef"):
        tf.train.Saver(saver_def=object())
    with pytest.raises(NotImplementedError, match="builder"):
        tf.train.Saver(builder=object())
