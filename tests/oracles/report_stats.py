"""SciPy's Wilcoxon signed-rank test for the report statistics tests.
    python3 report_stats.py wilcoxon '{"a": [...], "b": [...], "method": "exact"|"approx"}' -> JSON {statistic, pvalue}
"""
import json
import sys

from scipy import stats

mode, payload = sys.argv[1], json.loads(sys.argv[2])
if mode != "wilcoxon":
    raise SystemExit(f"unknown mode {mode}")
result = stats.wilcoxon(payload["a"], payload["b"], zero_method="wilcox", correction=False,
                        alternative="two-sided", method=payload["method"])
print(json.dumps({"statistic": float(result.statistic), "pvalue": float(result.pvalue)}))
