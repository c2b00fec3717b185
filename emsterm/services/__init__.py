"""Business services: EDBC from a case, the change engine, the caseload, notices, the online
tables, users and the audit trail. Screens and batch both call them; they know nothing of either."""
