"""Benchmarks of issue 13, each run as `python -m tests.benchmarks.<name> --help`.

ack: acknowledgements of `/qualify`, answer clicks and the intake modal, Baton beside a bare
Bolt app; clicks: answers spread over 50 qualifications and the database work of each;
pipeline: summaries beside one SQL aggregate; export: `baton export` beside a raw dump;
memory: `baton run`'s memory after many requests. None of these modules is collected by
pytest; tests/benchmarks/test_smoke.py runs each at its smallest size.
"""
