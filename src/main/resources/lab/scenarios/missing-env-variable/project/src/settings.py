import os

LOG_LEVEL = os.environ["LOG_LEVEL"]
LEVELS = ("debug", "info", "warning", "error")


def verbose() -> bool:
    return LEVELS.index(LOG_LEVEL) <= 1
