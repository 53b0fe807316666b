"""`python -m bench`: the benchmark's run (bench/run.py)."""

from bench.run import main

raise SystemExit(main())
