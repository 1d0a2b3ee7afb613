"""Greenlane: a platform that runs a trusted-trader supply-chain security program."""
