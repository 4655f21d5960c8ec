"""Runs a program under mpirun with a file-size limit on one rank only, as a full disk on
one node: python3 limit_one_rank.py RANK MAX_FILE_BYTES PROGRAM ARGS..."""
import os
import resource
import sys

if os.environ.get("OMPI_COMM_WORLD_RANK") == sys.argv[1]:
    limit = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
os.execv(sys.argv[3], sys.argv[3:])
