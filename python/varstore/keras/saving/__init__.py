"""tf-keras' weight files: ``Model.save_weights`` / ``load_weights`` in Keras' HDF5 layout."""
