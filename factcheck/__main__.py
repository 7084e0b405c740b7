"""`python -m factcheck` runs the command line, as the `factcheck` script does."""
from .cli import main

main()
