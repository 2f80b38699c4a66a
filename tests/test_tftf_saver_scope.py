"""Differences found by running TensorFlow's own saver, checkpoint, variable-scope and
partitioned-variable unit tests against varstore; every expected value here was recorded
from TF 2.21 (tf.compat.v1, graph mode)."""

import os

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


_OFFSET = "Expected 0 <= offset < shape but found offset={0}, shape={0} for var_offset={1}, "


@pytest.mark.parametrize(("slicing", "made", "message"), [
    ([11, 1], 10, _OFFSET.format(10, "[10, 0]") + "full_shape=[10, 43]"),
    ([20, 1], 10, _OFFSET.format(10, "[10, 0]") + "full_shape=[10, 43]"),
    ([1, 50], 43, _OFFSET.format(43, "[0, 43]") + "full_shape=[10, 43]"),
])
def test_more_slices_than_elements_is_a_value_error(slicing, made, message):
    # partitioned_variables_test testSomeErrors: a zero-length part fails in TF's
    # _PartitionInfo, when that part is reached (the earlier parts exist, as in TF).
    init = tf.zeros([10, 43])
    with pytest.raises(ValueError) as e:
        tf.create_partitioned_variables([10, 43], slicing, init)
    assert str(e.value) == message
    assert len(tf.global_variables()) == made


def test_saver_concats_collected_partitioned_variables(tmp_path):
    # partitioned_variables_test testMetaGraphSaveLoad: TF's Saver adds the concat of a
    # PartitionedVariable kept in a collection, so "<name>:0" exists after Saver().
    with tf.variable_scope("root", partitioner=tf.fixed_size_partitioner(5, axis=0)):
        v0 = tf.get_variable("v0", shape=(10, 10))
    g = tf.get_default_graph()
    with pytest.raises(KeyError):
        g.get_tensor_by_name("root/v0:0")
    g.add_to_collection("partvar", v0)
    saver = tf.train.Saver()
    names = [op.name for op in g.get_operations()
             if op.name.startswith("root/v0") and "part_" not in op.name]
    assert names == [
        "root/v0/ConcatPartitions/concat/ReadVariableOp",
        "root/v0/ConcatPartitions/concat/ReadVariableOp_1",
        "root/v0/ConcatPartitions/concat/ReadVariableOp_2",
        "root/v0/ConcatPartitions/concat/ReadVariableOp_3",
        "root/v0/ConcatPartitions/concat/ReadVariableOp_4",
        "root/v0/ConcatPartitions/concat/axis", "root/v0/ConcatPartitions/concat", "root/v0"]
    init = tf.global_variables_initializer()
    g.finalize()
    with tf.Session(graph=g) as sess:
        sess.run(init)
        path = saver.save(sess, os.path.join(str(tmp_path), "ckpt"))
        before = sess.run(g.get_tensor_by_name("root/v0:0"))
    with tf.Graph().as_default() as g2, tf.Session(graph=g2) as sess:
        restorer = tf.train.import_meta_graph(path + ".meta")
        restorer.restore(sess, path)
        np.testing.assert_array_equal(before, sess.run(g2.get_tensor_by_name("root/v0:0")))


def test_save_path_colliding_with_the_state_file(tmp_path):
    # checkpoint_management_test testNameCollision: TF refuses to write a bundle named
    # like the state file (unsharded, no global_step); a step or sharding avoids it.
    tf.Variable(0.0)
    path = os.path.join(str(tmp_path), "checkpoint")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError) as e:
            tf.train.Saver().save(sess, path)
        assert str(e.value) == f"'latest_filename' collides with 'save_path': 'checkpoint' and '{path}'"
        other = os.path.join(str(tmp_path), "x")
        with pytest.raises(ValueError) as e:
            tf.train.Saver().save(sess, other, latest_filename="x")
        assert str(e.value) == f"'latest_filename' collides with 'save_path': 'x' and '{other}'"
        assert tf.train.Saver().save(sess, path, global_step=1) == path + "-1"
        with pytest.raises(RuntimeError) as e:
            tf.train.Saver(sharded=True).save(sess, path)
        assert str(e.value) == (f"Save path '{path}' conflicts with path used for checkpoint "
                                "state.  Please use a different save path.")
        cwd = os.getcwd()
        os.chdir(str(tmp_path))
        try:  # relative: the state records "checkpoint", not "./checkpoint"
            assert tf.train.Saver(sharded=True).save(sess, "./checkpoint") == "./checkpoint"
            assert tf.train.latest_checkpoint(".") == "./checkpoint"
        finally:
            os.chdir(cwd)


