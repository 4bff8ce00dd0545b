"""Demo Chief Quality Officers."""


def load(demo):
    """Filled in with the officer registry."""
