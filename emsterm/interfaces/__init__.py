"""File formats EMS writes for the outside world and reads from it."""