@pytest.mark.parametrize("text", ["", "all_model_checkpoint_paths: \"a\"\n"])
def test_state_file_without_a_latest_path_is_a_value_error(tmp_path, text):
    # checkpoint_management_test testCheckPointStateFailsWhenIncomplete
    (tmp_path / "checkpoint").write_text(text)
    for fn in (tf.train.get_checkpoint_state, tf.train.latest_checkpoint):
        with pytest.raises(ValueError) as e:
            fn(str(tmp_path))
        assert str(e.value) == f"Invalid checkpoint state loaded from {tmp_path}"


def test_unparsable_state_file_means_no_state(tmp_path):
    # TF logs the text-format ParseError and answers None
    (tmp_path / "checkpoint").write_text("garbage")
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def _saved_a_and_p(d):
    with tf.Graph().as_default():
        tf.get_variable("a", [2])
        tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, os.path.join(d, "m"))
    full = tf.train.load_variable(path, "p")
    return {"a": tf.train.load_variable(path, "a"), "p": [full[:2], full[2:]]}


def test_init_from_checkpoint_initializers_are_restores(tmp_path):
    # checkpoint_utils_test testInitFromCheckpoint: TF's initializer restores the tensor
    # (RestoreV2 on the CPU), so the graph holds no checkpoint values.
    saved = _saved_a_and_p(str(tmp_path))
    with tf.Graph().as_default() as g:
        with tf.variable_scope("n"):
            a = tf.get_variable("a", [2])
            r = tf.get_variable("r", [2], use_resource=False)
            p = tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
        n0 = len(g.get_operations())
        with tf.name_scope("sc"):
            tf.train.init_from_checkpoint(str(tmp_path), {"a": "n/a", "p": "n/p"})
            tf.train.init_from_checkpoint(str(tmp_path), {"a": r})
        got = [(op.name, op.type, [i.name for i in op.inputs], op.device)
               for op in g.get_operations()[n0:]]
        restore = []
        for i, (var, after) in enumerate([("n/a", "Identity"), ("n/p/part_0", "Identity_1"),
                                          ("n/p/part_1", "Identity_2")]):
            c = "sc/checkpoint_initializer" + (f"_{i}" if i else "")
            restore += [(f"{c}/{k}", "Const", [], "/device:CPU:0")
                        for k in ("prefix", "tensor_names", "shape_and_slices")]
            restore.append((c, "RestoreV2", [f"{c}/prefix:0", f"{c}/tensor_names:0",
                                             f"{c}/shape_and_slices:0"], "/device:CPU:0"))
            restore.append((f"sc/{after}", "Identity", [f"{c}:0"], ""))
            restore.append((f"sc/AssignVariableOp{after[8:]}", "AssignVariableOp",
                            [f"{var}:0", f"sc/{after}:0"], ""))
        c = "sc/checkpoint_initializer_3"
        restore += [(f"{c}/{k}", "Const", [], "/device:CPU:0")
                    for k in ("prefix", "tensor_names", "shape_and_slices")]
        restore.append((c, "RestoreV2", [f"{c}/prefix:0", f"{c}/tensor_names:0",
                                         f"{c}/shape_and_slices:0"], "/device:CPU:0"))
        restore.append(("sc/Assign", "Assign", ["n/r:0", f"{c}:0"], ""))
        assert got == restore
        assert a.initial_value.name == "sc/checkpoint_initializer:0"
        assert a.initial_value.shape.as_list() == [2]
        spec = g.get_tensor_by_name("sc/checkpoint_initializer_2/shape_and_slices:0")
        with tf.Session() as sess:
            assert [s.decode() for s in sess.run(spec)] == ["4 2 2,2:0,2"]
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(a), saved["a"])
            np.testing.assert_array_equal(sess.run(r), saved["a"])
            np.testing.assert_array_equal(sess.run(list(p)[1]), saved["p"][1])


def test_init_from_checkpoint_one_tensor_into_two_partitionings(tmp_path):
    # checkpoint_utils_test testInitFromPartitionVar: the same checkpoint tensor loads two
    # partitioned variables with different partitions.
    saved = _saved_a_and_p(str(tmp_path))
    full = np.concatenate(saved["p"])
    with tf.Graph().as_default():
        p2 = tf.get_variable("x/p", [4, 2], initializer=tf.zeros_initializer(),
                             partitioner=tf.fixed_size_partitioner(2))
        p4 = tf.get_variable("y/p", [4, 2], initializer=tf.zeros_initializer(),
                             partitioner=tf.fixed_size_partitioner(4))
        tf.train.init_from_checkpoint(str(tmp_path), {"p": "x/p", "/": "y/"})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(p2)), full)
            np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(p4)), full)


