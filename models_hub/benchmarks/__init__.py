"""Benchmarks: evaluations defined in code, their data, verified scores and leaderboards.

- definitions.py: the benchmarks (NLBSE'24 issue report classification) and their published
  baselines; catalogue.py writes them to the database (`benchmarks_ensure`, run by a data
  migration and the demo) and finds them
- data.py: the user's train/test CSVs, checked against the definition, stored by sha256
  (`manage.py benchmark_load`)
- scoring.py: a stored version scored on the stored test split: a `verified` result
  (`manage.py evaluate`)
- training.py: one classifier per subset as the protocol says, each a registered version with
  its verified result, offered to the champion gate (`manage.py train triage-labels
  --benchmark`); aggregate.py: the run's headline row
- leaderboard.py: the `leaderboard` selector pages read, honouring repository visibility

Web-safe to import except training.py and scoring.py's callers, which load classifiers (and,
for fine-tuned ones, torch) inside functions only.
"""
