import os

# level names are case-insensitive, as in Python's logging and most loggers
LOG_LEVEL = os.environ["LOG_LEVEL"].lower()
LEVELS = ("debug", "info", "warning", "error")


def verbose() -> bool:
    return LEVELS.index(LOG_LEVEL) <= 1
