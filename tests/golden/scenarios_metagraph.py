"""Golden scenarios of GraphDef and MetaGraphDef import and export (``record_tf.py --set
metagraph``): tf.import_graph_def of GraphDefs TF wrote (an MLP, a frozen convnet), its
naming, input_map, return_elements and errors; tf.train.import_meta_graph of TF-written
checkpoints (resource and ref variables, conv2d + fused batch norm + Adam) restored and
trained further; export_meta_graph round trips; the nodes a Saver adds; and TF importing a
MetaGraph varstore wrote (``metagraph/varstore_mlp.ckpt.*``).

The fixtures under ``metagraph/`` come from make_metagraph_fixtures.py (TF) and
make_varstore_metagraph.py (varstore)."""

import os
import shutil
import tempfile

import numpy as np

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metagraph")


def _r(v):
    return np.asarray(v, np.float64).round(5).tolist()


def _err(fn, chars=None):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        msg = str(e)
        return [type(e).__name__, msg if chars is None else msg[:chars]]
    return None


def _mlp_data():
    rng = np.random.default_rng(7)
    return rng.standard_normal((4, 3)).astype(np.float32), rng.standard_normal(
        (4, 2)).astype(np.float32)


def _graph_def(tf, name):
    gd = tf.GraphDef()
    with open(os.path.join(D, name), "rb") as f:
        gd.ParseFromString(f.read())
    return gd


def _collections(tf, keys):
    out = {}
    for k in keys:
        out[k] = [x.name if hasattr(x, "name") else [type(x).__name__, str(x)]
                  for x in tf.get_collection(k)]
    return out


def scenario_import_mlp_graph_def(tf):
    """A TF-written GraphDef (initializers and training ops included) imported, its
    variables initialized by its own init op, trained by its own train op."""
    xs, ys = _mlp_data()
    gd = _graph_def(tf, "mlp.pb")
    logits, init, train = tf.import_graph_def(
        gd, return_elements=["out/logits:0", "init", "train"])
    g = tf.get_default_graph()
    ops = g.get_operations()
    out = {"n_ops": len(ops), "first": [o.name for o in ops[:12]],
           "types": sorted({o.type for o in ops}), "logits": logits.name,
           "logits_shape": logits.shape.as_list(), "init": init.name, "train": train.type,
           "matmul_shape": g.get_tensor_by_name("import/hidden/MatMul:0").shape.as_list(),
           "read": g.get_operation_by_name("import/hidden/w/Read/ReadVariableOp").type,
           "global_variables": [v.name for v in tf.global_variables()]}
    feed = {"import/x:0": xs, "import/y:0": ys}
    with tf.Session() as s:
        s.run(init)
        out["initial_logits"] = _r(s.run(logits, feed))
        for _ in range(2):
            s.run(train, feed)
        out["loss"] = _r(s.run("import/loss:0", feed))
        out["step"] = int(s.run("import/global_step/Read/ReadVariableOp:0"))
    return out


def scenario_import_frozen_convnet(tf):
    """A frozen GraphDef (variables as Consts) of conv2d + bias_add + relu + max_pool +
    FusedBatchNormV3 + matmul + softmax, with and without an input_map."""
    gd = _graph_def(tf, "convnet_frozen.pb")
    rng = np.random.default_rng(11)
    xs = rng.standard_normal((2, 6, 6, 2)).astype(np.float32)
    probs, pool = tf.import_graph_def(gd, name="frozen",
                                      return_elements=["probs:0", "conv/pool:0"])
    g = tf.get_default_graph()
    images = tf.constant(xs[:1])
    mapped, = tf.import_graph_def(gd, input_map={"images:0": images},
                                  return_elements=["probs:0"])
    out = {"types": sorted({o.type for o in g.get_operations()}),
           "names": [o.name for o in g.get_operations()][:8],
           "probs_shape": probs.shape.as_list(), "pool_shape": pool.shape.as_list(),
           "mapped_shape": mapped.shape.as_list(),
           "bn_shapes": [t.shape.as_list() for t in
                         g.get_operation_by_name("frozen/bn/FusedBatchNormV3").outputs[:5]],
           "mapped_input": [t.name for t in
                            g.get_operation_by_name("import/conv/Conv2D").inputs]}
    with tf.Session() as s:
        out["probs"] = _r(s.run(probs, {"frozen/images:0": xs}))
        out["mapped"] = _r(s.run(mapped))
    return out


