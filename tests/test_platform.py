"""tf.config's runtime state (freezing after initialization, the kernel thread count) and
tf.nest in the places that use it (dict RNN inputs); the TF-recorded cases are in the
golden set 'platform'."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import varstore as tf
from varstore import kernels
from varstore.config import _context


@pytest.fixture
def fresh_context(monkeypatch):
    ctx = _context._Context()
    monkeypatch.setattr(_context, "context", ctx)
    import varstore.config._devices as devices
    import varstore.config._runtime as runtime
    monkeypatch.setattr(devices, "context", ctx)
    monkeypatch.setattr(runtime, "context", ctx)
    threads = kernels.get_num_threads()
    yield ctx
    kernels.set_num_threads(threads)


def test_intra_op_threads_set_the_kernel_thread_count(fresh_context):
    tf.config.threading.set_intra_op_parallelism_threads(1)
    assert kernels.get_num_threads() == 1
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    tf.config.threading.set_inter_op_parallelism_threads(3)
    assert tf.config.threading.get_inter_op_parallelism_threads() == 3


def test_device_layout_and_threads_freeze_once_initialized(fresh_context):
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    assert [d.name for d in tf.config.list_logical_devices()] == ["/device:CPU:0",
                                                                  "/device:CPU:1"]
    with pytest.raises(RuntimeError, match="Virtual devices cannot be modified after being "
                                           "initialized"):
        tf.config.set_logical_device_configuration(cpu, None)
    with pytest.raises(RuntimeError, match="Intra op parallelism cannot be modified"):
        tf.config.threading.set_intra_op_parallelism_threads(2)
    with pytest.raises(RuntimeError, match="Inter op parallelism cannot be modified"):
        tf.config.threading.set_inter_op_parallelism_threads(2)
    with pytest.raises(RuntimeError, match="Visible devices cannot be modified"):
        tf.config.set_visible_devices([])
    tf.config.set_visible_devices(cpu)  # unchanged: allowed, as in TF
    assert tf.config.experimental.get_memory_info("CPU:1") == {"current": 0, "peak": 0}


def test_session_does_not_initialize_the_runtime(fresh_context):
    with tf.Graph().as_default(), tf.Session() as s:
        assert s.run(tf.constant(1)) == 1
    tf.config.threading.set_inter_op_parallelism_threads(2)


def test_gpu_memory_growth_loop_of_tf1_scripts_is_a_no_op():
    for gpu in tf.config.experimental.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.list_physical_devices("GPU") == []


def test_missing_config_symbols_say_so():
    with pytest.raises(AttributeError, match="varstore lacks tf.config.experimental_connect"):
        tf.config.experimental_connect_to_cluster  # noqa: B018
    with pytest.raises(AttributeError, match="varstore lacks tf.nest.flatten_up_to"):
        tf.nest.flatten_up_to  # noqa: B018


def test_dynamic_rnn_with_dict_inputs():
    # TF's dynamic_rnn flattens inputs with nest: dict inputs reach the cell as a dict
    class Cell(tf.nn.rnn_cell.RNNCell):
        state_size = 2
        output_size = 2

        def __call__(self, inputs, state, scope=None):
            out = inputs["a"] + inputs["b"] + state
            return out, out

    with tf.Graph().as_default():
        x = {"a": tf.ones([1, 3, 2]), "b": tf.ones([1, 3, 2]) * 2.0}
        out, st = tf.nn.dynamic_rnn(Cell(), x, dtype=tf.float32)
        with tf.Session() as s:
            o, v = s.run([out, st])
    np.testing.assert_allclose(o[0, :, 0], [3.0, 6.0, 9.0])
    np.testing.assert_allclose(v, [[9.0, 9.0]])


def test_map_structure_keeps_ordereddict_order():
    od = collections.OrderedDict([("z", 1), ("a", 2)])
    out = tf.nest.map_structure(lambda v: v * 10, od)
    assert list(out.items()) == [("z", 10), ("a", 20)]
    assert tf.nest.flatten(od) == [2, 1]


def test_proto_classes_tf1_programs_build_by_hand():
    # TF1 programs write manual summaries as tf.Summary(value=[tf.Summary.Value(...)])
    s = tf.summary.Summary(value=[tf.Summary.Value(tag="loss", simple_value=0.5)])
    assert tf.summary.Summary is tf.Summary
    assert s.value[0].simple_value == 0.5
    assert tf.summary.Event(step=3, summary=s).step == 3
    assert tf.SessionLog(status=tf.SessionLog.START).status == tf.summary.SessionLog.START
    assert tf.SummaryMetadata().plugin_data.plugin_name == ""
    with pytest.raises(AttributeError, match="varstore lacks tf.summary.initialize"):
        tf.summary.initialize  # noqa: B018


def test_version_constants():
    # the TF release whose compat.v1 behaviour varstore reproduces (its golden files' TF)
    import json
    import os

    golden = os.path.join(os.path.dirname(__file__), "golden", "tf1_expected_platform.json")
    with open(golden, encoding="utf-8") as f:
        recorded = json.load(f)["__meta__"]
    assert tf.VERSION == tf.version.VERSION
    assert tf.VERSION in json.dumps(recorded)
    assert tf.GRAPH_DEF_VERSION == tf.version.GRAPH_DEF_VERSION == 2474
    assert tf.__version__ in tf.version.GIT_VERSION
