"""tf.Variable's sparse-update methods (scatter_* with an IndexedSlices, scatter_nd_*,
batch_scatter_update) and gather_nd, on resource and ref variables. Expected op types,
result kinds, values and errors were recorded from TF 2.21 running the same calls."""

import numpy as np
import pytest

import varstore as tf


def _calls(tf, v, ref):
    d = tf.IndexedSlices(tf.constant([[10.0, 10.0]]), tf.constant([1]))
    outs = [v.scatter_add(d), v.scatter_sub(d, name="ss"), v.scatter_max(d), v.scatter_min(d),
            v.scatter_mul(d), v.scatter_div(d), v.scatter_update(d),
            v.scatter_nd_add([[0, 1]], [5.0]), v.scatter_nd_sub([[0, 1]], [1.0]),
            v.scatter_nd_update([[3, 0]], [7.0]),
            v.scatter_nd_update([[3, 1]], [8.0]) if ref else v.gather_nd([[2, 1]]),
            v.batch_scatter_update(tf.IndexedSlices(tf.constant([[1.0]] * 4),
                                                    tf.constant([[0]] * 4)))]
    return outs


@pytest.mark.parametrize("ref", [False, True])
def test_scatter_methods_update_as_tf(ref: bool) -> None:
    with tf.Graph().as_default():
        v = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2), name="v",
                        use_resource=not ref)
        outs = _calls(tf, v, ref)
        kinds = {type(o).__name__ for o in outs[:10]}
        assert kinds == ({"Tensor"} if ref else {"_UnreadVariable"})
        prefix = "" if ref else "Resource"
        assert [o.op.type for o in outs[:3]] == [prefix + "ScatterAdd", prefix + "ScatterSub",
                                                prefix + "ScatterMax"]
        assert outs[1].op.name == "ss"
        with tf.Session() as s:
            s.run(v.initializer)
            for o in outs:
                s.run(o)
            last = 8.0 if ref else 7.0
            np.testing.assert_array_equal(s.run(v), [[1, 5], [1, 10], [1, 5], [1, last]])


def test_scatter_methods_check_their_arguments() -> None:
    with tf.Graph().as_default():
        r = tf.Variable([1.0], name="r")
        v = tf.Variable([1.0], name="v", use_resource=False)
        with pytest.raises(TypeError, match=r"Argument `sparse_delta` must be a "
                                            r"`tf.IndexedSlices`. Received arg: \[1.0\]"):
            r.scatter_add([1.0])
        with pytest.raises(TypeError, match=r"sparse_delta is not IndexedSlices: \[1.0\]"):
            v.scatter_add([1.0])
        with pytest.raises(AttributeError):  # TF's RefVariable has no gather_nd
            v.gather_nd([[0]])
