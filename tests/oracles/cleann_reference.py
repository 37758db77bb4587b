"""Independent transcription of CLEANN's causal search as in IntelLabs/causality-lab (Rohekar et al., NeurIPS 2023), in
plain Python + numpy, written from reading the reference (no import of it). The pieces followed, file by file:

  causal_reasoning/cleann_explainer.py   CLEANN.__init__ (COV = A @ A.T, cov_to_corr, CondIndepParCorr) and
                                         CLEANN.explain (the full explanation set: the nodes of the PDS tree of the
                                         target, max_depth = max_range; explanation_tester None).
  causal_discovery_algs/ordered_icd.py   LearnStructOrderedICD.learn_structure_global, _learn_r0/_r1/_r_connectivity_node,
                                         _is_cond_set_possible_ancestor, orient_graph, reset_graph_orientations; the
                                         causal order is the token order; is_selection_bias=False (R5-R7 off).
  causal_discovery_algs/icd.py           the module-level create_pds_tree(source_pag, node_root, en_nodes=None,
                                         max_depth=None), read at commit 812235d. Of the two PDS-tree builders the repository
                                         has had (this function, and the older method LearnStructICD._create_pds_tree(
                                         self, node_root, max_depth) that commit 5bd87aa moved out of the class; its calls
                                         remain commented out in _get_pdsep_range_sets), this is the one CLEANN.explain
                                         calls (en_nodes=None, max_depth=max_range) and the one
                                         LearnStructOrderedICD._learn_r_connectivity_node calls (en_nodes = the base node
                                         and the nodes before it, max_depth = r).
  graphical_models/possible_dsep_tree.py PDSTree: add_branch, get_minimal_distance, is_reachable, get_subsets_list.
  graphical_models/partial_ancestral_graph.py  is_collider, is_possible_collider, is_possible_parent,
                                         is_possible_ancestor, orient_v_structures, maximally_orient_pattern, rules R1-R4,
                                         find_discriminating_path_to_triplet.
  causal_discovery_utils/cond_indep_tests.py   CondIndepParCorr.calc_statistic and StatCondIndep.cond_indep (p > threshold).

Deliberately left out: tail-completeness rules R8-R10 (orient_graph(anytime=False) with is_tail_completeness). They
only turn circles at the earlier end of an edge into tails; the explanation set (possible colliders along PDS paths)
depends on arrowheads only, and LvlmEval does not apply them, so the marks compared are those after R0-R4.

  cleann_reference.py CASES_JSON  ->  stdout JSON list, per case {"marks": [[...]], "set": [...]}
  CASES_JSON: [{"rows": [[...]] (one attention row per analysed token, in causal order, target last),
                "samples": int, "significance": float, "search_range": int, "max_cond": int | null}]
  marks[i][j] is the mark at i on the edge i - j: 0 none, 1 circle, 2 arrowhead, 3 tail.
"""
import json
import math
import sys
from itertools import combinations

import numpy as np

CIRCLE, ARROW, TAIL = "o", ">", "-"
MARKS = (CIRCLE, ARROW, TAIL)


# --- partial-correlation test (CondIndepParCorr) ----------------------------------------------------------------
class ParCorr:
    def __init__(self, corr, samples, threshold):
        self.c, self.n, self.th = corr, samples, threshold

    def pvalue(self, x, y, zz):
        c = self.c
        if len(zz) == 0:
            if c[x, y] >= 1.0:
                return 0.0
            r = c[x, y]
        elif len(zz) == 1:
            z = zz[0]
            if c[x, z] >= 1.0 or c[y, z] >= 1.0:
                return 0.0
            r = (c[x, y] - c[x, z] * c[y, z]) / np.sqrt((1 - c[x, z] ** 2) * (1 - c[y, z] ** 2))
        else:
            idx = (x, y) + tuple(zz)
            inv = -np.linalg.inv(c[np.ix_(idx, idx)])
            r = inv[0, 1] / np.sqrt(abs(inv[0, 0] * inv[1, 1]))
        if abs(r) >= 1.0:
            return 0.0
        dof = self.n - (len(zz) + 2)
        z = 0.5 * np.log1p(2 * r / (1 - r))
        v = abs(np.sqrt(dof - 1) * z)
        return math.erfc(v / math.sqrt(2))  # = 2 (1 - Phi(v)), without the cancellation

    def indep(self, x, y, zz):
        return self.pvalue(x, y, tuple(zz)) > self.th