def scenario_import_tf_layers_graph(tf):
    """tf.layers' graph from TF 2 (conv2d, batch_normalization, max_pooling2d, dense): its
    initializers are stateless random ops, its batch norm a FusedBatchNormV3."""
    gd = _graph_def(tf, "layers.pb")
    logits, init = tf.import_graph_def(gd, name="l", return_elements=["logits/BiasAdd:0",
                                                                      "init"])
    g = tf.get_default_graph()
    rng = np.random.default_rng(5)
    xs = rng.standard_normal((2, 6, 6, 2)).astype(np.float32)
    out = {"types": sorted({o.type for o in g.get_operations()}),
           "logits_shape": logits.shape.as_list(),
           "kernel_shape": g.get_tensor_by_name(
               "l/conv2d/kernel/Initializer/truncated_normal:0").shape.as_list()}
    with tf.Session() as s:
        s.run(init)
        out["kernel"] = _r(s.run("l/conv2d/kernel/Read/ReadVariableOp:0")[:, :, 0, 0])
        out["dense"] = _r(s.run("l/logits/kernel/Read/ReadVariableOp:0")[:4])
        out["logits"] = _r(s.run(logits, {"l/images:0": xs}))
    return out


def _restore_and_train(tf, meta, ckpt, scope=None, feed_names=("x:0", "y:0"),
                       logits="out/logits:0"):
    xs, ys = _mlp_data()
    saver = tf.train.import_meta_graph(os.path.join(D, meta), import_scope=scope)
    g = tf.get_default_graph()
    pre = scope + "/" if scope else ""
    out = {"global": [v.name for v in tf.global_variables()],
           "trainable": [v.name for v in tf.trainable_variables()],
           "keys": sorted(g.get_all_collection_keys()),
           "saver_def": [saver.saver_def.filename_tensor_name, saver.saver_def.save_tensor_name,
                         saver.saver_def.restore_op_name, saver.saver_def.max_to_keep,
                         saver.saver_def.sharded],
           "shapes": {t: g.get_tensor_by_name(pre + t).shape.as_list()
                      for t in (logits, "hidden/MatMul:0", "loss:0")},
           "initializer": tf.global_variables()[0].initializer.name,
           "step_var": tf.train.get_global_step().name}
    out["collections"] = _collections(tf, ["train_op", "summaries", "global_step"])
    feed = {pre + feed_names[0]: xs, pre + feed_names[1]: ys}
    tmp = tempfile.mkdtemp()
    try:
        with tf.Session() as s:
            saver.restore(s, os.path.join(D, ckpt))
            out["logits"] = _r(s.run(pre + logits, feed))
            train = tf.get_collection("train_op")[0]
            out["losses"] = [_r(s.run([pre + "loss:0", train], feed)[0]) for _ in range(2)]
            out["step"] = int(s.run(tf.train.get_global_step()))
            path = saver.save(s, os.path.join(tmp, "again"), global_step=7)
            out["saved"] = [os.path.basename(path), sorted(os.listdir(tmp))]
            out["weights"] = _r(s.run(tf.trainable_variables()[0]))
            s.run(tf.global_variables_initializer())
            saver.restore(s, path)
            out["restored_weights"] = _r(s.run(tf.trainable_variables()[0]))
            frozen = tf.graph_util.convert_variables_to_constants(
                s, g.as_graph_def(), [pre + logits.split(":")[0]])
    finally:
        shutil.rmtree(tmp)
    out.update(_frozen(tf, frozen, {pre + feed_names[0]: xs}, pre + logits))
    return out


