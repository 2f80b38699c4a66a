"""Golden scenarios of the platform modules (``record_tf.py --set platform``): tf.nest
(flatten order, packing, map_structure, TF's error messages), nested loop state in
while_loop / cond / dynamic_rnn with dicts, and tf.config's device lists and settings on a
CPU-only machine. The config scenarios avoid calls that initialize TF's runtime, so their
order does not matter."""

import collections

import numpy as np

Point = collections.namedtuple("Point", "x y")


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _r(v):
    return np.asarray(v, np.float64).round(5).tolist()


def scenario_nest_flatten_and_pack(tf):
    s = {"b": [1, (2, 3)], "a": Point(4, {"z": 5, "y": 6}), "c": None, "d": "str"}
    flat = tf.nest.flatten(s)
    packed = tf.nest.pack_sequence_as(s, [f"v{i}" for i in range(len(flat))])
    od = collections.OrderedDict([("b", 0), ("a", 0)])
    return {"flat": flat, "packed": repr(packed),
            "od": repr(tf.nest.pack_sequence_as(od, [1, 2])),
            "dd": repr(tf.nest.map_structure(lambda x: x * 2,
                                             collections.defaultdict(int, {"b": 1, "a": 2}))),
            "view": tf.nest.map_structure(lambda x: x, {"a": 1}.values()),
            "range": tf.nest.flatten(range(3)), "array": _r(tf.nest.flatten(np.ones(2))[0]),
            "is_nested": [tf.nest.is_nested(x) for x in ([], (), {}, np.ones(2), "ab", None,
                                                         Point(1, 2), range(2))],
            "map": repr(tf.nest.map_structure(lambda a, b: a + b, [1, (2, 3)],
                                              [10, (20, 30)])),
            "leaf": tf.nest.pack_sequence_as(1, [7])}


def scenario_nest_errors(tf):
    cases = [([1, 2], [1]), ([1, [2]], [1, 2]), ([1, 2], (1, 2)), (Point(1, 2), (1, 2)),
             ({"a": 1}, {"b": 1}), (1, [1]), ({"a": 1}, [1]), ([1, [2, 3]], [1, [2]]),
             ({"a": [1]}, {"a": [1, 2]})]
    out = {"same": [_err(lambda a=a, b=b: tf.nest.assert_same_structure(a, b))
                    for a, b in cases],
           "loose": [_err(lambda a=a, b=b: tf.nest.assert_same_structure(a, b, False))
                     for a, b in cases]}
    out["ok"] = [_err(lambda: tf.nest.assert_same_structure({"a": 1},
                                                            collections.OrderedDict(a=1))),
                 _err(lambda: tf.nest.assert_same_structure(
                     Point(1, 2), collections.namedtuple("Point", "x y")(1, 2)))]
    out["pack"] = [_err(lambda: tf.nest.pack_sequence_as([1, 2], [1])),
                   _err(lambda: tf.nest.pack_sequence_as([1, 2], 1)),
                   _err(lambda: tf.nest.pack_sequence_as(1, [1, 2])),
                   _err(lambda: tf.nest.pack_sequence_as({1: 1, "a": 2}, [1, 2]))]
    out["map"] = [_err(lambda: tf.nest.map_structure(1, [1])),
                  _err(lambda: tf.nest.map_structure(lambda x: x)),
                  _err(lambda: tf.nest.map_structure(lambda x: x, [1], foo=1)),
                  _err(lambda: tf.nest.flatten({1: 1, "a": 2}))]
    return out


def scenario_nest_composites(tf):
    st = tf.SparseTensor([[0, 1]], [2.0], [2, 3])
    flat = tf.nest.flatten({"s": st, "t": tf.constant(1.0)}, expand_composites=True)
    again = tf.nest.map_structure(lambda t: t, st, expand_composites=True)
    with tf.Session() as sess:
        vals = sess.run(flat)
        dense = sess.run(tf.sparse.to_dense(again))
    return {"n": len(flat), "vals": [_r(v) for v in vals],
            "plain": len(tf.nest.flatten(st)), "type": type(again).__name__,
            "dense": _r(dense)}


def scenario_dict_loop_state(tf):
    x = tf.constant([1.0, 2.0])
    res = tf.while_loop(lambda i, s: i < 3,
                        lambda i, s: (i + 1, {"a": s["a"] * 2.0, "b": (s["b"][0] + 1.0,)}),
                        (tf.constant(0), {"a": x, "b": (x,)}))
    c = tf.cond(tf.constant(True), lambda: {"p": x * 3.0, "q": x}, lambda: {"p": x, "q": x})
    with tf.Session() as sess:
        r, cv = sess.run([res, c])
    return {"i": int(r[0]), "a": _r(r[1]["a"]), "b": _r(r[1]["b"][0]),
            "keys": sorted(cv), "p": _r(cv["p"])}


