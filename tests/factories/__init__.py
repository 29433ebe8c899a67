"""factory_boy factories, one module per feature."""
