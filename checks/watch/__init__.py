"""Watch mode: a warm grader that regrades a folder on every save."""
