"""The 3270 engine on Textual: maps as data, the 24x80 renderer, fields, PF keys, command line."""
