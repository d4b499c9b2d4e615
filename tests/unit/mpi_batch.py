#!/usr/bin/env python3
"""cyberex batch under mpirun (issue 17): the same CSV and JSON, byte for byte, as `cyberex batch --jobs 2` with the
same seeds; with a run killed (CYBEREX_FAULT_KILL_SEED), the batch still completes, identical, and stderr names the
retried run. Exit status 77 (CTest: SKIPPED, with the reason on stdout) where MPI cannot run here.

usage: mpi_batch.py --cyberex BIN --with-mpi ON|OFF --sanitized ON|OFF identical|fault
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SCENARIO = "scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json"
PLAY = "scenarios/cyber-atlantic-2011/responses.json"
RUNS = 100
SEED_BASE = 37  # the scenario's exercise.seed; run 17 has seed 53


def skip(reason):
    print("SKIPPED: " + reason)
    sys.exit(77)


def run(cmd, env):
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cyberex", required=True)
    ap.add_argument("--with-mpi", required=True)
    ap.add_argument("--sanitized", required=True)
    ap.add_argument("mode", choices=["identical", "fault"])
    a = ap.parse_args()
    if a.with_mpi.upper() not in ("ON", "1", "TRUE", "YES"):
        skip("cyberex is built without MPI (CYBEREX_WITH_MPI=OFF)")
    if a.sanitized.upper() in ("ON", "1", "TRUE", "YES"):
        skip("not run in the sanitizer build (OpenMPI's own allocations are not ours to check)")
    mpirun = shutil.which("mpirun")
    if not mpirun:
        skip("mpirun is not installed (Debian: openmpi-bin)")

    env = dict(os.environ)
    # as root (containers, CI) OpenMPI refuses to start unless told that it is on purpose
    env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    env.pop("CYBEREX_FAULT_KILL_SEED", None)
    tmp = tempfile.mkdtemp(prefix="cyberex-mpi-")
    failures = []
    try:
        common = [SCENARIO, "--runs", str(RUNS), "--json"]
        if a.mode == "fault":
            common += ["--play", PLAY]
        ref_csv = os.path.join(tmp, "ref.csv")
        code, ref_out, ref_err = run([a.cyberex, "batch"] + common + ["--jobs", "2", "--quiet", "--csv", ref_csv], env)
        if code != 0:
            failures.append("reference batch exited %d: %s" % (code, ref_err))
        mpi_csv = os.path.join(tmp, "mpi.csv")
        mpi_env = dict(env)
        args = common + ["--csv", mpi_csv]
        if a.mode == "fault":
            mpi_env["CYBEREX_FAULT_KILL_SEED"] = str(SEED_BASE + 16)
        else:
            args += ["--quiet"]
        code, out, err = run([mpirun, "-n", "3", "--oversubscribe", a.cyberex, "batch"] + args, mpi_env)
        if code != 0:
            failures.append("mpirun batch exited %d: %s" % (code, err))
        if out != ref_out:
            failures.append("the JSON on stdout differs from the one of 'cyberex batch --jobs 2' (%d and %d bytes)"
                            % (len(out), len(ref_out)))
        with open(ref_csv, "rb") as f:
            ref_csv_bytes = f.read()
        mpi_csv_bytes = open(mpi_csv, "rb").read() if os.path.exists(mpi_csv) else b""
        if not ref_csv_bytes or mpi_csv_bytes != ref_csv_bytes:
            failures.append("the CSV differs from the one of 'cyberex batch --jobs 2' (%d and %d bytes)"
                            % (len(mpi_csv_bytes), len(ref_csv_bytes)))
        lines = err.splitlines()
        if a.mode == "identical":
            # the loader's warnings about the scenario, once (rank 0), as on one machine; nothing else with --quiet
            if err != ref_err:
                failures.append("stderr is not the one of 'cyberex batch --jobs 2 --quiet':\n" + err)
        else:
            # the rank that ran it is whichever was free: any of 0, 1, 2
            retry = re.compile(r"cyberex batch: run 17 \(seed 53\) died \(signal 9\) on rank [012]; retrying")
            summary = re.compile(r"cyberex batch: 100 runs on 3 ranks in [0-9]+\.[0-9] s; coordinator [0-9]+ us per run")
            progress = re.compile(r"cyberex batch: [0-9]+/100 runs done \([0-9]+%\), 0 failed, [0-9]+\.[0-9] s")
            retries = [l for l in lines if retry.fullmatch(l)]
            summaries = [l for l in lines if summary.fullmatch(l)]
            progresses = [l for l in lines if progress.fullmatch(l)]
            others = [l for l in lines if not (retry.fullmatch(l) or summary.fullmatch(l) or progress.fullmatch(l))]
            if len(retries) != 1:
                failures.append("expected one retry line for run 17 (seed 53), got %d" % len(retries))
            if len(summaries) != 1:
                failures.append("expected one summary line (runs on 3 ranks, coordinator), got %d" % len(summaries))
            # progress from rank 0 only: one line per tenth, not one per rank
            if len(progresses) != 10:
                failures.append("expected 10 progress lines, got %d" % len(progresses))
            if others != ref_err.splitlines():
                failures.append("unexpected lines on stderr (only the loader's warnings, once, may come):\n"
                                + "\n".join(others))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    if failures:
        sys.exit(1)
    print("ok: mpirun -n 3 %s batch of %d runs identical to --jobs 2" % (a.mode, RUNS))


if __name__ == "__main__":
    main()
