"""Each reader of outside bytes against mutated files (tools/fuzz.py), with a fixed seed and a size that takes seconds.

The readers are the IDX reader (`read_idx`), the checkpoint loader (`load_checkpoint`, and resuming from a `last.pt`) and
the config-file reader (`run_config`). For each, every file must be refused with the reader's own error or read into
a result whose numbers are all finite: no other exception, no NaN or infinity, and no file that takes long or much
memory. `python tools/fuzz.py -n 20000` runs the same fuzzers at any size. This lives here rather than in a notebook
because it is a harness, not a lesson: each chapter shows its reader's checks, and the refused files, one by one.
"""
import importlib.util, time
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location('fuzz', Path(__file__).parents[1]/'tools'/'fuzz.py')
fuzz = importlib.util.module_from_spec(spec); spec.loader.exec_module(fuzz)

# cases per reader, about a second or two each on a quiet 2-core CPU; the seed is fixed, so the files are too
SIZES = dict(idx=400, checkpoint=120, yaml=250)
CPU, MB = 2.0, 64  # the most one file may take: CPU seconds (the clock's would count other processes too), and MB


@pytest.mark.parametrize('reader', list(SIZES))
def test_fuzz(reader):
    t = time.process_time()
    res = fuzz.fuzz(reader, SIZES[reader], seed=0, show=5)
    print(f"{reader}: {res} ({time.process_time() - t:.1f} s of CPU)")
    assert res['refused'] + res['loaded'] == SIZES[reader], res['failures']  # no other exception, nothing non-finite
    assert res['refused'] > 0 and res['loaded'] > 0, res  # the mutations reach both outcomes
    assert res['cpu_s'] < CPU, res  # and every read ended (the fuzzer stops one after 20 s with an exception)
    assert res['most_mb'] < MB, res
