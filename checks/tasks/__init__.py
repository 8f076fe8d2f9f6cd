"""One module of checks per task of the exercise."""
