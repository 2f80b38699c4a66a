"""Utilities TF keeps in tensorflow/python/util (nested structures)."""
