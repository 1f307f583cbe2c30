# How tests that run /usr/bin/python3 over the library run in a sanitizer build.
#
# ringmq_python_sanitizer_env(<env var> <reason var>) sets <env var> to the environment such a
# test needs (a list of NAME=value) and <reason var> to why it cannot run in this build (empty
# when it can):
#  - ASan+UBSan: python3 is not instrumented, so the compiler's libasan is preloaded (it must
#    come first) together with libstdc++ (without it ASan's __cxa_throw interceptor finds no
#    real __cxa_throw, python3 not linking libstdc++, and the first C++ exception aborts), and
#    leak detection is off (CPython keeps objects alive at exit by design);
#  - TSan: an uninstrumented CPython reports races of its own, so the tests cannot run.
function(ringmq_python_sanitizer_env env_var reason_var)
  set(env "")
  set(reason "")
  if(RINGMQ_SANITIZE STREQUAL "address")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
      OUTPUT_VARIABLE libasan OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.so
      OUTPUT_VARIABLE libstdcxx OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(IS_ABSOLUTE "${libasan}" AND EXISTS "${libasan}" AND IS_ABSOLUTE "${libstdcxx}" AND EXISTS "${libstdcxx}")
      file(REAL_PATH "${libstdcxx}" libstdcxx)
      set(env
        "LD_PRELOAD=${libasan}:${libstdcxx}"
        "ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0:abort_on_error=1"
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
    else()
      set(reason "the compiler's libasan.so/libstdc++.so were not found to preload")
    endif()
  elseif(RINGMQ_SANITIZE STREQUAL "thread")
    set(reason "an uninstrumented CPython under TSan reports its own races")
  endif()
  set(${env_var} "${env}" PARENT_SCOPE)
  set(${reason_var} "${reason}" PARENT_SCOPE)
endfunction()
