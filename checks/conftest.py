"""Wire the checker's plugin into every pytest run under checks/."""
from checks.harness import plugin

pytest_addoption = plugin.pytest_addoption
pytest_configure = plugin.pytest_configure
pytest_ignore_collect = plugin.pytest_ignore_collect
