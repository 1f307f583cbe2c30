// DEALER/ROUTER: asynchronous request/reply. A ROUTER receives each message with the
// sender's routing id as its first part and sends a reply to whichever peer a routing id
// names; DEALERs send without waiting for replies. Here two clients with routing ids of
// their own ("alice", "bob") each send three requests at once, and the server answers them
// out of order (last request first), which REQ/REP could not do.
#include <ringmq/ringmq.hpp>

#include <cstdio>
#include <iterator>
#include <map>
#include <string>
#include <vector>

int main() {
  ringmq::context ctx;
  ringmq::socket server = ctx.socket(ringmq::socket_type::router);
  server.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port
  const std::string endpoint = server.last_endpoint();

  std::map<std::string, ringmq::socket> clients;
  for (const char* name : {"alice", "bob"}) {
    ringmq::socket client = ctx.socket(ringmq::socket_type::dealer);
    client.set(ringmq::opt::routing_id, name);  // otherwise the ROUTER makes one up
    client.connect(endpoint);
    for (int i = 1; i <= 3; ++i) client.send(std::string(name) + " request " + std::to_string(i));
    clients.emplace(name, std::move(client));
  }

  // Collect all six requests: [routing id, body] each.
  std::map<std::string, std::vector<std::string>> pending;
  for (int i = 0; i < 6; ++i) {
    std::vector<ringmq::message> parts;
    server.recv_multipart(std::back_inserter(parts));
    pending[parts.at(0).to_string()].push_back(parts.at(1).to_string());
  }
  for (auto& [id, requests] : pending) {
    for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
      const std::vector<std::string> reply = {id, "re: " + *it};
      server.send_multipart(reply);
    }
  }

  int replies = 0;
  for (auto& [name, client] : clients) {
    for (int i = 0; i < 3; ++i) {
      const std::string reply = client.recv()->to_string();
      std::printf("%-5s got '%s'\n", name.c_str(), reply.c_str());
      replies += reply.starts_with("re: " + name) ? 1 : 0;  // only its own replies
    }
  }
  return replies == 6 ? 0 : 1;
}
