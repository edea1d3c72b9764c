#!/usr/bin/env python3
"""Faults at every step of a rebuild, as TAP.

    run.py BAOKU SHIM SRCDIR WORKDIR

Builds the seed archive (tree A), changes its inputs (a page longer, one
gone, one new), and takes that as the starting point. A clean build from
there gives tree B. Then, for each kind of fault and for every N from 1 to
the number of file-system calls the rebuild makes, a copy of the starting
point is rebuilt with the shim (SHIM, an LD_PRELOAD library) killing the
build or failing its Nth call:

  - the output must then be exactly A or exactly B, never a mix, and a
    build that says it succeeded must have made B;
  - a full disk must be reported in a few lines, not one a file;
  - the next build, with no fault, must give B.

Trees are compared file by file, bytes and names; the marker's id line is
left out (it names the inputs, which each copy of the project has at
other inodes), but every tree must have its marker.
"""
import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import sys

MARKER = ".baoku-build"


def tree(root):
    """{relative path: digest} of the files under root; None if missing."""
    if not os.path.isdir(root):
        return None
    out = {}
    for base, dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root)
            with open(path, "rb") as f:
                data = f.read()
            if rel == MARKER:
                data = data.split(b"\nbuild ")[0] if b"\nbuild " in data else b"BAD"
            out[rel] = hashlib.sha1(data).hexdigest()
        for name in dirs:
            if not os.listdir(os.path.join(base, name)):
                out[os.path.relpath(os.path.join(base, name), root) + "/"] = "empty"
    return out


def build(baoku, proj, env=None):
    r = subprocess.run([baoku, "build", "-C", proj, "-q"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def copy(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    # cp -a keeps the hard links between the tree and its spare
    subprocess.run(["cp", "-a", src, dst], check=True)


def main():
    baoku, shim, src, work = sys.argv[1:5]
    # for a look at one case: run.py ... KIND N
    only = sys.argv[5:7]
    baoku = os.path.abspath(baoku)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    base = os.path.join(work, "base")
    os.makedirs(os.path.join(base, "content"))
    for d in ("templates", "static"):
        shutil.copytree(os.path.join(src, d), os.path.join(base, d))
    pages = sorted(p for p in os.listdir(os.path.join(src, "content")) if p.endswith(".txt"))
    for p in pages:
        shutil.copy(os.path.join(src, "content", p), os.path.join(base, "content", p))
    with open(os.path.join(base, "site.yml"), "w") as f:
        f.write("title: 故障\nbase_url: https://archive.example.org\n")
    rc, err = build(baoku, base)
    if rc != 0:
        print("Bail out! the seed archive does not build: " + err)
        return 1
    old = tree(os.path.join(base, "build"))

    # the new inputs: a page longer, one gone, one new
    with open(os.path.join(base, "content", pages[0]), "a") as f:
        f.write("\n故障测试加上的一段。\n")
    os.remove(os.path.join(base, "content", pages[1]))
    shutil.copy(os.path.join(src, "content", pages[1]), os.path.join(base, "content", "new.txt"))
    snap = os.path.join(work, "snap")
    copy(base, snap)

    ref = os.path.join(work, "ref")
    copy(snap, ref)
    rc, err = build(baoku, ref)
    new = tree(os.path.join(ref, "build"))
    print("1..6")
    print("%s 1 - a clean rebuild makes a tree other than the first (%d files)"
          % ("ok" if rc == 0 and new != old else "not ok", len(new or {})))

    count = os.path.join(work, "count")
    env = dict(os.environ, LD_PRELOAD=shim, BAOKU_FAULT="0:none", BAOKU_FAULT_COUNT=count)
    w = os.path.join(work, "w")
    copy(snap, w)
    build(baoku, w, env)
    shutil.rmtree(w)
    total = int(open(count).read())
    print("%s 2 - the rebuild makes %d file-system calls"
          % ("ok" if total > 10 else "not ok", total))

    number = 3
    for fault, what in (("kill", "killed"), ("ENOSPC+", "on a full disk"),
                        ("EACCES", "refused one call")):
        def one(n):
            """The problems of a rebuild with the fault at call n, and the
            lines it said."""
            bad = []
            w = os.path.join(work, "w%d" % n)
            copy(snap, w)
            env = dict(os.environ, LD_PRELOAD=shim, BAOKU_FAULT="%d:%s" % (n, fault))
            rc, err = build(baoku, w, env)
            got = tree(os.path.join(w, "build"))
            if got != old and got != new:
                got = got or {}
                odd = sorted(k for k in set(got) | set(new) | set(old)
                             if got.get(k) not in (old.get(k), new.get(k))
                             or (got.get(k) != old.get(k) and got.get(k) == new.get(k)))
                bad.append("%d: the output is a mix of the two builds (rc %d; %s)"
                           % (n, rc, " ".join(odd[:4])))
            elif rc == 0 and got != new:
                bad.append("%d: the build says it succeeded but left the old tree" % n)
            lines = err.count("\n")
            if fault.startswith("ENOSPC") and lines > 12:
                bad.append("%d: a full disk is reported in %d lines" % (n, lines))
            rc, err2 = build(baoku, w)
            if rc != 0 or tree(os.path.join(w, "build")) != new:
                bad.append("%d: the next build does not give the clean build's tree (%d: %s)"
                           % (n, rc, err2.strip()[:200]))
            shutil.rmtree(w, ignore_errors=True)
            return bad, lines
        calls = range(1, total + 1)
        if only:
            if only[0] != fault:
                continue
            calls = [int(only[1])]
        with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
            results = list(pool.map(one, calls))
        bad = [b for r in results for b in r[0]]
        loud = max(r[1] for r in results)
        print("%s %d - %s at each of the %d calls, the output is the old or the new tree, "
              "and the next build the new (at most %d lines said)"
              % ("not ok" if bad else "ok", number, what, total, loud))
        for b in bad[:20]:
            print("#   " + b)
        number += 1
    # a disk that fills early in a larger first build: said once
    big = os.path.join(work, "big")
    os.makedirs(os.path.join(big, "content"))
    for d in ("templates", "static"):
        shutil.copytree(os.path.join(src, d), os.path.join(big, d))
    for i in range(40):
        for p in pages:
            shutil.copy(os.path.join(src, "content", p),
                        os.path.join(big, "content", "%02d-%s" % (i, p)))
    env = dict(os.environ, LD_PRELOAD=shim, BAOKU_FAULT="60:ENOSPC+")
    rc, err = build(baoku, big, env)
    lines = err.count("\n")
    said = rc != 0 and lines <= 4 and "No space left" in err
    print("%s 6 - a disk full from the 60th call of a %d-page build is said in %d lines, "
          "and there is no archive" % ("ok" if said and not os.path.exists(os.path.join(big, "build"))
                                       else "not ok", 40 * len(pages), lines))
    if not said:
        for line in err.splitlines()[:8]:
            print("#   " + line)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
