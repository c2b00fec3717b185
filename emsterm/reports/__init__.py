"""Management reports: program participation by month, caseload, and financial control."""
