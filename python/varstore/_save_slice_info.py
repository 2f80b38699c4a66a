"""``tf.Variable.SaveSliceInfo``: where a part sits in its partitioned variable (the slice
spec the Saver writes), as TF's variables.Variable.SaveSliceInfo."""

from __future__ import annotations

from typing import Any

__all__ = ["SaveSliceInfo"]


class SaveSliceInfo:
    """Where a part sits in its partitioned variable (TF's Variable.SaveSliceInfo)."""

    def __init__(self, full_name: str | None = None, full_shape: list[int] | None = None,
                 var_offset: list[int] | None = None,
                 var_shape: list[int] | None = None, save_slice_info_def: Any = None,
                 import_scope: str | None = None) -> None:
        if save_slice_info_def:
            from varstore._variable_def import prepend_name_scope

            full_name = prepend_name_scope(save_slice_info_def.full_name, import_scope)
            full_shape = list(save_slice_info_def.full_shape)
            var_offset = list(save_slice_info_def.var_offset)
            var_shape = list(save_slice_info_def.var_shape)
        self.full_name = full_name
        self.full_shape = full_shape
        self.var_offset = var_offset
        self.var_shape = var_shape

    @property
    def spec(self) -> str:
        """The slice spec TF saves: ``"<full dims> <offset,length:...>"``."""
        assert self.full_shape is not None and self.var_offset is not None
        assert self.var_shape is not None
        full = " ".join(f"{d}" for d in self.full_shape) + " "
        return full + ":".join(f"{o},{s}" for o, s in zip(self.var_offset, self.var_shape))

    @classmethod
    def from_spec(cls, spec: str) -> SaveSliceInfo:
        """The SaveSliceInfo a ``spec`` string describes (no full_name), TF's parser and
        errors."""
        if not spec:
            return cls()
        try:
            full_shape_str, slice_str = spec.rsplit(" ", 1)
        except ValueError as e:
            raise ValueError("Spec string must contain space-separated full_shape info.") from e
        full_shape = [_spec_int(d, "full_shape must be a sequence of integers")
                      for d in full_shape_str.split()]
        var_offset: list[int] = []
        var_shape: list[int] = []
        for dim_spec in slice_str.split(":"):
            try:
                offset, shape = dim_spec.split(",")
            except ValueError as e:
                raise ValueError("Spec string must contain comma-separated pairs of offsets "
                                 "and shapes.") from e
            var_offset.append(_spec_int(offset, "var_offset must be an integer"))
            var_shape.append(_spec_int(shape, "var_shape must be an integer"))
        return cls(full_shape=full_shape, var_offset=var_offset, var_shape=var_shape)

    def to_proto(self, export_scope: str | None = None) -> Any:
        """The SaveSliceInfoDef (None outside ``export_scope``)."""
        from varstore._variable_def import strip_name_scope
        from varstore.framework.meta_graph_pb2 import VariableDef

        assert self.full_name is not None
        if export_scope is not None and not self.full_name.startswith(export_scope):
            return None
        sd = VariableDef().save_slice_info_def
        sd.full_name = strip_name_scope(self.full_name, export_scope)
        sd.full_shape.extend(self.full_shape or ())
        sd.var_offset.extend(self.var_offset or ())
        sd.var_shape.extend(self.var_shape or ())
        return sd


def _spec_int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError as e:
        raise ValueError(f"Spec string {what}. Found '{text}', which is not an "
                         "integer.") from e
