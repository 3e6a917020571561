"""The grid: run notebooks per unit and period, fingerprints, the index and the command line."""
