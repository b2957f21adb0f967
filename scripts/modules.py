#!/usr/bin/env python3
"""Module dependencies of the papertrend library, and the cycles among them.

Reads every `crate::…` path in src/ (use trees, paths in code, and doc links;
`super::` paths are resolved too), builds the graph between the top-level
modules of the library and, separately, between the submodules of
`src/index`, prints modules, edges and cycles (strongly connected components,
Tarjan), and exits 1 on a cycle that ALLOWED below does not list.

    python3 scripts/modules.py            # summary: modules, edges, cycles
    python3 scripts/modules.py --where    # also each edge's first file:line

Python 3.11, standard library only. `src/main.rs` is the binary crate and is
not read; plain `//` comments and string literals are skipped, doc comments
count (ARCHITECTURE.md: no module names one above it, not even in a doc link).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Edges the cycle search does not follow, each with its reason; a new entry
# needs its reason in ARCHITECTURE.md ("Dependencies") too. The crate
# `Error` sits at both ends: every layer returns it, and it wraps the typed
# errors callers branch on (so `cmd/` maps each to an exit code and a hint).
WRAPS = "the crate Error wraps this module's typed error (see ARCHITECTURE.md)"
ALLOWED: dict[tuple[str, str], str] = {
    ("error", "config"): WRAPS,
    ("error", "index"): WRAPS,
    ("error", "ingest"): WRAPS,
    ("error", "mail"): WRAPS,
    ("error", "state"): WRAPS,
}

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# The folder whose submodules get a graph of their own.
SPLIT = "index"

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DOC_PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")


def module_path(path: Path) -> list[str]:
    """The module path of a source file: src/a/b.rs and src/a/b/mod.rs are a::b."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts.pop()
    return parts


def lex(text: str):
    """Tokens of Rust source: (kind, value, line). Kinds: ident, punct, doc.

    Comments are dropped except doc comments (`///`, `//!`, `/** */`, `/*! */`),
    which come back whole as one `doc` token; strings and chars are dropped.
    """
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            if text.startswith("///", i) or text.startswith("//!", i):
                yield ("doc", text[i:end], line)
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            body = text[i:j]
            if body.startswith("/**") or body.startswith("/*!"):
                yield ("doc", body, line)
            line += body.count("\n")
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:]) or text.startswith('br"', i) \
                or text.startswith("br#", i):
            m = re.match(r'b?r(#*)"', text[i:])
            if not m:  # `br#` that is not a raw string: an identifier
                m2 = IDENT.match(text, i)
                yield ("ident", m2.group(), line)
                i = m2.end()
                continue
            close = '"' + m.group(1)
            end = text.find(close, i + m.end())
            end = n if end < 0 else end + len(close)
            line += text.count("\n", i, end)
            i = end
        elif c == '"' or (c == "b" and text.startswith('b"', i)):
            j = i + (2 if c == "b" else 1)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            line += text.count("\n", i, j)
            i = j + 1
        elif c == "'":
            # A char literal ('a', '\n', '\u{1F600}', '{') or a lifetime ('a).
            m = re.match(r"'(\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'", text[i:])
            if m:
                i += m.end()
            else:
                i += 1
        elif IDENT.match(text, i):
            m = IDENT.match(text, i)
            yield ("ident", m.group(), line)
            i = m.end()
        elif text.startswith("::", i):
            yield ("punct", "::", line)
            i += 2
        else:
            yield ("punct", c, line)
            i += 1


def use_tree(toks, k, prefix):
    """Parses a use tree at toks[k]; yields full paths. Returns (paths, next k)."""
    paths = []
    path = list(prefix)
    while k < len(toks):
        kind, val, _ = toks[k]
        if kind == "ident":
            path.append(val)
            k += 1
            if k < len(toks) and toks[k][1] == "::":
                k += 1
                continue
            if k < len(toks) and toks[k][1] == "as":
                k += 2
            paths.append(path)
            return paths, k
        if val == "*":
            paths.append(path)
            return paths, k + 1
        if val == "{":
            k += 1
            while k < len(toks) and toks[k][1] != "}":
                sub, k = use_tree(toks, k, path)
                paths.extend(sub)
                if k < len(toks) and toks[k][1] == ",":
                    k += 1
            if not any(p != path for p in paths):
                paths.append(path)
            return paths, k + 1
        return paths or [path], k
    return paths or [path], k


def resolve(segs: list[str], here: list[str]) -> list[str] | None:
    """An absolute module path for crate::/super::/self:: segments, or None."""
    if segs[0] == "crate":
        return segs[1:]
    if segs[0] in ("super", "self"):
        cur = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                if not cur:
                    return None
                cur.pop()
            segs = segs[1:]
        return cur + segs
    return None


def node(path: list[str], subs: set[str]) -> str | None:
    """The graph node a path points into: a top-level module, or index/<sub>."""
    if not path:
        return None
    if path[0] == SPLIT:
        if len(path) > 1 and path[1] in subs:
            return f"{SPLIT}/{path[1]}"
        return SPLIT
    return path[0]


