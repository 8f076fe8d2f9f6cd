"""Requirement gates: the rules every file of the exercise must follow."""
