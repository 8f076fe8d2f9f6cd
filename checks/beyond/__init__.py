"""Checks of the "beyond the exercise" track, one module per catalogue task.

They grade robustness and security that the exercise's contract leaves
open, against the solution's own app (its test client or its threaded
server) and its Auth; the scorecard reports them apart from the score.
"""
