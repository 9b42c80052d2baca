"""Adapters that run the pipeline on the eval kit's protocols and write predictions (one module per task)."""