_PREAMBLE = ("Restoring from checkpoint failed. This is most likely due to {} from the "
             "checkpoint. Please ensure that you have not altered the graph expected based on "
             "the checkpoint. Original error:\n\n")


def test_restore_errors_carry_tfs_preamble(tmp_path):
    # saver_test testReshape / missing keys: TF wraps the kernel error in this preamble
    path = os.path.join(str(tmp_path), "m")
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.Variable([1.0, 2.0], name="a")
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, path)
    cases = [
        (lambda: (tf.Variable([1.0, 2.0], name="a"), tf.Variable(2.0, name="b")),
         tf.errors.NotFoundError, "a Variable name or other graph key that is missing",
         "Key b not found in checkpoint"),
        (lambda: tf.Variable([1, 2], name="a"), tf.errors.InvalidArgumentError,
         "a mismatch between the current graph and the graph",
         "tensor_name = a; expected dtype int32 does not equal original dtype float"),
        (lambda: tf.Variable([1.0, 2.0, 3.0], name="a", use_resource=False),
         tf.errors.InvalidArgumentError, "a mismatch between the current graph and the graph",
         "Assign requires shapes of both tensors to match. lhs shape= [3] rhs shape= [2]"),
    ]
    for make, kind, why, inner in cases:
        with tf.Graph().as_default(), tf.Session() as sess:
            make()
            with pytest.raises(kind) as e:
                tf.train.Saver().restore(sess, path)
            assert str(e.value).startswith(_PREAMBLE.format(why) + inner)


def test_saver_argument_errors():
    # saver_test testSomeErrors and friends: TF's types and messages
    v = tf.Variable(1.0, name="v")
    c = tf.constant(1.0)
    with pytest.raises(TypeError) as e:
        tf.train.Saver(3)
    assert str(e.value) == "Variables to save should be passed in a dict or a list. Got 3"
    with pytest.raises(TypeError) as e:
        tf.train.Saver([c])
    assert str(e.value) == ('Variable to save is not a Variable: Tensor("Const:0", shape=(), '
                            'dtype=float32)')
    with pytest.raises(TypeError) as e:
        tf.train.Saver({"c": c})
    assert str(e.value) == ("names_to_saveables must be a dict mapping string names to "
                            'Tensors/Variables. Not a variable: Tensor("Const:0", shape=(), '
                            "dtype=float32)")
    with pytest.raises(ValueError) as e:
        tf.train.Saver([v], defer_build=True)
    assert str(e.value) == ("If `var_list` is provided then build cannot be deferred. Either "
                            "set defer_build=False or var_list=None.")
    saver = tf.train.Saver([v])
    with pytest.raises(AssertionError):
        saver.set_last_checkpoints("x")


def test_empty_saver_restores_nothing_from_any_path(tmp_path):
    # saver_test testAllowEmpty: TF returns before looking at the path
    tf.constant(1)
    saver = tf.train.Saver(allow_empty=True)
    with tf.Session() as sess:
        assert saver.save(sess, os.path.join(str(tmp_path), "e")) is None
        assert saver.restore(sess, os.path.join(str(tmp_path), "e")) is None


