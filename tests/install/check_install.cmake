# Installs a built ringmq into a fresh temporary prefix and consumes it the two ways a user
# does: a CMake project (find_package(ringmq) through CMAKE_PREFIX_PATH) and a plain compiler
# command line from pkg-config (PKG_CONFIG_PATH). Both programs must build, run and print what
# they received. Run by ctest (tests/install/CMakeLists.txt) as
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DCONSUMER_DIR=... -DLIBDIR=... -DINCLUDEDIR=...
#         -DCXX=... -DPKG_CONFIG=... -DGENERATOR=... -DMAKE_PROGRAM=... -P check_install.cmake
#
# The prefix is not the configure-time CMAKE_INSTALL_PREFIX, so a .pc or a CMake package that
# hard-codes that prefix fails here. pkg-config sees only the installed tree
# (PKG_CONFIG_LIBDIR), as on a machine without liburing's and libsodium's -dev packages.
cmake_minimum_required(VERSION 3.25)

foreach(var BUILD_DIR WORK_DIR CONSUMER_DIR LIBDIR INCLUDEDIR CXX PKG_CONFIG GENERATOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_install.cmake: -D${var}= is required")
  endif()
endforeach()

# run(<what> <command...>): runs a command, fails the test with its output if it fails, and
# leaves its standard output in `run_output`.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n  ${ARGN}\n${out}${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# expect_same_dir(<what> <found> <expected>): both name the same directory.
function(expect_same_dir what found expected)
  if(NOT IS_DIRECTORY "${found}")
    message(FATAL_ERROR "${what} is '${found}', which does not exist (expected ${expected})")
  endif()
  file(REAL_PATH "${found}" found_real)
  file(REAL_PATH "${expected}" expected_real)
  if(NOT found_real STREQUAL expected_real)
    message(FATAL_ERROR "${what} is '${found}', expected ${expected}")
  endif()
endfunction()

# expect_received(<what> <program output>)
function(expect_received what output)
  if(NOT output MATCHES "received 'hello from an installed ringmq'")
    message(FATAL_ERROR "${what} printed:\n${output}")
  endif()
  message(STATUS "${what}: ${output}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(libdir "${prefix}/${LIBDIR}")

run("cmake --install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

# ---- pkg-config ----------------------------------------------------------------------------
set(ENV{PKG_CONFIG_PATH} "${libdir}/pkgconfig")
set(ENV{PKG_CONFIG_LIBDIR} "${libdir}/pkgconfig")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})
run("pkg-config --variable=includedir" ${PKG_CONFIG} --variable=includedir ringmq)
string(STRIP "${run_output}" pc_includedir)
expect_same_dir("ringmq.pc's includedir" "${pc_includedir}" "${prefix}/${INCLUDEDIR}")
run("pkg-config --variable=libdir" ${PKG_CONFIG} --variable=libdir ringmq)
string(STRIP "${run_output}" pc_libdir)
expect_same_dir("ringmq.pc's libdir" "${pc_libdir}" "${libdir}")
run("pkg-config --cflags" ${PKG_CONFIG} --cflags ringmq)
separate_arguments(cflags UNIX_COMMAND "${run_output}")
run("pkg-config --libs" ${PKG_CONFIG} --libs ringmq)
separate_arguments(libs UNIX_COMMAND "${run_output}")
set(pc_program "${WORK_DIR}/consumer_pkg_config")
run("compiling with pkg-config's flags" ${CXX} ${cflags} "${CONSUMER_DIR}/consumer.cpp" -o "${pc_program}" ${libs}
  "-Wl,-rpath,${pc_libdir}")
run("the pkg-config consumer" "${pc_program}")
expect_received("pkg-config consumer" "${run_output}")

# ---- CMake ---------------------------------------------------------------------------------
set(cmake_args -S "${CONSUMER_DIR}" -B "${WORK_DIR}/cmake_consumer" -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_CXX_COMPILER=${CXX}" -DCMAKE_BUILD_TYPE=Debug)
if(MAKE_PROGRAM)
  list(APPEND cmake_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configuring the CMake consumer" ${CMAKE_COMMAND} ${cmake_args})
file(STRINGS "${WORK_DIR}/cmake_consumer/CMakeCache.txt" ringmq_dir_line REGEX "^ringmq_DIR:")
string(REGEX REPLACE "^ringmq_DIR:[A-Z]+=" "" ringmq_dir "${ringmq_dir_line}")
expect_same_dir("find_package(ringmq)'s ringmq_DIR" "${ringmq_dir}" "${libdir}/cmake/ringmq")
run("building the CMake consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/cmake_consumer")
run("the CMake consumer" "${WORK_DIR}/cmake_consumer/consumer")
expect_received("CMake consumer" "${run_output}")
