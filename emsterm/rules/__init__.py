"""Eligibility determination and benefit calculation (EDBC): pure functions, one module per program.

Nothing here touches the database or the screen. A rule takes a household, a benefit month and
the parameters in force for that month, and returns a determination with its budget lines.
"""
