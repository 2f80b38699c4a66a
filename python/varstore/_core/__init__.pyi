# varstore native core: scope trie, variable store and conv2d kernels.
#
# Hand-checked stubs for the compiled extension varstore/_core.*.so (pybind11), started from
# `pybind11-stubgen varstore._core`. tests/test_stubs.py and .ci/check_stubs.sh fail when they
# drift from the compiled module: update them with every binding change.

from . import kernels as kernels
from . import store as store

__version__: str
compiler: str  # "<compiler id> <version>" of the build
