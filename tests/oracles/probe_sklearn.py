"""scikit-learn's multinomial logistic regression as the reference for the probe.

  probe_sklearn.py SPEC_JSON -> JSON {"predictions": [...], "train_accuracy": a, "test_accuracy": b}
     SPEC: {"x": file of float32 [n, d], "d": d, "y": [...], "train": [...], "test": [...], "c": C}
  Features are standardised with the training rows' mean and (population) standard deviation, as the probe does.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

spec = json.load(open(sys.argv[1]))
x = np.fromfile(spec["x"], dtype="<f4").reshape(-1, spec["d"]).astype(np.float64)
y = np.array(spec["y"])
train, test = np.array(spec["train"]), np.array(spec["test"])
scaler = StandardScaler().fit(x[train])
model = LogisticRegression(C=spec["c"], solver="lbfgs", tol=1e-10, max_iter=10000)
model.fit(scaler.transform(x[train]), y[train])
pred = model.predict(scaler.transform(x[test]))
print(json.dumps({"predictions": [int(p) for p in pred],
                  "train_accuracy": float(model.score(scaler.transform(x[train]), y[train])),
                  "test_accuracy": float((pred == y[test]).mean())}))
