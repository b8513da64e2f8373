"""`python -m benchmarks`: the scale benchmark (see benchmarks/scale.py); `python -m benchmarks.diagrams` for drawing."""

from benchmarks.scale import main

main()
