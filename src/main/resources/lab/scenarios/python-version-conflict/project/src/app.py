from labclient import agent


def banner() -> str:
    return "running " + agent()
