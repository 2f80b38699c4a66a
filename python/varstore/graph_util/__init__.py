"""``tf.graph_util`` (TF1): freezing (convert_variables_to_constants), sub-graphs and
pruning of GraphDefs, and import_graph_def."""

from __future__ import annotations

from varstore.framework.graph_util import (
    convert_variables_to_constants,
    extract_sub_graph,
    import_graph_def,
    must_run_on_cpu,
    remove_training_nodes,
    tensor_shape_from_node_def_name,
)

__all__ = [
    "convert_variables_to_constants",
    "extract_sub_graph",
    "import_graph_def",
    "must_run_on_cpu",
    "remove_training_nodes",
    "tensor_shape_from_node_def_name",
]

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
