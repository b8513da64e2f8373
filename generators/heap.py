"""Python's cycle collector kept out of the way of a run that builds a large catalog and keeps it.

A catalog of thousands of entries is millions of objects that live as long as the run. The collector
scans them again each time enough new objects have been made: while the catalog is loaded, and again
while its pages are rendered (a fifth of a generation's time at 2,000 entries). So the catalog is
loaded without collecting, and the pages are rendered with the catalog set aside from collections;
what the run frees afterwards is collected as before. A forked worker does not copy the memory the
collector would have written to while scanning the set-aside objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def uncollected() -> Iterator[None]:
    """No cycle is collected while the block runs: what it makes is meant to last."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def set_aside() -> Iterator[None]:
    """Every object that exists when the block starts is left out of collections until it ends. Not nested: the
    end of the block returns every set-aside object to the collector (a run renders one edition at a time)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
