"""scikit-learn's roc_auc_score, average_precision_score and roc_curve as the reference for DetectionCurves.

  detection_sklearn.py SPEC_JSON -> JSON [{"auroc": a, "ap": p, "fpr": [...], "tpr": [...]} per table]
     SPEC: [{"scores": [...], "labels": [0/1 ...]} ...]
"""
import json
import sys

from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

out = []
with open(sys.argv[1]) as f:
    tables = json.load(f)
for t in tables:
    fpr, tpr, _ = roc_curve(t["labels"], t["scores"], drop_intermediate=False)
    out.append({"auroc": roc_auc_score(t["labels"], t["scores"]), "ap": average_precision_score(t["labels"], t["scores"]),
                "fpr": fpr.tolist(), "tpr": tpr.tolist()})
print(json.dumps(out))
