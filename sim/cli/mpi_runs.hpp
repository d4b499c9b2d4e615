/* The MPI transport of `cyberex batch`, `check` and `sensitivity` under mpirun: start and end MPI, and move byte
 * messages between ranks. No MPI type appears here, so only mpi_runs.cpp includes <mpi.h>; built without MPI
 * (CYBEREX_WITH_MPI off), it is a stub that says so. What the messages mean is child_runs.cpp's business. */
#pragma once

#include <string>

namespace cyberex::cli::mpi {

/// True when cyberex was built with MPI.
bool available();

/// True when the environment says mpirun (or a PMI launcher such as Slurm's srun) started this process:
/// OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK is set. Reads the environment only; never calls MPI.
bool launched();

/// At the start of main, before anything prints: when launched() and built with MPI, sets
/// OMPI_MCA_mpi_warn_on_fork=0 (unless already set: the children are fork()ed and never call MPI) and calls
/// MPI_Init. Launched but built without MPI: prints "cyberex: launched by mpirun but not built with MPI (...)" and
/// returns false. Otherwise does nothing and returns true.
bool init(int* argc, char*** argv);

/// After init: MPI_Init was called (and MPI_Finalize not yet).
bool initialized();

/// The rank of this process and the number of ranks (0 and 1 when not initialized).
int rank();
int size();

/// MPI_Finalize, once; nothing when not initialized.
void finalize();

/// Sends `bytes` to rank `to` with `tag` (blocking, MPI_BYTE).
void send(int to, int tag, const std::string& bytes);

/// One message waiting for this rank (any source, any tag), received into the arguments; false when none is
/// waiting. Never blocks.
bool try_receive(int& from, int& tag, std::string& bytes);

} // namespace cyberex::cli::mpi