def scenario_meta_mlp_resource(tf):
    return _restore_and_train(tf, "mlp.ckpt.meta", "mlp.ckpt")


def scenario_meta_mlp_ref(tf):
    """TF1 ref variables (VariableV2, Assign, ApplyMomentum) imported from a MetaGraph."""
    return _restore_and_train(tf, "mlp_ref.ckpt.meta", "mlp_ref.ckpt")


def scenario_meta_import_scope(tf):
    return _restore_and_train(tf, "mlp.ckpt.meta", "mlp.ckpt", scope="imported")


def scenario_meta_convnet(tf):
    """conv2d + bias_add + relu + max_pool, fused batch norm with its moving averages as
    UPDATE_OPS, Adam: restored, evaluated, trained a step."""
    saver = tf.train.import_meta_graph(os.path.join(D, "convnet.ckpt.meta"))
    g = tf.get_default_graph()
    rng = np.random.default_rng(11)
    xs = rng.standard_normal((2, 6, 6, 2)).astype(np.float32)
    feed = {"images:0": xs, "labels:0": np.array([0, 2], np.int32)}
    out = {"global": [v.name for v in tf.global_variables()],
           "update_ops": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
           "n_ops": len(g.get_operations()),
           "probs_shape": g.get_tensor_by_name("probs:0").shape.as_list()}
    with tf.Session() as s:
        saver.restore(s, os.path.join(D, "convnet.ckpt"))
        out["probs"] = _r(s.run("probs:0", feed))
        out["loss"] = _r(s.run(["loss:0", tf.get_collection("train_op")[0]], feed)[0])
        out["after"] = _r(s.run("loss:0", feed))
        out["moving_mean"] = _r(s.run("bn/moving_mean/Read/ReadVariableOp:0"))
        out["step"] = int(s.run(tf.train.get_global_step()))
        frozen = tf.graph_util.convert_variables_to_constants(s, g.as_graph_def(), ["probs"])
    out.update(_frozen(tf, frozen, {"images:0": xs}, "probs:0"))
    return out


def _frozen(tf, frozen, feed, fetch):
    """A frozen GraphDef's nodes, its pruned form, and its value once imported."""
    out = {"frozen": [[n.name, n.op, list(n.input), sorted(n.attr),
                       n.attr["T"].type if "T" in n.attr else None] for n in frozen.node],
           "pruned": [n.name for n in tf.graph_util.remove_training_nodes(frozen).node]}
    with tf.Graph().as_default():
        (t,) = tf.import_graph_def(frozen, return_elements=[fetch])
        with tf.Session() as s:
            out["frozen_value"] = _r(s.run(t, {"import/" + k: v for k, v in feed.items()}))
    return out


def scenario_meta_v1_cond(tf):
    """TF1's tf.cond (Switch and Merge) restored, run on both branches, trained, and
    differentiated again through the imported Merge."""
    saver = tf.train.import_meta_graph(os.path.join(D, "v1_cond.ckpt.meta"))
    g = tf.get_default_graph()
    x, loss = g.get_tensor_by_name("x:0"), g.get_tensor_by_name("loss:0")
    out = {"types": sorted({o.type for o in g.get_operations()}),
           "merge_shape": g.get_tensor_by_name("c/Merge:0").shape.as_list()}
    (grad,) = tf.gradients(loss, [x])  # (varstore's gradient graph is its own: values only)
    with tf.Session() as s:
        saver.restore(s, os.path.join(D, "v1_cond.ckpt"))
        on, off = {x: [[1., 1.]], "flag:0": True}, {x: [[1., -2.]], "flag:0": False}
        out["losses"] = _r(s.run([loss, loss], on)[:1] + [s.run(loss, off)])
        out["grads"] = [_r(s.run(grad, on)), _r(s.run(grad, off))]
        s.run("train", on)
        out["after"] = _r(s.run(loss, on))
    return out