def scenario_map_fn_structure_errors(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = {"tuple_to_list": _err(lambda: tf.map_fn(lambda e: [e[0], e[1]], (x, x),
                                                   dtype=(tf.float32, tf.float32))),
           "wrong_len": _err(lambda: tf.map_fn(lambda e: e[0], (x, x),
                                               dtype=(tf.float32, tf.float32)))}
    return {k: v["type"] for k, v in out.items()}


def scenario_config_devices(tf):
    c = tf.config
    cpu = c.list_physical_devices("CPU")[0]
    gpu = c.PhysicalDevice("/physical_device:GPU:0", "GPU")
    return {
        "all": [list(d) for d in c.list_physical_devices()],
        "gpu": c.list_physical_devices("GPU"), "lower": c.list_physical_devices("cpu"),
        "exp": [list(d) for d in c.experimental.list_physical_devices()],
        "repr": repr(cpu), "visible": [list(d) for d in c.get_visible_devices()],
        "growth_set": _err(lambda: c.experimental.set_memory_growth(cpu, True)),
        "growth_get": _err(lambda: c.experimental.get_memory_growth(cpu)),
        "vis_bad": _err(lambda: c.set_visible_devices(["x"])),
        "vis_gpu": _err(lambda: c.set_visible_devices(gpu)),
        "vis_type": _err(lambda: c.set_visible_devices([cpu], "GPU")),
        "vis_same": _err(lambda: c.set_visible_devices(cpu)),
        "details": c.experimental.get_device_details(cpu),
        "vconf": repr(c.LogicalDeviceConfiguration(memory_limit=3)),
        "vconf_alias": c.experimental.VirtualDeviceConfiguration is c.LogicalDeviceConfiguration,
        "cpu_limit": _err(lambda: c.set_logical_device_configuration(
            cpu, [c.LogicalDeviceConfiguration(memory_limit=5)])),
        "logical_conf": c.get_logical_device_configuration(cpu),
    }


def scenario_config_settings(tf):
    c = tf.config
    out = {"soft": c.get_soft_device_placement(), "jit": c.optimizer.get_jit(),
           "opts": c.optimizer.get_experimental_options(),
           "eager_fns": c.functions_run_eagerly(), "policy": c.experimental.get_device_policy(),
           "sync": c.experimental.get_synchronous_execution(),
           "tf32": c.experimental.tensor_float_32_execution_enabled(),
           "bad_policy": _err(lambda: c.experimental.set_device_policy("bogus"))}
    c.optimizer.set_jit(True)
    out["jit_on"] = c.optimizer.get_jit()
    c.optimizer.set_jit(False)
    out["jit_off"] = c.optimizer.get_jit()
    c.optimizer.set_experimental_options({"constant_folding": False})
    out["opts2"] = c.optimizer.get_experimental_options()
    c.set_soft_device_placement(True)
    out["soft2"] = c.get_soft_device_placement()
    c.set_soft_device_placement(False)
    c.experimental.set_device_policy("warn")
    out["policy2"] = c.experimental.get_device_policy()
    c.experimental.set_device_policy(None)
    out["policy3"] = c.experimental.get_device_policy()
    out["threads"] = [c.threading.get_intra_op_parallelism_threads(),
                      c.threading.get_inter_op_parallelism_threads()]
    return out


def scenario_config_memory_info(tf):
    c = tf.config
    return {"cpu": c.experimental.get_memory_info("CPU:0"),
            "full": c.experimental.get_memory_info("/device:CPU:0"),
            "bad": _err(lambda: c.experimental.get_memory_info("CPU")),
            "gpu": _err(lambda: c.experimental.get_memory_info("GPU:0")),
            "reset": c.experimental.reset_memory_stats("CPU:0"),
            "logical": [list(d) for d in c.list_logical_devices()],
            "logical_gpu": c.list_logical_devices("GPU")}


def scenario_stateless_random(tf):
    a = tf.random.stateless_normal([2, 3], seed=[1, 2])
    b = tf.random.stateless_uniform([4], seed=tf.constant([7, 8], tf.int64), minval=-1.,
                                    maxval=2.)
    c = tf.random.stateless_uniform([5], seed=[3, 4], minval=0, maxval=10, dtype=tf.int32)
    d = tf.random.stateless_truncated_normal([3], seed=[5, 6], stddev=2.0, name="tn")
    e = tf.random.stateless_normal(tf.constant([2], tf.int64), seed=[1, 2], dtype=tf.float64)
    ops = [(o.name, o.type) for o in tf.get_default_graph().get_operations()]
    with tf.Session() as s:
        v = s.run([a, b, c, d, e])
        again = s.run(a)
    return {"v": [_r(x) for x in v], "again": _r(again), "ops": ops,
            "shapes": [x.shape.as_list() for x in (a, b, c, d, e)],
            "errs": [_err(lambda: tf.random.stateless_uniform([2], [1, 2], dtype=tf.int32)),
                     _err(lambda: tf.random.stateless_normal([2], [1.0, 2.0])),
                     _err(lambda: tf.random.stateless_normal([2], [1, 2], dtype=tf.int32))]}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
