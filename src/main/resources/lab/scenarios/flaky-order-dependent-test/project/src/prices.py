"""Prices with a process-wide cache."""
_cache = {}


def price(sku: str) -> int:
    if sku not in _cache:
        _cache[sku] = sum(ord(c) for c in sku)
    return _cache[sku]


def cached() -> int:
    return len(_cache)
