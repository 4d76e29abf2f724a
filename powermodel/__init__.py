"""powermodel: hourly electricity and heat of AI data centers on hydro grids."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("powermodel")
except PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+unknown"
