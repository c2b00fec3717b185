"""Connecting to the EMS database, migrating it, and loading its reference tables."""
