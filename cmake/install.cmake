# Installation: the shared library, the public headers, a CMake package
# (find_package(ringmq) -> ringmq::ringmq) and a pkg-config file (ringmq.pc).
include(CMakePackageConfigHelpers)

install(TARGETS ringmq EXPORT ringmq-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/ringmq DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ringmq-targets NAMESPACE ringmq:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringmq)

configure_package_config_file(cmake/ringmqConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/ringmqConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringmq)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ringmqConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ringmqConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/ringmqConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringmq)

configure_file(cmake/ringmq.pc.in ${CMAKE_CURRENT_BINARY_DIR}/ringmq.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ringmq.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
