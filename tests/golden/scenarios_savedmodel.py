"""Golden scenarios of the TF1 SavedModel API (``record_tf.py --set savedmodel``):
tf.saved_model.loader.load of SavedModels TF wrote (``savedmodel/tf_dense``: two tagged
MetaGraphs, signatures, an asset read by the main op; ``savedmodel/tf_text``: a pbtxt) and
of one varstore wrote (``savedmodel/varstore_dense``, the same program: TF serving what
varstore saved); SavedModelBuilder / simple_save round trips (the files, their bytes, the
MetaGraph's SignatureDefs, SaverDef and collections), assets, TensorInfos and SignatureDefs,
the constants, main_op, tf.io.write_graph, and TF's errors.

The fixtures come from make_savedmodel_fixtures.py (TF) and make_varstore_savedmodel.py
(varstore)."""

import hashlib
import os
import shutil
import tempfile

import numpy as np

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "savedmodel")
XS = (np.arange(12, dtype=np.float32).reshape(3, 4) / 4.0 - 1.0)


def _r(v):
    return np.asarray(v, np.float64).round(5).tolist()


def _err(fn, tmp=None, chars=None):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        msg = str(e)
        if tmp:
            msg = msg.replace(tmp, "<dir>")
        return [type(e).__name__, msg if chars is None else msg[:chars]]
    return None


def _files(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def _sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class _Tmp:
    def __enter__(self):
        self.path = tempfile.mkdtemp()
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def _serve(tf, export_dir, tags=("serve",), import_scope=None):
    """Loads ``export_dir`` into a new graph; runs every output of every signature."""
    out = {}
    with tf.Session(graph=tf.Graph()) as s:
        mg = tf.saved_model.loader.load(s, list(tags), export_dir, import_scope=import_scope)
        out["tags"] = list(mg.meta_info_def.tags)
        out["signatures"] = {k: str(v) for k, v in sorted(mg.signature_def.items())}
        out["collections"] = sorted(mg.collection_def)
        out["saver_def"] = str(mg.saver_def)
        out["global_variables"] = [v.name for v in tf.global_variables()]
        out["local_variables"] = [v.name for v in tf.local_variables()]
        out["main_op"] = [o.name for o in tf.get_collection("saved_model_main_op")]
        out["op_types"] = sorted({o.type for o in s.graph.get_operations()})
        values = {}
        for key, sig in sorted(mg.signature_def.items()):
            feed = {}
            for name, info in sig.inputs.items():
                t = tf.saved_model.utils.get_tensor_from_tensor_info(
                    info, import_scope=import_scope)
                feed[t] = XS[:, :t.shape.as_list()[1]] if name == "x" else \
                    np.array([0, 1, 1], np.int32)
            fetch = {name: tf.saved_model.utils.get_tensor_from_tensor_info(
                info, import_scope=import_scope) for name, info in sig.outputs.items()}
            values[key] = {k: _r(v) for k, v in s.run(fetch, feed).items()}
        out["values"] = values
    return out


def scenario_load_tf_dense_serve(tf):
    """TF's SavedModel: the serving MetaGraph, restored and served; the main op fed the
    asset's path under assets/."""
    return _serve(tf, os.path.join(D, "tf_dense"))


def scenario_load_tf_dense_train_scoped(tf):
    """TF's SavedModel: the train MetaGraph under an import scope."""
    return _serve(tf, os.path.join(D, "tf_dense"), tags=("train",), import_scope="imp")


def scenario_load_tf_text(tf):
    """TF's saved_model.pbtxt (default attrs stripped)."""
    return _serve(tf, os.path.join(D, "tf_text"))


def scenario_varstore_savedmodel_in_tf(tf):
    """The SavedModel varstore wrote (make_varstore_savedmodel.py), loaded and served:
    recorded in TF, so TF serves what varstore saves."""
    out = {"serve": _serve(tf, os.path.join(D, "varstore_dense")),
           "train": _serve(tf, os.path.join(D, "varstore_dense"), tags=("train",))}
    out["same_variables_as_tf"] = [
        _sha(os.path.join(D, "varstore_dense", "variables", f))
        == _sha(os.path.join(D, "tf_dense", "variables", f))
        for f in ("variables.index", "variables.data-00000-of-00001")]
    return out


def _tiny(tf):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.get_variable("w", initializer=tf.constant(
        np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3)))
    b = tf.get_variable("b", [3], initializer=tf.constant_initializer(0.25))
    y = tf.nn.sigmoid(tf.matmul(x, w) + b, name="y")
    return x, y


