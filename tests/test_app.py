"""tf.app / tf.flags / tf.logging / tf.gfile / tf.ConfigProto."""

from __future__ import annotations

import logging

import pytest

import varstore as tf


def test_flags_alias_and_definition():
    assert tf.app.flags is tf.flags
    fv = tf.flags.FlagValues()
    tf.flags.DEFINE_integer("steps", 3, "steps", flag_values=fv)
    tf.flags.DEFINE_string("name", "a", "name", flag_values=fv)
    tf.flags.DEFINE_boolean("fast", False, "fast", flag_values=fv)
    tf.flags.DEFINE_float("lr", 0.1, "lr", flag_values=fv)
    tf.flags.DEFINE_list("xs", ["1"], "xs", flag_values=fv)
    tf.flags.DEFINE_enum("mode", "train", ["train", "eval"], "mode", flag_values=fv)
    fv(["prog", "--steps=7", "--fast", "--xs=a,b", "--mode=eval"])
    assert (fv.steps, fv.name, fv.fast, fv.lr, fv.xs, fv.mode) == (7, "a", True, 0.1,
                                                                   ["a", "b"], "eval")


def test_flags_module_is_absls_whole_surface():
    import absl.flags

    for name in absl.flags.__all__:
        assert hasattr(tf.flags, name), name
    assert tf.flags.DEFINE_multi_integer is absl.flags.DEFINE_multi_integer
    assert tf.flags.mark_flags_as_required is absl.flags.mark_flags_as_required
    assert tf.flags.DEFINE_bool is tf.flags.DEFINE_boolean


def test_flags_accept_tf1_keyword_names(caplog):
    fv = tf.flags.FlagValues()
    with caplog.at_level(logging.WARNING):
        tf.flags.DEFINE_integer(flag_name="epochs", default_value=4, docstring="n",
                                flag_values=fv)
    fv(["prog"])
    assert fv.epochs == 4
    assert fv["epochs"].help == "n"
    assert "deprecated, please use (name, default, help)" in caplog.text


def test_flags_read_before_parsing_parse_sys_argv(monkeypatch):
    # TF1 scripts read FLAGS.x without tf.app.run: TF's wrapper parses sys.argv on first read,
    # where absl alone raises UnparsedFlagAccessError.
    import absl.flags

    fv = tf.flags.FlagValues()
    tf.flags.DEFINE_integer("width", 3, "w", flag_values=fv)
    wrapped = type(tf.flags.FLAGS)(fv)
    monkeypatch.setattr("sys.argv", ["prog", "--width=9"])
    assert wrapped.width == 9
    assert wrapped.is_parsed()
    with pytest.raises(absl.flags.UnparsedFlagAccessError):
        other = tf.flags.FlagValues()
        tf.flags.DEFINE_integer("height", 1, "h", flag_values=other)
        other.height  # noqa: B018  (absl's own FlagValues keeps absl's rule)


def test_app_run_calls_main_and_exits_with_its_value():
    seen = []

    def main(argv):
        seen.append(argv)
        return 0

    with pytest.raises(SystemExit) as e:
        tf.app.run(main=main, argv=["prog", "extra"])
    assert e.value.code == 0
    assert seen == [["prog", "extra"]]


def test_logging_levels_and_logger(caplog):
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR,
            tf.logging.FATAL) == (10, 20, 30, 40, 50)
    tf.logging.set_verbosity(tf.logging.INFO)
    assert tf.logging.get_verbosity() == tf.logging.INFO
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        tf.logging.info("hello %d", 3)
        for i in range(5):
            tf.logging.log_first_n(tf.logging.INFO, "first %d", 2, i)
        for i in range(5):
            tf.logging.log_every_n(tf.logging.INFO, "every %d", 2, i)
    msgs = [r.getMessage() for r in caplog.records]
    assert msgs == ["hello 3", "first 0", "first 1", "every 0", "every 2", "every 4"]


def test_gfile_round_trip(tmp_path):
    d = tmp_path / "a" / "b"
    tf.gfile.MakeDirs(str(d))
    assert tf.gfile.IsDirectory(str(d))
    with tf.gfile.GFile(str(d / "f.txt"), "w") as f:
        f.write("x\ny\n")
    with tf.gfile.Open(str(d / "f.txt")) as f:
        assert f.readlines() == ["x\n", "y\n"]
    assert tf.gfile.ListDirectory(str(d)) == ["f.txt"]
    assert tf.gfile.Glob(str(d / "*.txt")) == [str(d / "f.txt")]
    assert tf.gfile.Stat(str(d / "f.txt")).length == 4
    tf.gfile.Copy(str(d / "f.txt"), str(d / "g.txt"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.Copy(str(d / "f.txt"), str(d / "g.txt"))
    tf.gfile.Rename(str(d / "g.txt"), str(d / "h.txt"))
    walk = list(tf.gfile.Walk(str(tmp_path)))
    assert walk[-1] == (str(d), [], ["f.txt", "h.txt"])
    tf.gfile.Remove(str(d / "h.txt"))
    tf.gfile.DeleteRecursively(str(tmp_path / "a"))
    assert not tf.gfile.Exists(str(tmp_path / "a"))


def test_gfile_errors_are_tf_errors(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.gfile.Remove(missing)
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory"):
        tf.gfile.ListDirectory(missing)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.GFile(missing).read()
    tf.gfile.MkDir(str(tmp_path / "d"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.MkDir(str(tmp_path / "d"))


def test_config_proto_fields_and_unknown_field():
    c = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False,
                       intra_op_parallelism_threads=2, inter_op_parallelism_threads=1,
                       device_count={"GPU": 0},
                       gpu_options=tf.GPUOptions(allow_growth=True,
                                                 per_process_gpu_memory_fraction=0.5,
                                                 visible_device_list="0"),
                       graph_options=tf.GraphOptions(
                           optimizer_options=tf.OptimizerOptions(opt_level=tf.OptimizerOptions.L0)))
    c.gpu_options.allow_growth = False
    assert c.graph_options.optimizer_options.opt_level == -1
    assert "intra_op_parallelism_threads: 2" in str(c)
    with pytest.raises(ValueError, match='Protocol message ConfigProto has no "bogus" field.'):
        tf.ConfigProto(bogus=1)
    tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    tf.RunMetadata()


def test_session_config_sets_kernel_threads():
    before = tf.kernels.get_num_threads()
    try:
        with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=1)):
            assert tf.kernels.get_num_threads() == 1
    finally:
        tf.kernels.set_num_threads(before)
