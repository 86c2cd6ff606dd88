# Sourced by the scripts: Open MPI settings for root and for small machines.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export OMPI_MCA_rmaps_base_oversubscribe=1   # more ranks than cores is fine for tests
export PTMC_PYTHON=${PTMC_PYTHON:-/usr/bin/python3}
