// Umbrella header: the whole public API.
#pragma once

#include <ringmq/context.hpp>
#include <ringmq/error.hpp>
#include <ringmq/flags.hpp>
#include <ringmq/message.hpp>
#include <ringmq/monitor.hpp>
#include <ringmq/options.hpp>
#include <ringmq/poller.hpp>
#include <ringmq/proxy.hpp>
#include <ringmq/security.hpp>
#include <ringmq/socket.hpp>
#include <ringmq/socket_type.hpp>
#include <ringmq/version.hpp>
