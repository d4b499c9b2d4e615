# issue 16: suites of this area (see tests/CMakeLists.txt)
