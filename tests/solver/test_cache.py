"""The rearrangement cache: survives corruption, can be turned off, keys are stable."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.solver import cache


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
    files = list(fresh_cache.glob("rearrange-*.json"))
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


def test_every_library_rearrangement_survives_the_json_round_trip():
    from derivations.library import FORMULAS
    from derivations.solver.algebra import rearrange

    for item in FORMULAS.values():
        for symbol in sorted(item.equation.free_symbols, key=lambda s: s.name)[:3]:
            found = rearrange(item.equation, symbol)
            assert cache.decode(cache.encode(found)) == found, (item.id, symbol)


def test_a_crafted_pickle_in_the_cache_folder_runs_nothing(fresh_cache, tmp_path):
    import os
    import pickle

    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = cache._file()
    assert path is not None
    for name in (path, path.with_suffix(".pickle")):
        name.write_bytes(pickle.dumps(Exploit()))
    x = sp.Symbol("x")
    assert cache.get(sp.Eq(x, 1), x) is None
    assert not marker.exists()


def test_files_of_others_or_writable_by_others_are_not_read(fresh_cache):
    x, y = sp.symbols("x y", positive=True)
    cache.put(sp.Eq(y, 2 * x), x, (y / 2,))
    cache.save()
    path = cache._file()
    assert path is not None and cache.trusted(path)
    path.chmod(0o666)
    assert not cache.trusted(path)
    cache._entries = None
    assert cache.get(sp.Eq(y, 2 * x), x) is None


def test_crafted_json_cannot_build_huge_numbers_or_other_classes(fresh_cache):
    import json

    x = sp.Symbol("x")
    path = cache._file()
    assert path is not None
    bomb = {"f": "Pow", "a": [{"i": "10"}, {"i": "9" * 4000}]}
    other = {"f": "Function", "a": []}
    entries = {cache.key(sp.Eq(x, 1), x): bomb, cache.key(sp.Eq(x, 2), x): other}
    path.write_text(json.dumps({"format": cache.FORMAT, "entries": entries}))
    path.chmod(0o600)
    cache._entries = None
    assert cache.get(sp.Eq(x, 1), x) is None
    assert cache.get(sp.Eq(x, 2), x) is None
