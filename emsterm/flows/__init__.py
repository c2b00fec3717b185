"""Screen flows: a trainer's walk through the terminal written down as data (`screens/flows/*.toml`).

A flow is a list of steps, each the keys a worker types, what the trainer says (the caption),
how long to wait, and what the screen must then show. The same file is recorded (`ems tui
--record`), played in class (`ems train play`), checked headless like a test (`ems train
check`) and turned into pictures (`ems screenshot`); all of them drive the real terminal
(`EmsApp`) through Textual's Pilot. The file format and its loader are `emsterm.flowfiles`, which
the trainers' DEMONSTRATION FLOWS screen reads too.
"""
