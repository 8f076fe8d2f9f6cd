"""A class report for a teacher: many learners' grades in one CSV and one
self-contained HTML page (`python -m checks.classreport`, or `tox -e
report`); see __main__.py for the command and inputs.py for what it reads.
A roster (roster.py) names each learner's repository: it is graded here
(rosterrun.py) or by the roster workflow's jobs (plan.py, shard.py,
merge.py; .github/workflows/roster.yml).
"""
