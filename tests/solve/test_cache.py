"""The rearrangement cache: survives corruption, can be turned off, keys are stable."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.solve import cache


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVATIONS_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "_entries", None)
    monkeypatch.setattr(cache, "_dirty", False)
    return tmp_path


def test_round_trip(fresh_cache):
    x, y = sp.symbols("x y", positive=True)
    cache.put(sp.Eq(y, 2 * x), x, (y / 2,))
    cache.save()
    files = list(fresh_cache.glob("rearrange-*.pickle"))
    assert len(files) == 1
    cache._entries = None
    assert cache.get(sp.Eq(y, 2 * x), x) == (y / 2,)


def test_corrupt_file_is_ignored(fresh_cache):
    path = cache._file()
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    x = sp.Symbol("x")
    assert cache.get(sp.Eq(x, 1), x) is None


def test_off(monkeypatch):
    monkeypatch.setenv("DERIVATIONS_CACHE", "off")
    assert cache._file() is None


def test_keys_distinguish_assumptions():
    real, positive = sp.Symbol("x", real=True), sp.Symbol("x", positive=True)
    assert cache.key(sp.Eq(real, 1), real) != cache.key(sp.Eq(positive, 1), positive)