# --- PAG: g[node][mark] is the set of neighbours whose edge carries `mark` at `node` ----------------------------
class PAG:
    def __init__(self, n):
        self.nodes = set(range(n))
        self.g = {v: {m: set() for m in MARKS} for v in self.nodes}
        for v in self.nodes:
            self.g[v][CIRCLE] = self.nodes - {v}
        self.sepset = {}

    def sep(self, a, b):
        return self.sepset.get((min(a, b), max(a, b)), set())

    def connected(self, a, b):
        return any(b in self.g[a][m] or a in self.g[b][m] for m in MARKS)

    def adjacent(self, a, pool=None):
        s = set().union(*(self.g[a][m] for m in MARKS))
        return s if pool is None else s & pool

    def delete(self, a, b):
        for m in MARKS:
            self.g[a][m].discard(b)
            self.g[b][m].discard(a)

    def replace(self, source, target, mark):  # mark at `target` on the edge source - target
        for m in MARKS:
            self.g[target][m].discard(source)
        self.g[target][mark].add(source)

    def is_collider(self, mid, x, y):
        return x in self.g[mid][ARROW] and y in self.g[mid][ARROW]

    def is_possible_collider(self, x, mid, y):
        if x == y or not self.connected(x, mid) or not self.connected(mid, y):
            return False
        return self.connected(x, y) or self.is_collider(mid, x, y)

    def is_possible_parent(self, p, c):
        if p == c or not self.connected(p, c):
            return False
        return not (p in self.g[c][TAIL] or c in self.g[p][ARROW])

    def is_parent(self, p, c):
        return p in self.g[c][ARROW] and c in self.g[p][TAIL]

    def is_possible_ancestor(self, anc, desc, en=None):
        if en is None:
            en = self.nodes
        children = {v for v in (en - {anc}) if self.is_possible_parent(anc, v)}
        if desc in children:
            return True
        new_en = en - {anc}
        for ch in children:
            new_en.discard(ch)
            if self.is_possible_ancestor(ch, desc, new_en):
                return True
        return False

    def orient_v_structures(self):
        for z in self.nodes:
            for x, y in combinations(self.adjacent(z), 2):
                if self.connected(x, y):
                    continue
                if z not in self.sep(x, y):
                    self.replace(x, z, ARROW)
                    self.replace(y, z, ARROW)

    def r1(self):
        mod = False
        for b in self.nodes:
            for a in self.g[b][ARROW]:
                for c in self.g[b][CIRCLE].copy():
                    if not self.connected(a, c):
                        self.replace(c, b, TAIL)
                        self.replace(b, c, ARROW)
                        mod = True
        return mod

    def r2(self):
        mod = False
        for b in self.nodes:
            for c in self.g[b][TAIL]:
                if b not in self.g[c][ARROW]:
                    continue
                for a in self.g[b][ARROW]:
                    if a in self.g[c][CIRCLE]:
                        self.replace(a, c, ARROW)
                        mod = True
        for c in self.nodes:
            for b in self.g[c][ARROW].copy():
                for a in self.g[b][ARROW]:
                    if b not in self.g[a][TAIL]:
                        continue
                    if a in self.g[c][CIRCLE]:
                        self.replace(a, c, ARROW)
                        mod = True
        return mod

    def r3(self):
        mod = False
        for b in self.nodes:
            for d in self.g[b][CIRCLE].copy():
                ac = self.g[b][ARROW] & self.g[d][CIRCLE]
                for a, c in combinations(ac, 2):
                    if not self.connected(a, c):
                        self.replace(d, b, ARROW)
                        mod = True
        return mod

    def discriminating_source(self, a, b, c):
        allowed = self.nodes - {a, b, c}
        frontier, visited = {a}, {a, b, c}
        while frontier:
            nxt = set()
            for cur in frontier:
                for d in (self.g[cur][ARROW] - {b, c}) & allowed:
                    if not self.connected(d, c):
                        return d
                    if d not in visited and self.is_parent(d, c) and cur in self.g[d][ARROW]:
                        nxt.add(d)
            visited |= nxt
            frontier = nxt
        return None

    def r4(self):
        mod = False
        for b in self.nodes:
            for c in self.g[b][CIRCLE].copy():
                parents_c = {p for p in self.nodes - {c} if self.is_parent(p, c)}
                for a in parents_c:
                    if b not in self.g[a][ARROW]:
                        continue
                    d = self.discriminating_source(a, b, c)
                    if d is None:
                        continue
                    if b in self.sep(d, c):
                        self.replace(b, c, ARROW)
                        self.replace(c, b, TAIL)
                    else:
                        self.replace(b, a, ARROW)
                        self.replace(a, b, ARROW)
                        self.replace(b, c, ARROW)
                        self.replace(c, b, ARROW)
                    mod = True
        return mod

    def orient_pattern(self):
        mod = True
        while mod:
            mod = False
            for rule in (self.r1, self.r2, self.r3, self.r4):
                mod |= rule()


