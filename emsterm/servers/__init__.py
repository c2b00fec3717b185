"""Network servers over the EMS database: the real-time eligibility verification (EVS) server
and its client. Layer 3, beside the terminal application and the seed."""
