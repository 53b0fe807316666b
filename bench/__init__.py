"""The performance benchmark at national scale (`tracker bench`, or `python -m bench`): a tool
beside the product, free to measure every layer. measures.py builds the data set and times
what needs no screen, naive.py is the pandas baseline, imports.py the import runs, run.py the
dashboard's part (its cache, its page) and the table; bench/results.json keeps the figures."""
