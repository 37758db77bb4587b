"""Reads the VLM-LENS-style activations database with Python's sqlite3 and numpy, as VLM-LENS's scripts would.

  probing_sqlite.py DB  -> JSON [{name, architecture, image_path, prompt, layer, sample_id, pooling, values}] ordered by sample, layer, pooling
"""
import json
import sqlite3
import sys

import numpy as np

con = sqlite3.connect(sys.argv[1])
rows = con.execute(
    "SELECT name, architecture, timestamp, image_path, prompt, layer, tensor, sample_id, pooling, tokens, dim "
    "FROM tensors ORDER BY sample_id, layer, pooling").fetchall()
out = []
for name, arch, ts, image, prompt, layer, blob, sample, pooling, tokens, dim in rows:
    values = np.frombuffer(blob, dtype="<f4").reshape(tokens, dim)
    out.append({"name": name, "architecture": arch, "timestamp": ts, "image_path": image, "prompt": prompt, "layer": layer,
                "sample_id": sample, "pooling": pooling, "values": [float(v) for v in values.ravel()]})
print(json.dumps(out))