def scenario_varstore_meta_in_tf(tf):
    """The MetaGraph and checkpoint varstore wrote (make_varstore_metagraph.py): TF imports,
    restores and trains them; varstore must agree."""
    return _restore_and_train(tf, "varstore_mlp.ckpt.meta", "varstore_mlp.ckpt")


def scenario_export_import_round_trip(tf):
    """export_meta_graph of a graph with variables, a train op and collections of every
    kind; import_meta_graph of it into a new graph."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.get_variable("w", [2, 2], initializer=tf.constant_initializer([[1., 2.], [3., 4.]]))
    b = tf.get_variable("b", [2], initializer=tf.zeros_initializer(), trainable=False)
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    tf.add_to_collection("ints", 3)
    tf.add_to_collection("floats", 1.5)
    tf.add_to_collection("strings", "hello")
    tf.add_to_collection("tensors", y)
    tf.add_to_collection("ops", y.op)
    tf.add_to_collection(tf.GraphKeys.MODEL_VARIABLES, w)
    mg = tf.train.export_meta_graph()
    out = {"keys": sorted(mg.collection_def.keys()),
           "kinds": {k: mg.collection_def[k].WhichOneof("kind") for k in mg.collection_def},
           "ops": [op.name for op in mg.meta_info_def.stripped_op_list.op],
           "version": mg.meta_info_def.tensorflow_version != "",
           "has_saver": mg.HasField("saver_def"),
           "nodes": [n.name for n in mg.graph_def.node],
           "y_shapes": [[d.size for d in s.dim] for s in
                        [n for n in mg.graph_def.node if n.name == "y"][0]
                        .attr["_output_shapes"].list.shape],
           "values": {k: [str(v) for v in getattr(mg.collection_def[k],
                                                  mg.collection_def[k].WhichOneof("kind")).value]
                      for k in ("ints", "floats", "strings", "tensors", "ops")}}
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(mg)
        out["imported"] = {"global": [v.name for v in tf.global_variables()],
                           "trainable": [v.name for v in tf.trainable_variables()],
                           "model": [v.name for v in tf.model_variables()],
                           "saver": saver is not None,
                           "collections": _collections(tf, ["ints", "floats", "strings",
                                                            "tensors", "ops"])}
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            out["y"] = _r(s.run("y:0", {"x:0": [[1., -1.], [0.5, 2.]]}))
    return out


def scenario_export_train_round_trip(tf):
    """A Saver's .meta of a training graph, imported into a new graph and trained on."""
    xs, ys = _mlp_data()
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    w = tf.get_variable("w", [3, 2], initializer=tf.constant_initializer(0.1))
    loss = tf.reduce_mean(tf.reduce_sum(tf.square(tf.matmul(x, w) - y), axis=1), name="loss")
    train = tf.train.AdamOptimizer(0.1).minimize(loss, name="train")
    saver = tf.train.Saver()
    tmp = tempfile.mkdtemp()
    try:
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train, {x: xs, y: ys})
            path = saver.save(s, os.path.join(tmp, "m"))
        out = {"files": sorted(os.listdir(tmp))}
        with tf.Graph().as_default():
            saver2 = tf.train.import_meta_graph(path + ".meta")
            out["global"] = [v.name for v in tf.global_variables()]
            with tf.Session() as s:
                saver2.restore(s, path)
                feed = {"x:0": xs, "y:0": ys}
                out["losses"] = [_r(s.run(["loss:0", "train"], feed)[0]) for _ in range(3)]
    finally:
        shutil.rmtree(tmp)
    return out


