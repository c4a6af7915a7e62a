"""Load generated export modules without torch and print their tables as JSON.

Usage: python3 export_tables.py DIR NAME [NAME ...] (DIR/NAME.py each). A stub module stands in for
torch: the generated module only defines functions at import (no torch call), so its docstring,
tables and the floats it derives from them are read in milliseconds instead of the seconds an
`import torch` costs. Fractions are printed as [numerator, denominator] strings, exactly.
"""
import importlib.util
import json
import sys
import types
from fractions import Fraction

sys.modules["torch"] = types.ModuleType("torch")


def plain(v):
    if isinstance(v, Fraction):
        return [str(v.numerator), str(v.denominator)]
    if isinstance(v, (tuple, list)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


NAMES = ("__doc__", "__all__", "EOMKIT_VERSION", "METHOD", "PARAMS", "ORDER", "LEADING", "TREES", "XI",
         "MODIFIED_LOSS_WEIGHT", "_LEADING", "_XI", "_MODIFIED_LOSS_WEIGHT", "SAMPLING", "LABEL_SUM", "MAX_BATCHES")
FUNCTIONS = ("counter_terms", "eom_field", "modified_loss", "_checked_order", "_leaves", "_grad", "_dot")

out = {}
for name in sys.argv[2:]:
    spec = importlib.util.spec_from_file_location(name, "%s/%s.py" % (sys.argv[1], name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out[name] = {k: plain(getattr(module, k)) for k in NAMES if hasattr(module, k)}
    out[name]["functions"] = [f for f in FUNCTIONS if callable(getattr(module, f, None))]
    out[name]["float types"] = sorted({type(c).__name__ for terms in getattr(module, "_XI", ()) for _, c in terms})
print(json.dumps(out))
