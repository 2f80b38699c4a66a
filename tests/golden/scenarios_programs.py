"""Golden scenarios that are whole TF1 programs in the style of public repositories, trained a
few steps from the same weights: a VAE (tf.layers.dense, dropout with a defaulted keep_prob,
the reparameterisation with a fed epsilon, sigmoid cross-entropy + KL, tf.summary.merge_all,
Adam with the global step).

Same conventions as ``scenarios.py``; TF's results are recorded by
``record_tf.py --set programs`` into ``tf1_expected_programs.json``.
"""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def scenario_vae_five_adam_steps(tf):
    rng = np.random.RandomState(0)
    xs = (rng.rand(8, 20) > 0.5).astype(np.float32)
    es = rng.randn(8, 3).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 20])
    eps = tf.placeholder(tf.float32, [None, 3])
    keep = tf.placeholder_with_default(1.0, [])
    with tf.variable_scope("enc"):
        h = tf.layers.dense(x, 16, activation=tf.nn.relu)
        h = tf.nn.dropout(h, keep_prob=keep)
        mu = tf.layers.dense(h, 3)
        logvar = tf.layers.dense(h, 3)
    z = mu + tf.exp(0.5 * logvar) * eps
    with tf.variable_scope("dec"):
        hd = tf.layers.dense(z, 16, activation=tf.nn.elu)
        logits = tf.layers.dense(hd, 20)
    rec = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits), 1)
    kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mu) - tf.exp(logvar), 1)
    loss = tf.reduce_mean(rec + kl)
    tf.summary.scalar("loss", loss)
    merged = tf.summary.merge_all()
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(1e-2).minimize(loss, global_step=step)
    losses = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for k, v in enumerate(tf.trainable_variables()):
            shape = v.shape.as_list()
            s.run(v.assign(0.3 * np.sin(np.arange(int(np.prod(shape))) * 0.7 + k).reshape(shape)))
        for _ in range(5):
            value, _, summary = s.run([loss, train, merged], {x: xs, eps: es})
            losses.append(float(value))
        final = s.run([step, mu, logits], {x: xs, eps: es})
    return {"losses": _v(losses), "summary": type(summary).__name__, "step": int(final[0]),
            "mu": _v(final[1]), "logits": _v(final[2][:2]),
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [z.name, loss.name, merged.name, train.name]}


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