def scenario_saver_nodes(tf):
    """The save and restore nodes a Saver adds (plain, sharded, partitioned, ref
    variables, a filename), and its SaverDef."""
    def nodes(make):
        g = tf.get_default_graph()
        n0 = len(g.get_operations())
        saver = make()
        sd = saver.as_saver_def()
        return {"def": [sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name,
                        sd.max_to_keep, sd.sharded, float(sd.keep_checkpoint_every_n_hours)],
                "ops": [[o.name, o.type, [t.name for t in o.inputs],
                         [c.name for c in o.control_inputs], o.device]
                        for o in g.get_operations()[n0:]]}

    out = {}
    with tf.Graph().as_default():
        tf.get_variable("v", [2], initializer=tf.zeros_initializer())
        tf.get_variable("a/w", [3, 2], initializer=tf.ones_initializer())
        out["plain"] = nodes(lambda: tf.train.Saver(max_to_keep=3))
        out["sharded"] = nodes(lambda: tf.train.Saver(sharded=True))
        out["named"] = nodes(lambda: tf.train.Saver(filename="f", name="mysaver"))
        tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
        out["partitioned"] = nodes(lambda: tf.train.Saver())
    tf.disable_resource_variables()
    try:
        with tf.Graph().as_default():
            tf.get_variable("v", [2], initializer=tf.zeros_initializer())
            out["ref"] = nodes(lambda: tf.train.Saver())
    finally:
        tf.enable_resource_variables()
    return out