def test_keep_every_zero_hours_keeps_every_checkpoint(tmp_path):
    # TF compares each dropped checkpoint's time with a next-keep time that a zero interval
    # never moves on: with keep_checkpoint_every_n_hours=0 every checkpoint stays on disk
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver([v], max_to_keep=1, keep_checkpoint_every_n_hours=0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        paths = [saver.save(sess, os.path.join(str(tmp_path), f"s{i}")) for i in range(3)]
    assert [tf.train.checkpoint_exists(p) for p in paths] == [True, True, True]
    assert saver.last_checkpoints == paths[-1:]


def test_partition_info_checks():
    # variable_scope_test PartitionInfoTest: TF's argument checks
    from varstore.partitioned_variables import _PartitionInfo

    for full, offset in [(None, [0, 1]), ([0, 1], None), ("foo", [0, 1]), ([0, 1], "foo")]:
        with pytest.raises(TypeError):
            _PartitionInfo(full, offset)
    with pytest.raises(ValueError, match="Expected equal length"):
        _PartitionInfo([0, 1], [0])
    info = _PartitionInfo([9, 3], [4, 0])
    with pytest.raises(TypeError) as e:
        info.single_slice_dim(None)
    assert str(e.value) == "`shape` must be a sequence (like tuple or list) instead of NoneType"
    with pytest.raises(ValueError) as e:
        info.single_slice_dim([1, 2, 3])
    assert str(e.value) == ("Expected equal length, but received shape=[1, 2, 3] of length 3 "
                            "while self.full_shape=[9, 3] is of length 2.")
    with pytest.raises(ValueError) as e:
        info.single_slice_dim([6, 3])
    assert str(e.value) == ("With self.var_offset=[4, 0], a partition of shape=[6, 3] would "
                            "exceed self.full_shape=[9, 3] in dimension 0.")
    with pytest.raises(ValueError) as e:
        info.single_slice_dim([1, 1])
    assert str(e.value) == ("Cannot use single_slice_dim() with shape=[1, 1] and "
                            "self.full_shape=[9, 3] since slice dim could be either dimension "
                            "1 or 0.")
    assert info.single_slice_dim([2, 3]) == 0
    assert info.single_offset([1, 3]) == 4
    assert _PartitionInfo([9, 3], [0, 0]).single_slice_dim([9, 2]) == 1
    assert _PartitionInfo([9, 3], [0, 0]).single_offset([9, 3]) == 0


def test_misnested_variable_creator_scope_exit():
    # variable_scope_test testVariableCreatorNestingError: TF raises, the inner scope
    # still exits, and variables still go through the creators left on the stack
    seen = []

    def creator(next_creator, **kwargs):
        seen.append(kwargs.get("name"))
        return next_creator(**kwargs)

    scope = tf.variable_creator_scope(creator)
    scope.__enter__()
    with tf.variable_creator_scope(creator):
        with pytest.raises(RuntimeError) as e:
            scope.__exit__(None, None, None)
        assert str(e.value) == "Exiting variable_creator_scope without proper nesting."
        tf.Variable(1.0, name="a")
    assert seen == ["a", "a"]


def test_saver_of_a_bare_partitioned_variable_is_a_type_error():
    # TF takes a PartitionedVariable inside a list or dict only (and makes no save scope)
    v = tf.get_variable("v", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(TypeError) as e:
        tf.train.Saver(v)
    assert str(e.value).startswith("Variables to save should be passed in a dict or a list. Got ")
    assert tf.train.Saver([v]).saver_def.save_tensor_name == "save/control_dependency:0"


@pytest.mark.parametrize("create_scope_now", [True, False])
def test_template_first_call_that_fails_changes_nothing(create_scope_now):
    # template_test test_fails_gracefully: the next call is still the first (it creates)
    def module(inputs):
        w = tf.get_variable("w", shape=[1], initializer=tf.zeros_initializer())
        return inputs * w

    f = tf.make_template("f1", module, create_scope_now_=create_scope_now)
    data = tf.zeros([1])
    with pytest.raises(TypeError):
        f(data, is_training=True)
    assert not f._variables_created
    assert f(data).name == "f1_1/mul:0"  # (the failed call used name scope f1)
    assert f._variables_created
    assert [v.name for v in f.trainable_variables] == ["f1/w:0"]
    assert f(data).name == "f1_2/mul:0"


def test_initializer_ops_have_the_device_cleared():
    # TF clears the device of a variable's "Initializer" ops (they are colocated with it);
    # a ref variable's plain initial value keeps the device (names and devices from TF)
    with tf.device("/job:ps/task:0"):
        tf.Variable(1.0, name="v")
        tf.get_variable("w", [2])
        tf.Variable(1.0, name="r", use_resource=False)
        tf.Variable(lambda: tf.zeros([2]), name="cr", use_resource=False)
    got = {n.name: n.device for n in tf.get_default_graph().as_graph_def().node}
    ps = "/job:ps/task:0"
    assert got["v/Initializer/initial_value"] == ""
    assert got["w/Initializer/random_uniform/RandomUniform"] == ""
    assert got["cr/Initializer/zeros"] == ""
    assert got["r/initial_value"] == ps
    assert [got[k] for k in ("v", "v/Assign", "v/Read/ReadVariableOp", "w", "r", "r/Assign",
                             "r/read", "cr")] == [ps] * 8
