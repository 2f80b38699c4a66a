"""The top-level ``tf.*`` surface, one module per family as TF groups it (framework, array,
math, control flow, data flow (queues), state). ``varstore/__init__.py`` star-imports each and concatenates their
``__all__``, so a name is listed once, beside the import that brings it in."""

__all__: list[str] = []