def scenario_simple_save_round_trip(tf):
    """simple_save: the files and their bytes, the MetaGraph it records, then loaded."""
    with _Tmp() as tmp:
        export = os.path.join(tmp, "model")
        x, y = _tiny(tf)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            expected = _r(s.run(y, {x: XS}))
            tf.saved_model.simple_save(s, export, {"x": x}, {"y": y})
        out = {"files": _files(export), "expected": expected,
               "variables": {f: _sha(os.path.join(export, "variables", f))
                             for f in ("variables.index", "variables.data-00000-of-00001")}}
        sm = tf.saved_model.loader.SavedModelLoader(export).saved_model \
            if hasattr(tf.saved_model.loader, "SavedModelLoader") else None
        if sm is None:  # (TF's public loader module has no SavedModelLoader)
            from tensorflow.python.saved_model import loader_impl
            sm = loader_impl.parse_saved_model(export)
        mg = sm.meta_graphs[0]
        out["schema_version"] = int(sm.saved_model_schema_version)
        out["n_meta_graphs"] = len(sm.meta_graphs)
        out["stripped_default_attrs"] = mg.meta_info_def.stripped_default_attrs
        out["devices"] = sorted({n.device for n in mg.graph_def.node})
        out["nodes"] = [[n.name, n.op] for n in mg.graph_def.node]
        out["stripped_ops"] = [o.name for o in mg.meta_info_def.stripped_op_list.op]
        out["collections"] = sorted(mg.collection_def)
        out["loaded"] = _serve(tf, export)
    return out


def scenario_builder_two_meta_graphs_as_text(tf):
    """SavedModelBuilder: variables once, a second MetaGraph, written as text; the path
    save() returns; loading each tag set."""
    with _Tmp() as tmp:
        export = os.path.join(tmp, "m")
        b = tf.saved_model.Builder(export)
        x, y = _tiny(tf)
        sig = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            b.add_meta_graph_and_variables(s, ["serve", "gpu"], {"serving_default": sig},
                                           strip_default_attrs=True)
            b.add_meta_graph(["eval"], {"sig": sig}, clear_devices=True)
        path = b.save(as_text=True)
        out = {"path": [type(path).__name__, os.path.basename(path).decode()], "files": _files(export)}
        out["serve"] = _serve(tf, export, tags=("gpu", "serve"))
        out["eval"] = _serve(tf, export, tags=("eval",))
        out["wrong_tags"] = _err(lambda: _serve(tf, export, tags=("serve",)), tmp, chars=90)
    return out


