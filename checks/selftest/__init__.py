"""The checker's self-tests: the golden solution, mutants and hostiles."""
