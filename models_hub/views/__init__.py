"""The maintainers' triage pages: the queue, an issue's triage, decisions, repository rules."""
