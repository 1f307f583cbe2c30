# The API reference: `cmake --build <build> --target docs` runs Doxygen over include/ringmq
# (docs/api/Doxyfile.in) into <build>/docs/api/html. Any Doxygen warning fails it. With tests
# on, the ctest entry api_reference_builds_without_warnings runs the same (a few seconds), so
# CI catches a header comment Doxygen cannot read.
option(RINGMQ_BUILD_DOCS "Add the `docs` target (Doxygen API reference)" ON)
if(NOT RINGMQ_BUILD_DOCS)
  return()
endif()
find_package(Doxygen)
if(NOT DOXYGEN_FOUND)
  # With tests on, a missing doxygen must not silently drop the check; a build without tests
  # (pip install of the bindings, a packager) just has no `docs` target.
  if(RINGMQ_BUILD_TESTS)
    message(FATAL_ERROR "RINGMQ_BUILD_DOCS needs doxygen (scripts/deps.sh installs it); "
                        "or configure with -DRINGMQ_BUILD_DOCS=OFF")
  endif()
  message(STATUS "ringmq: doxygen not found, no `docs` target")
  return()
endif()

set(RINGMQ_DOCS_OUTPUT ${PROJECT_BINARY_DIR}/docs/api)
# The filter needs only the standard library: Debian's interpreter, as everywhere else.
set(Python_EXECUTABLE_FOR_DOCS /usr/bin/python3)
configure_file(${PROJECT_SOURCE_DIR}/docs/api/Doxyfile.in ${RINGMQ_DOCS_OUTPUT}/Doxyfile @ONLY)

add_custom_target(docs
  COMMAND Doxygen::doxygen ${RINGMQ_DOCS_OUTPUT}/Doxyfile
  WORKING_DIRECTORY ${RINGMQ_DOCS_OUTPUT}
  COMMENT "Doxygen: API reference in ${RINGMQ_DOCS_OUTPUT}/html"
  VERBATIM)

if(RINGMQ_BUILD_TESTS AND NOT RINGMQ_SANITIZE)
  add_test(NAME api_reference_builds_without_warnings
    COMMAND Doxygen::doxygen ${RINGMQ_DOCS_OUTPUT}/Doxyfile
    WORKING_DIRECTORY ${RINGMQ_DOCS_OUTPUT})
  set_tests_properties(api_reference_builds_without_warnings PROPERTIES TIMEOUT 120 LABELS docs)
endif()
