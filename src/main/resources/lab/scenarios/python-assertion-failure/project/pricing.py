"""Order totals."""

MEMBER_DISCOUNT = 0.10


def total(amount: float, member: bool) -> float:
    if member:
        amount = amount * (1 - MEMBER_DISCOUNT)
        amount = amount * (1 - MEMBER_DISCOUNT)
    return round(amount, 2)
