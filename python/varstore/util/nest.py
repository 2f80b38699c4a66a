"""Nested structures as TF's ``tensorflow/python/util/nest.py`` (core modality) treats them:
``tf.nest`` and what RNNs, ``map_fn`` and ``while_loop`` use for their loop state.

A structure is nested if it is a ``collections.abc.Sequence`` other than ``str``/``bytes``
(lists, tuples, namedtuples, ``range``), a ``Mapping`` (flattened in sorted key order, so a
dict and an OrderedDict with the same keys line up), a mapping view, or an attrs class;
anything else, including NumPy arrays, sets and ``None``, is a leaf. With
``expand_composites`` a SparseTensor or IndexedSlices is nested too: its component tensors.

``tf.data`` has its own rules (lists are leaves); they live with the datasets.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator, Mapping, MappingView, MutableMapping, Sequence
from typing import Any

__all__ = ["assert_same_structure", "flatten", "flatten_dict_items", "flatten_with_tuple_paths",
           "is_nested", "map_structure", "pack_sequence_as"]


def _is_attrs(x: Any) -> bool:
    return hasattr(type(x), "__attrs_attrs__")


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _composite_components(x: Any) -> list[Any] | None:
    """The component tensors of a composite tensor, in TF's TypeSpec order, or None."""
    from varstore.framework.indexed_slices import IndexedSlices
    from varstore.framework.sparse_tensor import SparseTensor
    if isinstance(x, SparseTensor):
        return [x.indices, x.values, x.dense_shape]
    if isinstance(x, IndexedSlices):
        comps = [x.values, x.indices]
        return comps + ([x.dense_shape] if x.dense_shape is not None else [])
    return None


def _rebuild_composite(like: Any, comps: list[Any]) -> Any:
    from varstore.framework.indexed_slices import IndexedSlices
    if isinstance(like, IndexedSlices):
        return IndexedSlices(comps[0], comps[1], comps[2] if len(comps) > 2 else None)
    return type(like)(comps[0], comps[1], comps[2])


def _is_nested(x: Any, expand_composites: bool = False) -> bool:
    if isinstance(x, (Mapping, MappingView)) or _is_attrs(x):
        return True
    if expand_composites and _composite_components(x) is not None:
        return True
    return isinstance(x, Sequence) and not isinstance(x, (str, bytes))


def is_nested(seq: Any) -> bool:
    """Whether ``seq`` is a nested structure (a sequence, mapping or attrs object)."""
    return _is_nested(seq)


def _sorted_keys(mapping: Mapping[Any, Any]) -> list[Any]:
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _children(x: Any, expand_composites: bool, packing: bool = False) -> list[Any]:
    if isinstance(x, Mapping):
        if packing:  # TF packs in Python, with its own message for unsortable keys
            return [x[k] for k in _sorted_keys(x)]
        # flatten is C++ in TF and lets Python's comparison error through
        return [x[k] for k in sorted(x)]
    if _is_attrs(x):
        return [getattr(x, a.name) for a in type(x).__attrs_attrs__]
    if expand_composites:
        comps = _composite_components(x)
        if comps is not None:
            return comps
    return list(x)


def _sequence_like(instance: Any, args: list[Any]) -> Any:
    """``args`` packed into the type of ``instance`` (TF's nest_util.sequence_like)."""
    if isinstance(instance, MutableMapping):
        result = dict(zip(_sorted_keys(instance), args))
        if type(instance) is collections.defaultdict:
            out: MutableMapping[Any, Any] = collections.defaultdict(instance.default_factory)
        else:
            out = type(instance)()
        for key in instance:
            out[key] = result[key]
        return out
    if isinstance(instance, Mapping):
        result = dict(zip(_sorted_keys(instance), args))
        return type(instance)((key, result[key]) for key in instance)  # type: ignore[call-arg]
    if isinstance(instance, MappingView):
        return list(args)
    if _is_namedtuple(instance) or _is_attrs(instance):
        return type(instance)(*args)
    if _composite_components(instance) is not None:
        return _rebuild_composite(instance, args)
    if isinstance(instance, range):
        return list(args)
    return type(instance)(args)


