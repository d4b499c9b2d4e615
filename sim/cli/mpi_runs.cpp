/* MPI_Init / MPI_Finalize and byte messages between ranks, through the MPI C API; a stub without MPI. */
#include "mpi_runs.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#ifdef CYBEREX_WITH_MPI
#define OMPI_SKIP_MPICXX 1 // the C API only: no C++ bindings (deprecated, and noisy)
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace cyberex::cli::mpi {

bool launched()
{
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

#ifdef CYBEREX_WITH_MPI

namespace {
bool initialized_ = false;
bool finalized_ = false;
int rank_ = 0, size_ = 1;
} // namespace

bool available()
{
  return true;
}

bool init(int* argc, char*** argv)
{
  if (!launched())
    return true;
  // the runs are fork()ed children that never call MPI: OpenMPI's warning about fork would only be noise
  ::setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);
  if (MPI_Init(argc, argv) != MPI_SUCCESS) {
    std::fprintf(stderr, "cyberex: MPI_Init failed\n");
    return false;
  }
  initialized_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  return true;
}

bool initialized()
{
  return initialized_ && !finalized_;
}

int rank()
{
  return rank_;
}

int size()
{
  return size_;
}

void finalize()
{
  if (initialized_ && !finalized_) {
    finalized_ = true;
    MPI_Finalize();
  }
}

void send(int to, int tag, const std::string& bytes)
{
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

bool try_receive(int& from, int& tag, std::string& bytes)
{
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  if (!flag)
    return false;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  bytes.resize(static_cast<std::size_t>(count));
  from = status.MPI_SOURCE;
  tag = status.MPI_TAG;
  MPI_Recv(bytes.data(), count, MPI_BYTE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return true;
}

#else

bool available()
{
  return false;
}

bool init(int*, char***)
{
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (!size)
    size = std::getenv("PMI_SIZE");
  if (!launched() || (size && std::string(size) == "1"))
    return true; // one rank is the plain command
  std::fprintf(stderr, "cyberex: launched by mpirun but not built with MPI (configure with -DCYBEREX_WITH_MPI=ON "
                       "and libopenmpi-dev installed)\n");
  return false;
}

bool initialized()
{
  return false;
}

int rank()
{
  return 0;
}

int size()
{
  return 1;
}

void finalize() {}

void send(int, int, const std::string&)
{
  std::abort(); // unreachable: nothing sends when not initialized
}

bool try_receive(int&, int&, std::string&)
{
  return false;
}

#endif

} // namespace cyberex::cli::mpi
