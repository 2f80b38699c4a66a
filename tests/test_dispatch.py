"""Run-time ISA dispatch and thread-count switches of varstore._core.kernels."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from varstore._core import kernels

try:
    from _kernel_fixtures import ALL_ISAS, isa, threads
except ImportError:  # --import-mode=importlib: the tests folder is not on sys.path
    sys.path.insert(0, os.path.dirname(__file__))
    from _kernel_fixtures import ALL_ISAS, isa, threads  # noqa: F401  (fixtures)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VARSTORE_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_compiled_and_supported_lists() -> None:
    compiled = kernels.compiled_isas()
    supported = kernels.supported_isas()
    assert compiled[-1] == "scalar"
    assert set(compiled) <= set(ALL_ISAS)
    # priority order: avx512, avx2, scalar
    assert compiled == [n for n in ALL_ISAS if n in compiled]
    assert supported == [n for n in compiled if n in supported]
    assert "scalar" in supported
    assert kernels.active_isa() in supported


def test_forced_isa_is_active(isa: str) -> None:
    assert kernels.active_isa() == isa
    x = np.ones((1, 4, 4, 2), np.float32)
    w = np.ones((3, 3, 2, 3), np.float32)
    y = kernels.conv2d_relu(x, w, None, padding=(1, 1, 1, 1))
    assert y[0, 1, 1, 0] == 18.0 and y[0, 0, 0, 0] == 8.0
    assert kernels.active_isa() == isa


@pytest.mark.parametrize("bad", ["", "AVX512", "sse2", "neon", "avx512 ", "avx-512", "native"])
def test_force_unknown_isa_raises(bad: str) -> None:
    before = kernels.active_isa()
    with pytest.raises(ValueError, match="unknown ISA"):
        kernels.force_isa(bad)
    assert kernels.active_isa() == before  # previous choice kept, no fallback


def test_force_unsupported_isa_raises() -> None:
    missing = [n for n in ALL_ISAS if n not in kernels.supported_isas()]
    if not missing:
        pytest.skip("this CPU supports every ISA, so none can be refused as unsupported")
    with pytest.raises(ValueError, match=r"not (supported|compiled)"):
        kernels.force_isa(missing[0])


def test_reset_returns_to_default() -> None:
    kernels.force_isa("scalar")
    assert kernels.active_isa() == "scalar"
    kernels.reset_isa()
    forced = os.environ.get("VARSTORE_FORCE_ISA")
    assert kernels.active_isa() == (forced or kernels.supported_isas()[0])


def test_env_force_isa_selects() -> None:
    for name in kernels.supported_isas():
        r = run_python(
            "from varstore._core import kernels; print(kernels.active_isa())",
            VARSTORE_FORCE_ISA=name,
        )
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == name


@pytest.mark.parametrize("bad", ["bogus", "AVX2"])
def test_env_force_isa_unknown_is_an_error(bad: str) -> None:
    code = """
        import numpy as np
        from varstore._core import kernels
        for f in (kernels.active_isa,
                  lambda: kernels.conv2d_relu(np.ones((1, 3, 3, 1), np.float32),
                                              np.ones((1, 1, 1, 1), np.float32))):
            try:
                f()
            except ValueError as e:
                print("ValueError:", e)
            else:
                print("no error")
    """
    r = run_python(code, VARSTORE_FORCE_ISA=bad)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("ValueError: VARSTORE_FORCE_ISA: unknown ISA"), line


def test_env_force_isa_unsupported_is_an_error() -> None:
    missing = [n for n in ALL_ISAS if n not in kernels.supported_isas()]
    if not missing:
        pytest.skip("this CPU supports every ISA, so none can be refused as unsupported")
    r = run_python(
        "from varstore._core import kernels\ntry:\n kernels.active_isa()\nexcept ValueError as e:\n print(e)",
        VARSTORE_FORCE_ISA=missing[0],
    )
    assert "VARSTORE_FORCE_ISA" in r.stdout and "not" in r.stdout


def test_env_num_threads() -> None:
    r = run_python(
        "from varstore._core import kernels; print(kernels.get_num_threads())",
        VARSTORE_NUM_THREADS="1",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "1"
    r = run_python(
        "from varstore._core import kernels; print(kernels.get_num_threads())",
        VARSTORE_NUM_THREADS="3",
    )
    assert r.stdout.strip() == "3"


def test_env_num_threads_invalid_is_an_error() -> None:
    r = run_python(
        "from varstore._core import kernels\ntry:\n kernels.get_num_threads()\nexcept ValueError as e:\n print(e)",
        VARSTORE_NUM_THREADS="zero",
    )
    assert "VARSTORE_NUM_THREADS" in r.stdout


def test_set_num_threads(threads: None) -> None:
    kernels.set_num_threads(1)
    assert kernels.get_num_threads() == 1
    kernels.set_num_threads(2)
    assert kernels.get_num_threads() == 2
    with pytest.raises(ValueError):
        kernels.set_num_threads(0)
    with pytest.raises(ValueError):
        kernels.set_num_threads(-3)
    assert kernels.get_num_threads() == 2


def test_pool_works_after_fork() -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork() on this platform")
    code = """
        import os
        import numpy as np
        from varstore._core import kernels
        kernels.set_num_threads(3)
        x = np.random.default_rng(0).uniform(-1, 1, (2, 20, 20, 8)).astype(np.float32)
        w = np.random.default_rng(1).uniform(-1, 1, (3, 3, 8, 40)).astype(np.float32)
        y = kernels.conv2d_relu(x, w, padding="SAME")  # starts the pool's threads
        pid = os.fork()
        if pid == 0:
            ok = np.array_equal(kernels.conv2d_relu(x, w, padding="SAME"), y)
            os._exit(0 if ok and kernels.get_num_threads() == 3 else 3)
        _, status = os.waitpid(pid, 0)
        print("child", os.waitstatus_to_exitcode(status))
    """
    r = run_python(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "child 0"
