"""The checker's machinery: catalogue, sandbox, solution, scorecard, plugin."""
