"""derivations: worked, checked solutions for the arithmetic of training LLMs."""

__version__ = "0.1.0"
