"""tf-keras' ``engine``: the Layer base, InputSpec, Input/InputLayer and the Model classes
(functional, Sequential, subclassed)."""
