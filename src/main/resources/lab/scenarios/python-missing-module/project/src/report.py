from slugkit import slugify
from tinyfmt import money


def line(title: str, cents: int) -> str:
    return f"{slugify(title)}: {money(cents)}"
