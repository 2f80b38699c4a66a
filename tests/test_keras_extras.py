"""What the kerasx golden set cannot express: get_file's download path (urllib patched, no
network), the cache-dir fallback and hash re-download, cifar10's batch assembly, the
tensor attributes keras keeps outside varstore's slotted Tensor, and the namespaces' missing
names."""

import os
import urllib.error
import urllib.request

import numpy as np
import pytest

import varstore as tf
from varstore.keras import _config
from varstore.keras._tensor_attrs import get_attr, set_attr
from varstore.keras.utils import data_utils


def _fail_urlretrieve(monkeypatch, exc):
    calls = []

    def fake(origin, fpath, *args):
        calls.append((origin, fpath))
        with open(fpath, "wb") as f:  # a partial file, which get_file must remove
            f.write(b"partial")
        raise exc

    monkeypatch.setattr(urllib.request, "urlretrieve", fake)
    return calls


def test_get_file_download_failure_offline(tmp_path, monkeypatch, capsys):
    calls = _fail_urlretrieve(monkeypatch, urllib.error.URLError(OSError(-2, "Name or service "
                                                                          "not known")))
    with pytest.raises(Exception, match=r"^URL fetch failure on http://h/x\.npz: None -- "):
        tf.keras.utils.get_file("x.npz", "http://h/x.npz", cache_dir=str(tmp_path))
    assert calls == [("http://h/x.npz", str(tmp_path / "datasets" / "x.npz"))]
    assert not (tmp_path / "datasets" / "x.npz").exists()
    assert capsys.readouterr().out == "Downloading data from http://h/x.npz\n"


def test_get_file_http_error_message(tmp_path, monkeypatch):
    _fail_urlretrieve(monkeypatch, urllib.error.HTTPError("http://h/y", 404, "Not Found", {},
                                                          None))
    with pytest.raises(Exception, match=r"^URL fetch failure on http://h/y: 404 -- Not Found$"):
        tf.keras.utils.get_file("y", "http://h/y", cache_dir=str(tmp_path))


def test_get_file_hash_mismatch_downloads_again(tmp_path, monkeypatch, capsys):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"not mnist")
    _fail_urlretrieve(monkeypatch, urllib.error.URLError("offline"))
    monkeypatch.setenv("HOME", str(tmp_path.parent))
    with pytest.raises(Exception, match="URL fetch failure on https://storage.googleapis.com/"
                                        "tensorflow/tf-keras-datasets/mnist.npz"):
        tf.keras.datasets.mnist.load_data(cache_dir=str(tmp_path))
    out = capsys.readouterr().out
    assert out.startswith("A local file was found, but it seems to be incomplete or outdated "
                          "because the auto file hash does not match the original value of "
                          "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1 so "
                          "we will re-download the data.\n")
    assert not (tmp_path / "datasets" / "mnist.npz").exists()


def test_get_file_downloaded_file_with_wrong_hash(tmp_path, monkeypatch):
    def fake(origin, fpath, *args):
        with open(fpath, "wb") as f:
            f.write(b"abc")

    monkeypatch.setattr(urllib.request, "urlretrieve", fake)
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected. The md5 file "
                                         "hash does not match the provided value of 00."):
        tf.keras.utils.get_file("z", "http://h/z", md5_hash="00", cache_dir=str(tmp_path))


def test_get_file_default_cache_is_home_keras(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".keras" / "datasets").mkdir(parents=True)
    (tmp_path / ".keras" / "datasets" / "f.txt").write_text("x")
    assert tf.keras.utils.get_file("f.txt", "http://h/f.txt") == str(
        tmp_path / ".keras" / "datasets" / "f.txt")


def test_validate_file_sha_and_md5(tmp_path):
    p = tmp_path / "a"
    p.write_bytes(b"hello")
    import hashlib
    assert data_utils.validate_file(str(p), hashlib.sha256(b"hello").hexdigest())
    assert data_utils.validate_file(str(p), hashlib.md5(b"hello").hexdigest())  # noqa: S324
    assert not data_utils.validate_file(str(p), "0" * 64)


_CIFAR10_CHECK = """
import os, sys
import numpy as np
from varstore.keras.datasets import cifar10
seen = []

def fake_batch(fpath, label_key="labels"):
    seen.append(os.path.basename(fpath))
    n = 10000 if "data_batch" in fpath else 4
    k = int(fpath[-1]) if fpath[-1].isdigit() else 9
    return np.full((n, 3, 32, 32), k, np.uint8), [k] * n

cifar10.get_file = lambda *a, **k: sys.argv[1]
cifar10.load_batch = fake_batch
(xtr, ytr), (xte, yte) = cifar10.load_data()
assert seen == [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"], seen
assert xtr.shape == (50000, 32, 32, 3) and xtr.dtype == np.uint8
assert ytr.shape == (50000, 1) and ytr[10000, 0] == 2 and ytr[-1, 0] == 5
assert xte.shape == (4, 32, 32, 3) and yte.dtype == np.uint8 and yte[0, 0] == 9
print("ok")
"""


