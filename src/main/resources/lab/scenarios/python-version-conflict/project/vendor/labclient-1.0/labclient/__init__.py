from labhttp import VERSION


def agent() -> str:
    return "labclient/1.0 (labhttp " + VERSION + ")"