def scenario_import_rules(tf):
    """Names (import/, import_1/, a trailing '/', no prefix and its _1 suffixes), name
    scopes, control_dependencies and devices around an import, return_elements, input_map
    (tensors, Python values, control inputs) and the errors TF raises."""
    from google.protobuf import text_format

    def gd(txt):
        g = tf.GraphDef()
        text_format.Merge(txt, g)
        return g

    const = ('node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } '
             'attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} '
             'float_val: 2 } } } } ')
    base = gd(const + 'node { name: "b" op: "Neg" input: "a" attr { key: "T" value '
              '{ type: DT_FLOAT } } }')
    out = {}
    g = tf.get_default_graph()
    out["basic"] = [str(x.name) for x in tf.import_graph_def(base, return_elements=["b:0", "a"])]
    out["again"] = tf.import_graph_def(base, return_elements=["b:0"])[0].name
    out["noname"] = [tf.import_graph_def(base, name="", return_elements=["b:0"])[0].name
                     for _ in range(2)]
    out["named"] = tf.import_graph_def(base, name="foo", return_elements=["b:0"])[0].name
    with tf.name_scope("outer"):
        out["scoped"] = tf.import_graph_def(base, return_elements=["b:0"])[0].name
    out["trailing"] = [tf.import_graph_def(base, name="x/", return_elements=["b:0"])[0].name
                       for _ in range(2)]
    out["after"] = [tf.constant(1.0, name="b").name, g.unique_name("import"),
                    g.unique_name("foo/b")]
    c = tf.constant(1.0, name="c")
    with tf.control_dependencies([c]), tf.device("/cpu:0"):
        b, a = tf.import_graph_def(base, name="dep", return_elements=["b:0", "a"])
    out["deps"] = [[o.name for o in b.op.control_inputs], [o.name for o in a.control_inputs],
                   b.device]
    r = tf.import_graph_def(base, input_map={"a:0": tf.constant(5.0, name="five")},
                            return_elements=["b:0", "a:0"])
    out["mapped"] = [t.name for t in r] + [[t.name for t in r[0].op.inputs]]
    mapped = r[0]
    r = tf.import_graph_def(base, input_map={"a": 7.0}, name="py", return_elements=["b:0"])
    out["mapped_py"] = [r[0].op.inputs[0].name]
    mapped_py = r[0]
    r = tf.import_graph_def(base, input_map={"^a": c}, name="ctl", return_elements=["b:0"])
    out["mapped_ctl"] = r[0].name
    with tf.Session() as s:
        out["values"] = _r(s.run([b, mapped, mapped_py]))
    out["errors"] = {
        "ret": _err(lambda: tf.import_graph_def(base, return_elements=["zz:0"])),
        "ret_op": _err(lambda: tf.import_graph_def(base, return_elements=["zz"])),
        "ret_idx": _err(lambda: tf.import_graph_def(base, return_elements=["b:3"])),
        "map": _err(lambda: tf.import_graph_def(base, input_map={"zz:0": c})),
        "map_py_noname": _err(lambda: tf.import_graph_def(base, input_map={"a": 5.0},
                                                          name="")),
        "map_type": _err(lambda: tf.import_graph_def(
            base, input_map={"a:0": tf.constant(5, name="i5")}, name="mt")),
        "map_nondict": _err(lambda: tf.import_graph_def(base, input_map=[1])),
        "ret_nonstr": _err(lambda: tf.import_graph_def(base, return_elements=[1])),
        "not_proto": _err(lambda: tf.import_graph_def("x")),
        "unknown_op": _err(lambda: tf.import_graph_def(gd('node { name: "a" op: "FooBar" }')),
                           chars=52),
        "unknown_input": _err(lambda: tf.import_graph_def(gd(
            'node { name: "b" op: "Neg" input: "q" attr { key: "T" value { type: DT_FLOAT } }'
            ' }'))),
        "missing_attr": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } }'),
            name="ma")),
        "duplicate": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "NoOp" } node { name: "a" op: "NoOp" }'))),
        "cycle": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Identity" input: "b" attr { key: "T" value { type: '
            'DT_FLOAT } } } node { name: "b" op: "Identity" input: "a" attr { key: "T" value'
            ' { type: DT_FLOAT } } }'))),
        "bad_index": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "NoOp" } node { name: "b" op: "Identity" input: "a:2" '
            'attr { key: "T" value { type: DT_FLOAT } } }'))),
        "type_mismatch": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } }'
            ' } node { name: "b" op: "Neg" input: "a" attr { key: "T" value { type: DT_FLOAT }'
            ' } }'), name="tm")),
        "n_inputs": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }'
            ' } node { name: "b" op: "Neg" input: "a" input: "a" attr { key: "T" value { '
            'type: DT_FLOAT } } }'), name="ni")),
        "shape": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }'
            ' attr { key: "shape" value { shape { dim { size: 2 } dim {size: 3} } } } } node {'
            ' name: "b" op: "MatMul" input: "a" input: "a" attr { key: "T" value { type: '
            'DT_FLOAT } } }'), name="sh")),
        "ctrl_order": _err(lambda: tf.import_graph_def(gd(
            'node { name: "n" op: "NoOp" } ' + const + 'node { name: "b" op: "Neg" input: '
            '"^n" input: "a" attr { key: "T" value { type: DT_FLOAT } } }'))),
        "attr_type": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Placeholder" attr { key: "dtype" value { i: 3 } } }'),
            name="at")),
        "not_allowed": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_STRING } '
            '} } node { name: "b" op: "Neg" input: "a" attr { key: "T" value { type: '
            'DT_STRING } } }'), name="na")),
        "bad_name": _err(lambda: tf.import_graph_def(gd('node { name: "a b" op: "NoOp" }'))),
        "output_shapes": _err(lambda: tf.import_graph_def(gd(
            'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }'
            ' attr { key: "shape" value { shape { dim { size: 2 } } } } attr { key: '
            '"_output_shapes" value { list { shape { dim { size: 3 } } } } } }'), name="os")),
        "no_op": _err(lambda: tf.import_graph_def(gd('node { name: "a" }'))),
    }
    refined, = tf.import_graph_def(gd(
        'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
        'attr { key: "_output_shapes" value { list { shape { dim { size: 3 } } } } } }'),
        name="refined", return_elements=["a:0"])
    out["refined"] = [refined.shape.as_list(), sorted(refined.op.node_def.attr)]
    out["n_ops"] = len(g.get_operations())
    return out


def all_scenarios():
    return {name[len("scenario_"):]: fn for name, fn in globals().items()
            if name.startswith("scenario_")}
