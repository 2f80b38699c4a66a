# varstore._core.store: scope trie, name uniquifier and variable store.
#
# Internal to varstore (graph.py / variables.py / variable_scope.py); the module-level functions
# are plain METH_FASTCALL calls (positional only). dtype codes: varstore.dtypes; collections: a
# bit mask of the graph's variable collections.

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, final

from numpy.typing import NDArray
from typing_extensions import Self

from varstore.framework.graph import Graph

_T = TypeVar("_T")

# The variables of one graph: their buffers (one arena), the name trie and the op-name uniquifier.
@final
class VariableStore:
    def __init__(self) -> None: ...
    def __len__(self) -> int: ...
    def add_variable(
        self,
        graph_name: str,
        shape: tuple[int, ...],
        dtype: int,
        trainable: bool,
        collections: int,
        /,
    ) -> int: ...
    def discard_last(self, id: int, /) -> None: ...
    # The id of the get_variable variable called name, or -1.
    def find(self, name: str, /) -> int: ...
    # A writeable view of the variable's buffer; its dtype is the variable's.
    def array(self, id: int, /) -> NDArray[Any]: ...
    def name(self, id: int, /) -> str: ...
    def graph_name(self, id: int, /) -> str: ...
    def shape(self, id: int, /) -> tuple[int, ...]: ...
    def dtype(self, id: int, /) -> int: ...
    def trainable(self, id: int, /) -> bool: ...
    def collections(self, id: int, /) -> int: ...
    def version(self, id: int, /) -> int: ...
    def bump_version(self, id: int, /) -> int: ...
    def nbytes(self, id: int, /) -> int: ...
    def list_prefix(self, prefix: str, mask: int, /) -> list[int]: ...
    def mark_used(self, name: str, /) -> None: ...
    def is_used(self, name: str, /) -> bool: ...
    @property
    def arena_bytes(self) -> int: ...

# Per-thread variable_scope default_name counters.
@final
class ScopeCounters:
    def __init__(self) -> None: ...
    def count(self, scope_name: str, /) -> int: ...
    def open(self, scope_name: str, /) -> None: ...
    def close_subscopes(self, scope_name: str, /) -> None: ...
    def close_all(self) -> None: ...
    def begin_journal(self) -> int: ...
    def rollback(self, mark: int, /) -> None: ...

# tf.get_variable's store step in one call: returns id * 2 + created.
def get_or_create(
    store: VariableStore,
    name: str,
    shape: Sequence[int | None] | None,
    dtype: int,
    reuse: int,
    trainable: bool,
    collections: int,
    fill: int,
    value: float,
    /,
) -> int: ...

# The id of the get_variable variable called name, or -1.
def find(store: VariableStore, name: str, /) -> int: ...

# Graph.unique_name: the name made unique in scope (marked as used if mark_as_used).
def unique_name(store: VariableStore, scope: str, name: str, mark_as_used: bool, /) -> str: ...

# Entering variable_scope(name): makes name unique in name_stack (marked as used), counts one more
# opening of var_scope_name; returns the new name stack.
def enter_scope(
    store: VariableStore,
    counters: ScopeCounters,
    name_stack: str,
    name: str,
    var_scope_name: str,
    /,
) -> str: ...

# Counts one more opening of a variable scope.
def open_scope(counters: ScopeCounters, name: str, /) -> None: ...

# Resets the counters below name.
def close_subscopes(counters: ScopeCounters, name: str, /) -> None: ...

# TF's op-name regex for a name at the root.
def is_valid_root_name(name: str, /) -> bool: ...

# TF's scope-name regex below the root.
def is_valid_scope_name(name: str, /) -> bool: ...

# The storage of tf.Variable's wrapper (varstore.Variable subclasses it): graph, store, id.
class VariableBase:
    _graph: Graph
    _store: VariableStore
    _id: int
    def __new__(cls) -> Self: ...

# The items of variables at the ids of store.list_prefix(prefix, mask) (None items and ids
# past the end are skipped): a scoped get_collection of variables in one call.
def select_prefix(store: VariableStore, prefix: str, mask: int, variables: list[Any], /
                  ) -> list[Any]: ...

# Makes tf.get_variable: a C function that returns an existing variable itself (a reuse lookup
# with a name and a list shape) and passes every other call to python_impl.
def make_get_variable(
    python_impl: Callable[..., Any],
    get_default_graph: Callable[[], Any],
    plain: object,
    publish: Callable[..., Any],
    default_collections: tuple[str, ...],
    variable_class: type,
    /,
) -> Callable[..., Any]: ...

# Makes tf.name_scope: a C context manager type that enters name_scope("name") itself and
# hands every other form to impl (constructed with the same arguments). Typed as impl.
def make_name_scope_type(impl: type[_T], get_default_graph: Callable[[], Any], /) -> type[_T]: ...

# Makes tf.variable_scope: a C context manager type that enters variable_scope("name"
# [, reuse=...]) itself and hands every other form to impl. Typed as impl.
def make_variable_scope_type(
    impl: type[_T],
    get_default_graph: Callable[[], Any],
    current_scope: Callable[[Any], Any],
    variable_scope_class: type,
    auto_reuse: object,
    /,
) -> type[_T]: ...
