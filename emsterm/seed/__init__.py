"""A deterministic, state-scale synthetic caseload for demos, tests and benchmarks."""