def scenario_train_resave_train(tf):
    """A training graph (conv2d, batch norm with its UPDATE_OPS, Adam, a global step) saved,
    loaded and trained, the loaded graph saved again by a builder and trained further: the
    imported graph re-exports as a SavedModel whose train op still runs."""
    xs = np.linspace(-1, 1, 32, dtype=np.float32).reshape(2, 4, 4, 1)
    ls = np.array([0, 1], np.int32)
    feed = {"x:0": xs, "lab:0": ls}
    x = tf.placeholder(tf.float32, [None, 4, 4, 1], name="x")
    lab = tf.placeholder(tf.int32, [None], name="lab")
    h = tf.layers.conv2d(x, 2, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=tf.glorot_uniform_initializer(seed=1))
    h = tf.layers.flatten(tf.layers.batch_normalization(h, training=True))
    logits = tf.layers.dense(h, 2, kernel_initializer=tf.glorot_uniform_initializer(seed=2),
                             name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(lab, logits)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        tf.train.AdamOptimizer(0.01).minimize(
            loss, global_step=tf.train.get_or_create_global_step(), name="train_op")
    sig = {"t": tf.saved_model.predict_signature_def({"x": x, "lab": lab}, {"loss": loss})}
    out = {}
    with _Tmp() as tmp:
        first, second = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        b = tf.saved_model.Builder(first)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            out["initial"] = _r(s.run(loss, feed))
            b.add_meta_graph_and_variables(s, ["train"], sig)
        b.save()
        for name, src, dst in (("first", first, second), ("second", second, None)):
            with tf.Session(graph=tf.Graph()) as s:
                mg = tf.saved_model.loader.load(s, ["train"], src)
                train = s.graph.get_operation_by_name("train_op")
                for _ in range(3):
                    s.run(train, feed)
                out[name] = {
                    "loss": _r(s.run(mg.signature_def["t"].outputs["loss"].name, feed)),
                    "step": int(s.run(tf.train.get_global_step())),
                    "moving_mean": _r(s.run(
                        "batch_normalization/moving_mean/Read/ReadVariableOp:0")),
                    "variables": [v.name for v in tf.global_variables()]}
                if dst is not None:
                    b2 = tf.saved_model.Builder(dst)
                    b2.add_meta_graph_and_variables(s, ["train"], dict(mg.signature_def))
                    b2.save()
                    out["resaved_files"] = _files(dst)
    return out


def scenario_custom_saver(tf):
    """add_meta_graph_and_variables(saver=...): a plain (unsharded) Saver of some
    variables; its SaverDef in the MetaGraph; the other variable initialized by the main
    op after the restore."""
    with _Tmp() as tmp:
        export = os.path.join(tmp, "m")
        x, y = _tiny(tf)
        w, b = tf.global_variables()
        saver = tf.train.Saver([w], max_to_keep=2)
        init_b = tf.variables_initializer([b], name="init_b")
        builder = tf.saved_model.Builder(export)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(tf.assign(b, [9.0, 9.0, 9.0]))
            builder.add_meta_graph_and_variables(
                s, ["serve"], {"k": tf.saved_model.predict_signature_def({"x": x}, {"y": y})},
                saver=saver, main_op=init_b)
        builder.save()
        out = {"files": _files(export), "loaded": _serve(tf, export)}
    return out


def scenario_assets(tf):
    """Assets: two source files of one base name (the second becomes vocab.txt_1), the same
    file twice, the AssetFileDefs packed in the saved_model_assets collection; the loader
    feeds each asset tensor its copied path."""
    with _Tmp() as tmp:
        os.makedirs(os.path.join(tmp, "a"))
        os.makedirs(os.path.join(tmp, "b"))
        for sub, text in (("a", "one\n"), ("b", "two two\n")):
            with open(os.path.join(tmp, sub, "vocab.txt"), "w") as f:
                f.write(text)
        export = os.path.join(tmp, "m")
        a1 = tf.constant(os.path.join(tmp, "a", "vocab.txt"), name="a1")
        a2 = tf.constant(os.path.join(tmp, "b", "vocab.txt"), name="a2")
        a3 = tf.constant(os.path.join(tmp, "a", "vocab.txt"), name="a3")
        sizes = tf.stack([tf.size(tf.decode_raw(tf.read_file(a), tf.uint8))
                          for a in (a1, a2, a3)])
        v = tf.Variable(tf.zeros([3], tf.int32), name="sizes", trainable=False,
                        collections=[tf.GraphKeys.LOCAL_VARIABLES])
        init = tf.group(tf.assign(v, sizes), name="init_sizes")
        b = tf.saved_model.builder.SavedModelBuilder(export)
        with tf.Session() as s:
            b.add_meta_graph_and_variables(
                s, ["serve"], {"s": tf.saved_model.predict_signature_def(
                    {"a1": a1}, {"sizes": v.read_value()})},
                assets_collection=[a1, a2, a3], legacy_init_op=init)
        b.save()
        from google.protobuf import text_format  # noqa: F401

        with tf.Session(graph=tf.Graph()) as s:
            mg = tf.saved_model.loader.load(s, ["serve"], export)
            col = mg.collection_def["saved_model_assets"]
            out = {"files": _files(export),
                   "assets": [[a.type_url, a.value.hex()] for a in col.any_list.value],
                   "asset_file_def": len(mg.asset_file_def),
                   "sizes": _r(s.run(mg.signature_def["s"].outputs["sizes"].name)),
                   "main_op": [o.name for o in tf.get_collection("saved_model_main_op")]}
    return out


def scenario_tensor_infos_and_signatures(tf):
    """TensorInfos of dense, sparse, scalar, unknown-rank and string tensors; the Predict,
    Classify and Regress SignatureDefs and is_valid_signature; defaults."""
    sm = tf.saved_model
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    s = tf.placeholder(tf.string, [None], name="s")
    u = tf.placeholder(tf.int64, None, name="u")
    sc = tf.constant(2.5, name="scalar")
    sp = tf.sparse_placeholder(tf.float32, [None, 5], name="sp")
    scores = tf.nn.softmax(tf.reshape(x, [-1, 3]), name="scores")
    classes = tf.as_string(tf.argmax(scores, 1), name="classes")
    rv = tf.get_variable("rv", [2, 2], use_resource=True)
    refv = tf.get_variable("refv", [3], use_resource=False)
    infos = {k: str(sm.build_tensor_info(t)) for k, t in
             {"x": x, "s": s, "u": u, "scalar": sc, "sp": sp, "resource_var": rv,
              "ref_var": refv}.items()}
    sigs = {
        "predict": sm.predict_signature_def({"x": x}, {"scores": scores}),
        "classify": sm.classification_signature_def(s, classes, scores),
        "classify_scores": sm.classification_signature_def(s, None, scores),
        "regress": sm.regression_signature_def(s, tf.reduce_sum(scores, 1)),
        "built": sm.build_signature_def({"x": sm.build_tensor_info(x)},
                                        {"y": sm.build_tensor_info(scores)}, "custom",
                                        defaults={"x": sc}),
        "empty": sm.build_signature_def(),
    }
    out = {"infos": infos, "sigs": {k: str(v) for k, v in sigs.items()},
           "valid": {k: sm.is_valid_signature(v) for k, v in sigs.items()},
           "valid_none": sm.is_valid_signature(None)}
    back = sm.get_tensor_from_tensor_info(sm.build_tensor_info(sp))
    out["sparse_back"] = [back.indices.name, back.values.name, back.dense_shape.name]
    out["dense_back"] = sm.utils.get_tensor_from_tensor_info(sm.build_tensor_info(x)).name
    out["errors"] = {
        "predict_empty": _err(lambda: sm.predict_signature_def({}, {"y": x})),
        "predict_no_outputs": _err(lambda: sm.predict_signature_def({"x": x}, None)),
        "regress_none": _err(lambda: sm.regression_signature_def(None, x)),
        "regress_not_tensor": _err(lambda: sm.regression_signature_def([1.0], x)),
        "regress_no_predictions": _err(lambda: sm.regression_signature_def(s, None)),
        "regress_float_in": _err(lambda: sm.regression_signature_def(x, x)),
        "regress_int_out": _err(lambda: sm.regression_signature_def(s, u)),
        "classify_none": _err(lambda: sm.classification_signature_def(None, classes, scores)),
        "classify_both_none": _err(lambda: sm.classification_signature_def(s, None, None)),
        "classify_float_in": _err(lambda: sm.classification_signature_def(x, classes, None)),
        "classify_classes": _err(lambda: sm.classification_signature_def(s, scores, None)),
        "classify_scores": _err(lambda: sm.classification_signature_def(s, None, classes)),
        "defaults_not_const": _err(lambda: sm.build_signature_def(defaults={"x": scores}),
                                   chars=31),
        "bad_encoding": _err(lambda: sm.get_tensor_from_tensor_info(
            sm.build_signature_def().inputs["missing"])),
        "missing_tensor": _err(lambda: sm.get_tensor_from_tensor_info(
            sm.build_tensor_info(x), import_scope="nope")),
    }
    return out


def scenario_builder_errors(tf):
    """TF's errors: a non-empty export dir, the second add_meta_graph_and_variables,
    add_meta_graph first, reserved signature keys, TensorInfos without encoding or dtype,
    main ops, missing SavedModels and tags."""
    sm = tf.saved_model
    with _Tmp() as tmp:
        out = {}
        x, y = _tiny(tf)
        sig = sm.predict_signature_def({"x": x}, {"y": y})
        with open(os.path.join(tmp, "f"), "w") as f:
            f.write("x")
        out["non_empty"] = _err(lambda: sm.Builder(tmp), tmp)
        export = os.path.join(tmp, "m")
        b = sm.Builder(export)
        out["meta_graph_first"] = _err(lambda: b.add_meta_graph(["x"]))
        bad = sm.build_signature_def({"x": sm.build_tensor_info(x)}, {}, "m")
        bad.inputs["x"].dtype = 0
        no_encoding = sm.build_signature_def({"x": sm.build_tensor_info(x)}, {}, "m")
        no_encoding.inputs["x"].ClearField("name")
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            out["reserved_init"] = _err(lambda: b.add_meta_graph_and_variables(
                s, ["t"], {"__saved_model_init_op": sig}))
            out["reserved_train"] = _err(lambda: b.add_meta_graph_and_variables(
                s, ["t"], {"__saved_model_train_op": sig}))
            out["no_dtype"] = _err(lambda: b.add_meta_graph_and_variables(
                s, ["t"], {"k": bad}), chars=19)
            out["no_encoding"] = _err(lambda: b.add_meta_graph_and_variables(
                s, ["t"], {"k": no_encoding}), chars=19)
            out["main_op_tensor"] = _err(lambda: b.add_meta_graph_and_variables(
                s, ["t"], legacy_init_op=y), chars=11)
            b.add_meta_graph_and_variables(s, ["serve"], {"k": sig}, main_op=tf.no_op("m"))
            out["twice"] = _err(lambda: b.add_meta_graph_and_variables(s, ["t"]))
            out["second_main_op"] = _err(lambda: b.add_meta_graph(["t"],
                                                                  main_op=tf.no_op("m2")))
        b.save()
        out["reload_dir"] = _err(lambda: sm.Builder(export), tmp)
        out["missing_tags"] = _err(lambda: _serve(tf, export, tags=("train", "gpu")), tmp)
        out["no_saved_model"] = _err(lambda: _serve(tf, tmp), tmp)
        with open(os.path.join(tmp, "saved_model.pb"), "wb") as f:
            f.write(b"\xff\xff\xff")
        out["bad_pb"] = _err(lambda: _serve(tf, tmp), tmp, chars=21)
        out["maybe"] = [sm.maybe_saved_model_directory(export),
                        sm.loader.maybe_saved_model_directory(os.path.join(tmp, "none")),
                        sm.contains_saved_model(export)]
    return out


def scenario_constants(tf):
    sm = tf.saved_model
    names = ["ASSETS_DIRECTORY", "ASSETS_KEY", "CLASSIFY_INPUTS", "CLASSIFY_METHOD_NAME",
             "CLASSIFY_OUTPUT_CLASSES", "CLASSIFY_OUTPUT_SCORES", "DEBUG_DIRECTORY",
             "DEBUG_INFO_FILENAME_PB", "DEFAULT_SERVING_SIGNATURE_DEF_KEY", "GPU",
             "LEGACY_INIT_OP_KEY", "MAIN_OP_KEY", "PREDICT_INPUTS", "PREDICT_METHOD_NAME",
             "PREDICT_OUTPUTS", "REGRESS_INPUTS", "REGRESS_METHOD_NAME", "REGRESS_OUTPUTS",
             "SAVED_MODEL_FILENAME_PB", "SAVED_MODEL_FILENAME_PBTXT",
             "SAVED_MODEL_SCHEMA_VERSION", "SERVING", "TPU", "TRAINING",
             "VARIABLES_DIRECTORY", "VARIABLES_FILENAME"]
    out = {n: getattr(sm, n) for n in names}
    out["tag_constants"] = {n: getattr(sm.tag_constants, n)
                            for n in ("GPU", "SERVING", "TPU", "TRAINING")}
    out["signature_constants"] = {n: getattr(sm.signature_constants, n) for n in names
                                  if hasattr(sm.signature_constants, n)}
    out["constants"] = {n: getattr(sm.constants, n) for n in names
                        if hasattr(sm.constants, n)}
    out["same_builder"] = sm.Builder is sm.builder.SavedModelBuilder
    out["same_load"] = sm.load is sm.loader.load
    return out


def scenario_main_op(tf):
    """main_op groups the variable and table initializers; main_op_with_restore runs a
    restore op after it (TF groups its argument, so a name is a TypeError)."""
    tf.get_variable("v", [2])
    tf.Variable(1.0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="loc")
    op = tf.saved_model.main_op.main_op()
    restore = tf.no_op(name="restore")
    with_restore = tf.saved_model.main_op_with_restore(restore)
    g = tf.get_default_graph()
    return {"main_op": [op.name, op.type, sorted(i.name for i in op.control_inputs)],
            "with_restore": [with_restore.name, with_restore.type,
                             sorted(i.name for i in with_restore.control_inputs)],
            "ops": [o.name for o in g.get_operations()],
            "by_name": _err(lambda: tf.saved_model.main_op.main_op_with_restore("restore"),
                            chars=9)}


def scenario_write_graph(tf):
    """tf.io.write_graph / tf.train.write_graph: text (the default) and deterministic
    binary, creating the directory; the path returned."""
    with _Tmp() as tmp:
        a = tf.constant([1.0, 2.0], name="a")
        tf.add(a, a, name="b")
        g = tf.get_default_graph()
        d = os.path.join(tmp, "sub", "dir")
        p_text = tf.io.write_graph(g, d, "g.pbtxt")
        p_bin = tf.train.write_graph(g.as_graph_def(), d, "g.pb", as_text=False)
        gd = tf.GraphDef()
        with open(p_bin, "rb") as f:
            data = f.read()
        gd.ParseFromString(data)
        from google.protobuf import text_format

        gt = tf.GraphDef()
        with open(p_text) as f:
            text_format.Merge(f.read(), gt)
        return {"paths": [os.path.relpath(p_text, tmp), os.path.relpath(p_bin, tmp)],
                "nodes": [[n.name, n.op] for n in gd.node],
                "text_equal": gt == gd,
                "deterministic": data == g.as_graph_def().SerializeToString(
                    deterministic=True)}


def scenario_method_name_updater(tf):
    """MethodNameUpdater on copies of TF's text and binary SavedModels: replaced names,
    saved over the input or elsewhere, its errors."""
    Updater = tf.saved_model.signature_def_utils.MethodNameUpdater
    out = {}
    with _Tmp() as tmp:
        for name in ("tf_text", "tf_dense"):
            src = os.path.join(tmp, name)
            shutil.copytree(os.path.join(D, name), src)
            u = Updater(src)
            u.replace_method_name("serving_default", "tensorflow/serving/regress",
                                  tags=None if name == "tf_text" else "serve")
            if name == "tf_dense":
                u.replace_method_name("loss", "custom", tags="train")
                out["errors"] = {
                    "no_key": _err(lambda u=u: u.replace_method_name("", "m")),
                    "no_method": _err(lambda u=u: u.replace_method_name("k", "")),
                    "missing_sig": _err(lambda u=u: u.replace_method_name("nope", "m")),
                    "not_in_every": _err(lambda u=u: u.replace_method_name("hidden", "m")),
                    "missing_tags": _err(lambda u=u: u.replace_method_name(
                        "loss", "m", tags=["gpu"])),
                }
                new = os.path.join(tmp, "new")
                os.makedirs(new)
                u.save(new)
                out["new_files"] = _files(new)
                shutil.copytree(os.path.join(src, "variables"), os.path.join(new, "variables"))
                shutil.copytree(os.path.join(src, "assets"), os.path.join(new, "assets"))
                src = new
            else:
                u.save()
            with tf.Session(graph=tf.Graph()) as s:
                mg = tf.saved_model.loader.load(s, ["serve"], src)
                out[name] = {k: v.method_name for k, v in sorted(mg.signature_def.items())}
            if name == "tf_dense":
                with tf.Session(graph=tf.Graph()) as s:
                    mg = tf.saved_model.loader.load(s, ["train"], src)
                    out["train"] = mg.signature_def["loss"].method_name
    return out


def all_scenarios():
    return {name[len("scenario_"):]: fn for name, fn in globals().items()
            if name.startswith("scenario_")}
