#include <ringmq/version.hpp>

namespace ringmq {

version_info version() noexcept { return {RINGMQ_VERSION_MAJOR, RINGMQ_VERSION_MINOR, RINGMQ_VERSION_PATCH}; }

}  // namespace ringmq
