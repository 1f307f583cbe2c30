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

# ringmq.pc. The prefix is not the configure-time CMAKE_INSTALL_PREFIX, which would be wrong
# after `cmake --install --prefix <other>`, but ${pcfiledir} (defined by pkg-config and pkgconf
# alike: the directory the .pc file was found in) walked up to the prefix, so the file is right
# wherever the tree is installed or moved. An absolute CMAKE_INSTALL_LIBDIR/INCLUDEDIR is used
# as given.
#
# No Requires.private/Libs.private: only the shared library is installed, which carries its
# own DT_NEEDED on liburing and libsodium, and the public headers include neither. Listing
# them would only make pkg-config fail (even for --cflags) where their -dev packages, which
# a consumer does not need, are missing; and `--static` has no libringmq.a to link anyway.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(RINGMQ_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(RINGMQ_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH pc_to_prefix "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(RINGMQ_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
  set(RINGMQ_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(RINGMQ_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(RINGMQ_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/ringmq.pc.in ${CMAKE_CURRENT_BINARY_DIR}/ringmq.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ringmq.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
