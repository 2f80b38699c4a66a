"""Golden scenarios found by running TensorFlow's own convolution and pooling unit tests
(conv_ops, pooling_ops, conv2d_transpose, depthwise, atrous) against varstore
(``record_tf.py --set tfth``): SpaceToBatchND / BatchToSpaceND shape-inference errors and
overflow checks, ..."""

import numpy as np
from golden_helpers import error, run_error, scenarios_of, values  # noqa: F401


# -- SpaceToBatchND / BatchToSpaceND -----------------------------------------------------------
def scenario_space_batch_shape_errors(tf):
    z = tf.zeros
    out = {
        "s2b_indivisible": error(lambda: tf.space_to_batch_nd(z([1, 3, 3, 1]), [2, 2],
                                                              [[0, 0], [0, 0]])),
        "b2s_indivisible": error(lambda: tf.batch_to_space_nd(z([3, 3, 3, 1]), [2, 2],
                                                              [[0, 0], [0, 0]])),
        "s2b_negative_pad": error(lambda: tf.space_to_batch_nd(z([1, 4, 4, 1]), [2, 2],
                                                               [[0, -2], [0, 0]])),
        "b2s_negative_crop": error(lambda: tf.batch_to_space_nd(z([4, 2, 2, 1]), [2, 2],
                                                                [[0, -1], [0, 0]])),
        "b2s_crop_too_big": error(lambda: tf.batch_to_space_nd(z([4, 1, 1, 1]), [2, 2],
                                                               [[0, 3], [0, 0]])),
        "s2b_block_zero": error(lambda: tf.space_to_batch_nd(z([1, 4, 4, 1]), [0, 2],
                                                             [[0, 0], [0, 0]])),
        # the rate overflows the batch dim in shape inference (TF's atrous_conv2d_test)
        "atrous_transpose_overflow": error(lambda: tf.nn.atrous_conv2d_transpose(
            value=np.ones((10, 1, 1, 1)), filters=np.ones((1, 1, 1, 1)), rate=1356819205,
            padding="SAME", output_shape=[1, 1, 1, 1])),
    }
    ph = tf.placeholder(tf.float32, [2, None, 6, 3])
    blk = tf.placeholder(tf.int32, [2])
    pads = tf.placeholder(tf.int32, [2, 2])
    out["known_block_unknown_pads"] = str(tf.space_to_batch_nd(ph, [2, 3], pads).shape)
    out["unknown_block_known_pads"] = str(tf.space_to_batch_nd(ph, blk, [[0, 0], [0, 0]]).shape)
    out["b2s_known_block"] = str(tf.batch_to_space_nd(tf.zeros([12, 2, 2, 3]), [2, 3], pads).shape)
    out["s2b_partial"] = str(tf.space_to_batch_nd(ph, [2, 3], [[0, 1], [0, 0]]).shape)
    return out


def scenario_space_batch_run_overflow(tf):
    # the output's element count overflows int64 at run time, an InvalidArgumentError
    op = tf.nn.atrous_conv2d(value=np.ones((1, 1, 1, 5)), filters=np.ones((1, 1, 5, 1)),
                             rate=2147483647, padding="SAME")
    with tf.Session() as s:
        return {"shape": str(op.shape), "run": run_error(lambda: s.run(op))}


def all_scenarios():
    return scenarios_of(globals())