# --- PDS tree (possible_dsep_tree.PDSTree) and icd.create_pds_tree ------------------------------------------------
class PDSTree:
    def __init__(self, origin, depth=0):
        self.origin, self.depth, self.children, self.index = origin, depth, [], {}

    def add_branch(self, v):
        assert v not in self.index
        self.index[v] = len(self.children)
        self.children.append(PDSTree(v, self.depth + 1))

    def child(self, v):
        return self.children[self.index[v]]

    def min_distance(self, v):
        best = math.inf
        for ch in self.children:
            if ch.origin == v:
                return ch.depth
            best = min(best, ch.min_distance(v))
        return best

    def reachable(self, target, through):
        if len(through) == 0:
            return False
        for ch in self.children:
            if ch.origin == target:
                return True
            if ch.origin in through and ch.reachable(target, through):
                return True
        return False

    def subsets(self, nodes, size):
        dist = {v: self.min_distance(v) for v in nodes}
        out = []
        for s in combinations(nodes, size):
            if all(self.reachable(v, s) for v in s):
                out.append([set(s), sum(dist[v] for v in s)])
        return out


def create_pds_tree(pag, root, en_nodes=None, max_depth=None):
    en = pag.nodes if en_nodes is None else en_nodes
    adj = {v: set() for v in en}
    for i, j in combinations(en, 2):
        if pag.connected(i, j):
            adj[i].add(j)
            adj[j].add(i)

    def neighbours(v):
        return [u for u in (en - {v}) if u in adj[v]]

    tree = PDSTree(root)
    nb = neighbours(root)
    second = nb.copy()
    first = [root] * len(second)
    pds = nb.copy()
    for v in nb:
        adj[root].discard(v)
        adj[v].discard(root)
    if max_depth is None:
        max_depth = len(en) - 1
    for v in pds:
        tree.add_branch(v)
    second_trees = tree.children.copy()
    while second:
        n1, n2 = first.pop(0), second.pop(0)
        t2 = second_trees.pop(0)
        if t2.depth >= max_depth:
            continue
        for n3 in neighbours(n2):
            if pag.is_possible_collider(n1, n2, n3):
                adj[n2].discard(n3)
                adj[n3].discard(n2)
                first.append(n2)
                second.append(n3)
                pds.append(n3)
                t2.add_branch(n3)
                second_trees.append(t2.child(n3))
    result = set(pds)
    result.discard(root)
    return tree, result


