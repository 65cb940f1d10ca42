"""Memory a batch lets go of: a finished chunk's model is freed by reference counting, not left
for the cyclic garbage collector, and a chunked batch holds one outcome, not its chunks as well.
(Peak memory itself is measured by experiments/benchmarks/run_memory.py, not asserted here.)"""

import gc
import weakref

import numpy as np

from sim import heap
from sim.loader import load
from sim.model import SummitModel
from sim.replay import replay
from sim.spec import compile_scenario


def test_a_dismantled_model_is_freed_at_once_and_an_intact_one_waits_for_the_cycle_collector():
    spec = compile_scenario(load("helsinki-2018"))
    gc.disable()
    try:
        refs = []
        for dismantle in (True, False):
            model = SummitModel(spec, np.arange(64, dtype=np.uint64), 1)
            model.replay()
            if dismantle:
                model.dismantle()
            refs.append(weakref.ref(model))
            del model
        assert refs[0]() is None
        assert refs[1]() is not None   # agents and model refer to each other
    finally:
        gc.enable()
        gc.collect()


def test_a_chunked_batch_is_the_same_batch_and_owns_its_arrays():
    spec = compile_scenario(load("yalta-1945"))
    whole = replay(spec, 300, 7)
    chunked = replay(spec, 300, 7, chunk=64)
    for name in ("parts", "final", "walked_out", "deal_round", "direct"):
        np.testing.assert_array_equal(getattr(whole, name), getattr(chunked, name))
        assert getattr(chunked, name).base is None     # allocated once for the batch, not a view of a chunk
    for key, passed in whole.ratified.items():
        np.testing.assert_array_equal(passed, chunked.ratified[key])
    heap.give_back()   # harmless where the C library has no malloc_trim