def _yield_flat(x: Any, expand_composites: bool) -> Iterator[Any]:
    if not _is_nested(x, expand_composites):
        yield x
        return
    for child in _children(x, expand_composites):
        yield from _yield_flat(child, expand_composites)


def _child_keys(x: Any, expand_composites: bool) -> list[Any]:
    # the path element of each child, as TF's _yield_sorted_items names them
    if isinstance(x, Mapping):
        return sorted(x)
    if _is_attrs(x):
        return [a.name for a in type(x).__attrs_attrs__]
    if _is_namedtuple(x):
        return list(type(x)._fields)
    return list(range(len(_children(x, expand_composites))))


def flatten_with_tuple_paths(structure: Any,
                             expand_composites: bool = False) -> list[tuple[tuple[Any, ...], Any]]:
    """``(path, leaf)`` for each leaf of ``structure`` in flatten's order, the path the keys,
    field names and indices leading to it."""
    out: list[tuple[tuple[Any, ...], Any]] = []

    def walk(x: Any, path: tuple[Any, ...]) -> None:
        if not _is_nested(x, expand_composites):
            out.append((path, x))
            return
        for key, child in zip(_child_keys(x, expand_composites),
                              _children(x, expand_composites)):
            walk(child, (*path, key))

    walk(structure, ())
    return out


def flatten(structure: Any, expand_composites: bool = False) -> list[Any]:
    """The leaves of ``structure`` in TF's order (mappings by sorted key)."""
    return list(_yield_flat(structure, expand_composites))


def flatten_dict_items(dictionary: Any) -> dict[Any, Any]:
    """``{(k1, (k2, k3)): (v1, (v2, v3))}`` as ``{k1: v1, k2: v2, k3: v3}`` (TF's C++
    FlattenDictItems, which Session.run applies to feed_dict): a nested key's value is
    flattened as deeply as the value goes, and every flat key must be unique."""
    if not isinstance(dictionary, Mapping):
        raise TypeError("input must be a dictionary")
    out: dict[Any, Any] = {}
    for key, value in dictionary.items():
        if _is_nested(key):
            keys, values = flatten(key), flatten(value)
            if len(keys) != len(values):
                raise ValueError(f"Could not flatten dictionary. Key had {len(keys)} elements, "
                                 f"but value had {len(values)} elements. Key: {keys!r}, "
                                 f"value: {values!r}.")
        else:
            keys, values = [key], [value]
        for k, v in zip(keys, values):
            if k in out:
                raise ValueError(f"Cannot flatten dict because this key is not unique: {k}")
            out[k] = v
    return out


def _describe(x: Any) -> str:
    return f"type={type(x).__name__} str={x}"


def _same_type(a: Any, b: Any) -> bool:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return True
    if _is_namedtuple(a) and _is_namedtuple(b):
        # TF compares namedtuples by name and fields, not by class object.
        return bool(type(a).__name__ == type(b).__name__
                    and type(a)._fields == type(b)._fields)
    return type(a) is type(b)


def _assert_same(a: Any, b: Any, check_types: bool, expand: bool) -> None:
    a_nested, b_nested = _is_nested(a, expand), _is_nested(b, expand)
    if a_nested != b_nested:
        seq, other = (a, b) if a_nested else (b, a)
        raise ValueError(f'Substructure "{_describe(seq)}" is a sequence, while substructure '
                         f'"{_describe(other)}" is not')
    if not a_nested:
        return
    if check_types and not _same_type(a, b):
        raise TypeError(
            "The two namedtuples don't have the same sequence type. First structure "
            f"{_describe(a)} has type {type(a).__name__}, while second structure "
            f"{_describe(b)} has type {type(b).__name__}")
    ca, cb = _children(a, expand), _children(b, expand)
    if len(ca) != len(cb):
        raise ValueError(
            "The two structures don't have the same number of elements. First structure: "
            f"{_describe(a)}. Second structure: {_describe(b)}")
    # TF compares dictionary keys only with check_types (its C++ AssertSameStructure)
    if check_types and isinstance(a, Mapping) and isinstance(b, Mapping) and set(a) != set(b):
        raise ValueError(
            "The two dictionaries don't have the same set of keys. First structure has keys "
            f"{_describe(list(a))}, while second structure has keys {_describe(list(b))}")
    for x, y in zip(ca, cb):
        _assert_same(x, y, check_types, expand)


