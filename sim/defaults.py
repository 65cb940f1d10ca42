"""Settings every command shares, so that the same settings give the same numbers everywhere."""

DEFAULT_RUNS = 10_000  # run, compare, plot, report, validation and the Python API
DEFAULT_SEED = 2018
