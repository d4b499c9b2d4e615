# tests of cyberex batch on MPI (issue 17): filled in by its implementation
