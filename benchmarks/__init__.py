"""dicomcore's benchmark harness: a generated corpus and a runner.

``python -m benchmarks.run`` builds the corpus on first use (``benchmarks/corpus/``)
and compares dicomcore with a named peer on each workload.
"""
