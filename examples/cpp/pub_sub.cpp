// Publish/subscribe with topics: a subscriber receives only the messages whose first part
// starts with a prefix it subscribed to; the publisher filters before sending.
//
// A subscription travels to the publisher over the connection, so a message published
// before it arrives is not delivered to that subscriber (ZeroMQ's "slow joiner"). An XPUB
// publisher sees subscriptions arrive as messages ("\x01" + topic), so it waits for them
// here instead of guessing with a sleep.
#include <ringmq/ringmq.hpp>

#include <cstdio>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace {

// Prints the (topic, body) messages arriving on `sub` until "end"; returns how many.
int drain(ringmq::socket& sub, const char* name) {
  for (int count = 0;; ++count) {
    std::vector<ringmq::message> parts;
    sub.recv_multipart(std::back_inserter(parts));
    const std::string topic = parts.at(0).to_string();
    if (topic == "end") return count;
    std::printf("%s got %-14s %s\n", name, topic.c_str(), parts.at(1).to_string().c_str());
  }
}

}  // namespace

int main() {
  ringmq::context ctx;
  ringmq::socket publisher = ctx.socket(ringmq::socket_type::xpub);
  publisher.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port
  const std::string endpoint = publisher.last_endpoint();

  // Each subscriber sends its subscriptions in order once connected, "end" first: when the
  // publisher has seen a subscriber's topic, it has that subscriber's "end" too.
  ringmq::socket weather = ctx.socket(ringmq::socket_type::sub);
  weather.set(ringmq::opt::subscribe, "end");
  weather.set(ringmq::opt::subscribe, "weather.");
  weather.connect(endpoint);
  ringmq::socket news = ctx.socket(ringmq::socket_type::sub);
  news.set(ringmq::opt::subscribe, "end");
  news.set(ringmq::opt::subscribe, "news.");
  news.connect(endpoint);

  // XPUB passes each distinct subscription up once ("end" only for the first subscriber).
  std::set<std::string> topics;
  while (!topics.contains("weather.") || !topics.contains("news.")) {
    const std::string sub = publisher.recv()->to_string();  // "\x01" + topic
    std::printf("publisher: subscription to '%s'\n", sub.substr(1).c_str());
    topics.insert(sub.substr(1));
  }

  const std::vector<std::vector<std::string>> updates = {
      {"weather.paris", "12 C, rain"},
      {"sports.chess", "a draw"},  // nobody subscribed: it never leaves the
                                   // publisher
      {"news.science", "a new comet"},
      {"weather.oslo", "-3 C, snow"},
      {"end", ""},
  };
  for (const auto& update : updates) publisher.send_multipart(update);

  const int weather_count = drain(weather, "weather subscriber");
  const int news_count = drain(news, "news subscriber   ");
  std::printf("weather subscriber: %d messages, news subscriber: %d\n", weather_count, news_count);
  return weather_count == 2 && news_count == 1 ? 0 : 1;
}
