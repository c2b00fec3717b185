"""Screen flow files (`screens/flows/*.toml`): their format, their one loader, and the shipped ones.

Pure data, without Textual: the flows package replays a flow through the terminal, and the
trainers' DEMONSTRATION FLOWS screen (TR02) lists the shipped flows and their steps; both read
the files through `model.load_flow`.
"""