def test_cifar10_assembles_five_batches(tmp_path):
    # in a child process: its 150 MiB of arrays would change this process's heap, which the
    # RSS checks of test_memory.py measure
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", _CIFAR10_CHECK, str(tmp_path)],
                         capture_output=True, text=True, check=False, env=os.environ.copy())
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_tensor_attrs_are_dropped_with_the_tensor():
    class Obj:  # any weak-referenceable object
        pass

    t, logits = Obj(), tf.constant([2.0])
    set_attr(t, "_keras_logits", logits)
    assert get_attr(t, "_keras_logits") is logits
    assert get_attr(logits, "_keras_logits") is None
    from varstore.keras import _tensor_attrs
    key = (id(t), "_keras_logits")
    del t
    assert key not in _tensor_attrs._ATTRS


def test_config_setters_validate():
    with pytest.raises(ValueError, match="Unknown `floatx` value: int32. Expected one of"):
        _config.set_floatx("int32")
    old = _config.epsilon()
    _config.set_epsilon(1e-3)
    try:
        assert _config.epsilon() == 1e-3
    finally:
        _config.set_epsilon(old)


@pytest.mark.parametrize(("module", "name"), [
    (tf.keras.losses, "focal_loss"), (tf.keras.utils, "Progbar"), (tf.keras.datasets, "svhn"),
    (tf.keras, "applications")], ids=["losses", "utils", "datasets", "keras"])
def test_missing_names_raise_attribute_error_naming_them(module, name):
    with pytest.raises(AttributeError, match=f"varstore lacks tf.keras.*{name}"):
        getattr(module, name)


def test_tf2_only_loss_names_are_absent():
    for name in ("Reduction", "huber"):
        with pytest.raises(AttributeError, match=f"has no attribute '{name}'$"):
            getattr(tf.keras.losses, name)


def test_hinge_on_fed_labels_builds_a_cond():
    y = tf.placeholder(tf.float32, [None, 2])
    p = tf.constant([[0.5, -1.0], [2.0, 0.0]])
    out = tf.keras.losses.hinge(y, p)
    with tf.Session() as sess:
        binary = sess.run(out, {y: [[0.0, 1.0], [1.0, 0.0]]})
        signed = sess.run(out, {y: [[-1.0, 1.0], [1.0, -1.0]]})
    np.testing.assert_allclose(binary, [1.75, 0.5])
    np.testing.assert_allclose(binary, signed)


@pytest.mark.parametrize("name", ["Adafactor", "Lion"], ids=["adafactor", "lion"])
def test_optimizers_varstore_lacks_raise_attribute_error(name):
    with pytest.raises(AttributeError, match=f"varstore lacks tf.keras.optimizers.{name}$"):
        getattr(tf.keras.optimizers, name)


@pytest.mark.parametrize(("build", "what"), [
    (lambda: tf.keras.optimizers.Adam(clipnorm=1.0), "clipnorm")],
    ids=["clipnorm"])
def test_optimizer_options_without_ops_raise_not_implemented(build, what):
    with pytest.raises(NotImplementedError, match=f"varstore lacks .*{what}"):
        build()


def test_optimizer_get_and_serialize_round_trip():
    opt = tf.keras.optimizers.get("adam")
    assert type(opt).__name__ == "Adam" and opt.get_config()["learning_rate"] == 0.001
    back = tf.keras.optimizers.deserialize(tf.keras.optimizers.serialize(
        tf.keras.optimizers.RMSprop(0.5, rho=0.7)))
    assert back.get_config()["rho"] == 0.7 and back.get_config()["learning_rate"] == 0.5
    with pytest.raises(ValueError, match="Unknown optimizer: 'Nope'"):
        tf.keras.optimizers.get("Nope")


def test_adam_steps_match_the_keras_update_rule():
    w = tf.Variable([1.0, -2.0], name="w")
    opt = tf.keras.optimizers.Adam(0.1)
    op = opt.minimize(lambda: tf.reduce_sum(w * w), var_list=[w])
    m = v = np.zeros(2)
    x = np.array([1.0, -2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t in range(1, 4):
            sess.run(op)
            g = 2 * x
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            lr = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            x = x - lr * m / (np.sqrt(v) + 1e-7 * np.sqrt(1 - 0.999 ** t))
            np.testing.assert_allclose(sess.run(w), x, rtol=1e-5)
        assert sess.run(opt.iterations) == 3


def test_metrics_classes_varstore_lacks():
    with pytest.raises(AttributeError, match="varstore lacks tf.keras.metrics.AUC$"):
        _ = tf.keras.metrics.AUC


def test_softmax_logits_do_not_keep_the_graph_alive():
    import gc
    import weakref
    g = tf.Graph()
    with g.as_default():
        s = tf.keras.backend.softmax(tf.constant([[1.0, 2.0]]))
        out = tf.keras.losses.categorical_crossentropy([[0.0, 1.0]], s)
        assert out.op.type == "Reshape"  # computed from the logits (the xent op's reshape)
    ref = weakref.ref(g)
    del g, s, out
    gc.collect()
    assert ref() is None
