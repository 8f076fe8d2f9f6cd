"""Code that runs outside the checker's own process, beside learner code.

The zygote starts sandboxes and the workers in them; a worker imports the
learner's modules and answers requests about them. Nothing here imports
from the rest of `checks`: the package is copied out of the checker's tree
and is all that a sandbox can see of it.
"""
