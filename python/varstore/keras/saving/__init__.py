"""tf-keras' weight files: ``Model.save_weights`` / ``load_weights`` in Keras' HDF5 layout
(hdf5_format.py) and in TF's checkpoint format (tf_format.py)."""
