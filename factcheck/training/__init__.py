"""Training scripts for the models that ship in the package (run from a source checkout)."""