def scan(path: Path, subs: set[str], tops: set[str]):
    """Yields (from node, to node, line) for every reference in one file."""
    here_file = module_path(path)
    toks = list(lex(path.read_text(encoding="utf-8")))
    # Inline `mod name { … }` blocks shift where `super::` points.
    stack: list[tuple[int, str, bool]] = []  # (brace depth at open, name, is test)
    depth = 0
    pending_mod: tuple[str, bool] | None = None
    cfg_test = False
    in_tests_file = path.name == "tests.rs"
    k = 0
    while k < len(toks):
        kind, val, line = toks[k]
        here = here_file + [m for _, m, _ in stack]
        src = node(here_file, subs)
        if in_tests_file or any(t for _, _, t in stack):
            src = None  # test code: not a dependency of the library
        if val == "#" and [t[1] for t in toks[k + 1:k + 7]] == ["[", "cfg", "(", "test", ")", "]"]:
            cfg_test = True
            k += 7
            continue
        if kind == "doc":
            for m in DOC_PATH.finditer(val):
                segs = [m.group(1)] + m.group(2).split("::")[1:]
                target = resolve(segs, here)
                if target:
                    yield src, target, line
            k += 1
            continue
        if kind == "ident" and val == "mod" and k + 2 < len(toks) \
                and toks[k + 1][0] == "ident" and toks[k + 2][1] == "{":
            pending_mod = (toks[k + 1][1], cfg_test)
            cfg_test = False
            k += 2
            continue
        if val == "{":
            depth += 1
            if pending_mod:
                stack.append((depth, *pending_mod))
                pending_mod = None
            k += 1
            continue
        if val in (";", "}"):
            cfg_test = False
        if val == "}":
            if stack and stack[-1][0] == depth:
                stack.pop()
            depth -= 1
            k += 1
            continue
        if kind == "ident" and val == "use":
            j = k + 1
            if j < len(toks) and toks[j][1] == "::":
                j += 1
            paths, k2 = use_tree(toks, j, [])
            for p in paths:
                target = resolve(p, here) if p and p[0] in ("crate", "super", "self") else None
                if target:
                    yield src, target, line
            k = max(k2, k + 1)
            continue
        if kind == "ident" and val in ("crate", "super") and k + 1 < len(toks) \
                and toks[k + 1][1] == "::" and not (k > 0 and toks[k - 1][1] == "::"):
            segs = [val]
            j = k + 1
            while j + 1 < len(toks) and toks[j][1] == "::" and toks[j + 1][0] == "ident":
                segs.append(toks[j + 1][1])
                j += 2
            target = resolve(segs, here)
            if target:
                yield src, target, line
            k = j
            continue
        k += 1


def tarjan(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in nodes:
        if v not in index:
            visit(v)
    return sorted(out)


def report(title: str, nodes: list[str], edges: dict[str, set[str]],
           where: dict[tuple[str, str], str], show_where: bool) -> list[list[str]]:
    n_edges = sum(len(v) for v in edges.values())
    print(f"== {title}: {len(nodes)} modules, {n_edges} edges")
    for v in nodes:
        targets = sorted(edges.get(v, ()))
        if show_where:
            print(f"{v}")
            for w in targets:
                print(f"    -> {w}  ({where[(v, w)]})")
        else:
            print(f"{v} -> {', '.join(targets) if targets else '(nothing)'}")
    followed = {a: {b for b in bs if (a, b) not in ALLOWED} for a, bs in edges.items()}
    cycles = tarjan(nodes, followed)
    print(f"cycles: {len(cycles)}")
    for c in cycles:
        members = set(c)
        inner = [f"{a} -> {b} ({where[(a, b)]})" for a in c for b in sorted(followed.get(a, ()))
                 if b in members]
        print(f"  {{{', '.join(c)}}}")
        for e in inner:
            print(f"      {e}")
    return cycles


def main() -> int:
    show_where = "--where" in sys.argv[1:]
    subs = {p.stem if p.is_file() else p.name for p in (SRC / SPLIT).iterdir()
            if (p.suffix == ".rs" and p.stem != "mod") or p.is_dir()}
    tops = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
            if (p.suffix == ".rs" and p.stem not in ("lib", "main")) or p.is_dir()}
    files = sorted(f for f in SRC.rglob("*.rs") if f != SRC / "main.rs")

    top_edges: dict[str, set[str]] = {}
    sub_edges: dict[str, set[str]] = {}
    where: dict[tuple[str, str], str] = {}
    for f in files:
        rel = f.relative_to(ROOT)
        for src, target, line in scan(f, subs, tops):
            dst = node(target, subs)
            if src is None or dst is None or dst.split("/")[0] not in tops:
                continue
            a, b = src.split("/")[0], dst.split("/")[0]
            if a != b:
                top_edges.setdefault(a, set()).add(b)
                where.setdefault((a, b), f"{rel}:{line}")
            elif a == SPLIT and src != dst and "/" in src and "/" in dst:
                sub_edges.setdefault(src, set()).add(dst)
                where.setdefault((src, dst), f"{rel}:{line}")

    top_nodes = sorted(tops)
    sub_nodes = sorted(f"{SPLIT}/{s}" for s in subs)
    cycles = report("top-level modules", top_nodes, top_edges, where, show_where)
    print()
    cycles += report(f"submodules of src/{SPLIT}", sub_nodes, sub_edges, where, show_where)

    print()
    for (a, b), why in ALLOWED.items():
        used = b in top_edges.get(a, ())
        print(f"not followed: {a} -> {b}: {why}{'' if used else ' (unused: remove it)'}")
    if cycles:
        print(f"modules.py: {len(cycles)} module cycle(s)", file=sys.stderr)
        return 1
    print("no module cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
