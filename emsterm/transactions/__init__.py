"""Business transactions: the one code path used by the terminal's screens and by batch."""
