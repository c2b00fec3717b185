"""`python -m emsterm` runs the `ems` command line."""

from emsterm.cli import main

if __name__ == "__main__":
    main()