class _Dot:
    def __repr__(self) -> str:
        return "."


_DOT = _Dot()


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool = True,
                          expand_composites: bool = False) -> None:
    """Raises ValueError (shape of the nesting) or TypeError (sequence types, with
    ``check_types``) with TF's messages unless the two structures match."""
    try:
        _assert_same(nest1, nest2, bool(check_types), bool(expand_composites))
    except (ValueError, TypeError) as e:
        dots1 = map_structure(lambda _: _DOT, nest1, expand_composites=expand_composites)
        dots2 = map_structure(lambda _: _DOT, nest2, expand_composites=expand_composites)
        raise type(e)(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: {_describe(nest1)}\n\nSecond structure: {_describe(nest2)}\n\n"
            f"More specifically: {e}\nEntire first structure:\n{dots1}\n"
            f"Entire second structure:\n{dots2}") from None


def _truncate(value: Any, length: int) -> str:
    text = str(value)
    return text[:length] + (text[length:] and "...")


def _pack(structure: Any, flat: Sequence[Any], index: int, expand: bool) -> tuple[int, Any]:
    packed = []
    for child in _children(structure, expand, packing=True):
        if _is_nested(child, expand):
            index, sub = _pack(child, flat, index, expand)
            packed.append(_sequence_like(child, sub))
        else:
            packed.append(flat[index])
            index += 1
    return index, packed


def pack_sequence_as(structure: Any, flat_sequence: Any, expand_composites: bool = False) -> Any:
    """``flat_sequence`` packed into the nesting of ``structure`` (the inverse of flatten)."""
    if not _is_nested(flat_sequence, expand_composites):
        raise TypeError(f"Attempted to pack value:\n  {_truncate(flat_sequence, 100)}\ninto a "
                        f"structure, but found incompatible type `{type(flat_sequence)}` "
                        "instead.")
    flat = list(flat_sequence)
    if not _is_nested(structure, expand_composites):
        if len(flat) != 1:
            raise ValueError(
                f"The target structure is of type `{type(structure)}`\n  "
                f"{_truncate(structure, 100)}\nHowever the input is a sequence "
                f"({type(flat_sequence)}) of length {len(flat)}.\n  "
                f"{_truncate(flat_sequence, 100)}\nnest cannot guarantee that it is safe to "
                "map one to the other.")
        return flat[0]
    try:
        final, packed = _pack(structure, flat, 0, expand_composites)
        if final < len(flat):
            raise IndexError
    except IndexError:
        atoms = len(flatten(structure, expand_composites))
        raise ValueError(
            f"Could not pack sequence. Structure had {atoms} atoms, but flat_sequence had "
            f"{len(flat)} items.  Structure: {structure}, flat_sequence: {flat_sequence}."
        ) from None
    return _sequence_like(structure, packed)


def map_structure(func: Callable[..., Any], *structure: Any, **kwargs: Any) -> Any:
    """``func`` applied to the leaves of the structures (which must match), packed like the
    first one; keywords ``check_types`` (default True) and ``expand_composites``."""
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    expand = kwargs.pop("expand_composites", False)
    if kwargs:
        raise ValueError("Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: `{'`, `'.join(kwargs)}`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types,
                              expand_composites=expand)
    flats = [flatten(s, expand) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*flats)],
                            expand_composites=expand)
