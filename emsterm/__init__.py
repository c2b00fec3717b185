"""emsterm: Connecticut DSS's Eligibility Management System (EMS), re-created in Python.

The package is the load library: the terminal, the business transactions, the eligibility
rules, the batch step programs and the database model all live below it.
"""

__version__ = "0.1.0"

ROWS, COLS = 24, 80
"""The 3270 Model 2 screen every map, flow and picture is drawn on: 24 rows of 80 columns."""
