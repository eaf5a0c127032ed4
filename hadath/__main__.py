"""``python -m hadath``: the same as the ``hadath`` command."""
from hadath.cli import run

run()