# --- Ordered ICD, learn_structure_global ------------------------------------------------------------------------
class OrderedICD:
    def __init__(self, n, test, max_cond=None):
        self.n, self.test, self.max_cond = n, test, max_cond
        self.order = list(range(n))
        self.pag = PAG(n)
        self.done = {b: {a: False for a in range(b)} for b in range(n)}

    def set_sep(self, a, b, s):
        self.pag.sepset[(min(a, b), max(a, b))] = set(s)

    def orient(self):
        p = self.pag
        for b in range(1, self.n):
            for a in range(b):
                if p.connected(a, b):
                    p.replace(a, b, ARROW)
                    p.replace(b, a, CIRCLE)
        p.orient_v_structures()
        p.orient_pattern()

    def cond_set_possible_ancestor(self, cond, ai, bi):
        for z in cond:
            if self.pag.is_possible_ancestor(z, ai, set(range(ai + 1))):
                continue
            if self.pag.is_possible_ancestor(z, bi, set(range(bi + 1))):
                continue
            return False
        return True

    def r0(self, b):
        for a in range(b):
            if self.done[b][a]:
                continue
            if self.test.indep(a, b, ()):
                self.pag.delete(a, b)
                self.done[b][a] = True

    def r1(self, b):
        anc = set(range(b))
        for a in range(b):
            if not self.pag.connected(a, b) or self.done[b][a]:
                continue
            for z in self.pag.adjacent(b, anc - {a}):
                if self.test.indep(a, b, (z,)):
                    self.pag.delete(a, b)
                    self.set_sep(a, b, (z,))
                    self.done[b][a] = True
                    break

    def rr(self, r, b):
        if all(self.done[b].values()):
            return True
        tree, pds = create_pds_tree(self.pag, b, set(range(b + 1)), r)
        conds = tree.subsets(pds, r)
        conds.sort(key=lambda x: x[1])
        done = True
        for a in range(b):
            if self.done[b][a]:
                continue
            self.done[b][a] = True
            if not self.pag.connected(a, b):
                continue
            for cond in conds:
                s = cond[0]
                if a in s or not self.cond_set_possible_ancestor(s, a, b):
                    continue
                self.done[b][a] = False
                if self.test.indep(a, b, tuple(s)):
                    self.pag.delete(a, b)
                    self.set_sep(a, b, tuple(s))
                    self.done[b][a] = True
                    break
                done = False
        return done

    def learn(self):
        n = self.n
        for b in range(1, n):
            self.r0(b)
        self.orient()
        for b in range(2, n):
            self.r1(b)
        self.orient()
        last = (self.max_cond if self.max_cond is not None else n - 2) + 1
        done = True
        for r in range(2, last):
            for b in range(r + 1, n):
                done = self.rr(r, b) and done
            if done:
                break
            self.orient()
        self.orient()  # anytime=False: R0-R4 again; R5-R10 not applied (see the header)
        return self.pag


def run(case):
    a = np.asarray(case["rows"], dtype=np.float64)
    cov = a @ a.T
    d = np.sqrt(np.diag(cov))
    assert np.all(d > 1e-8)
    corr = cov * (1.0 / d) * (1.0 / d)[:, np.newaxis]
    n = corr.shape[0]
    pag = OrderedICD(n, ParCorr(corr, case["samples"], case["significance"]), case.get("max_cond")).learn()
    _, full = create_pds_tree(pag, n - 1, max_depth=case["search_range"])
    code = {CIRCLE: 1, ARROW: 2, TAIL: 3}
    marks = [[0] * n for _ in range(n)]
    for i in range(n):
        for m in MARKS:
            for j in pag.g[i][m]:
                marks[i][j] = code[m]
    return {"marks": marks, "set": sorted(full)}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    print(json.dumps([run(c) for c in cases]))
