"""Sweeps: many design points x replicates, run in chunks on local cores or a Dask cluster,
stored as a resumable Parquet dataset, analysed with SALib, every run replayable alone."""
