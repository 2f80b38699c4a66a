"""tf.compat and the execution-mode switches: TF1 programs' preambles run unchanged, and the
calls that ask for TF2 semantics fail loudly instead of being ignored."""

import pytest

import varstore as tf


def test_compat_v1_is_varstore_itself() -> None:
    import varstore.compat.v1 as v1

    assert v1 is tf
    assert tf.compat.v1 is tf
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.compat\.v2"):
        _ = tf.compat.v2


def test_preamble_calls_are_accepted() -> None:
    tf.disable_v2_behavior()
    tf.disable_eager_execution()
    tf.disable_control_flow_v2()
    tf.disable_tensor_equality()
    assert tf.executing_eagerly() is False


@pytest.mark.parametrize("fn", ["enable_eager_execution", "enable_v2_behavior",
                                "enable_tensor_equality"])
def test_tf2_switches_raise_naming_themselves(fn: str) -> None:
    with pytest.raises(NotImplementedError, match=rf"varstore lacks tf\.{fn}"):
        getattr(tf, fn)()


def test_random_namespace_lacks_name_itself() -> None:
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.random\.Generator"):
        _ = tf.random.Generator


def test_as_bytes_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="Expected binary or unicode string"):
        tf.compat.as_bytes(3)
