"""Domain package of the 两个责任 handbook: load, validate, index and export the data.

Nothing in this package imports MkDocs; hooks/ and macros/ adapt it to the site build.
"""

from .load import load, load_report
from .problems import DataError, Problem

__all__ = ["load", "load_report", "DataError", "Problem"]
