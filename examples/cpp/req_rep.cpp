// Request/reply: a REP server answers each request of a REQ client. REQ strictly
// alternates send and recv, and REP answers the peer the request came from, so neither
// side handles addresses. Over tcp on loopback, with the server on its own thread.
#include <ringmq/ringmq.hpp>

#include <cstdio>
#include <string>
#include <thread>

int main() {
  ringmq::context ctx;
  ringmq::socket server = ctx.socket(ringmq::socket_type::rep);
  server.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port
  const std::string endpoint = server.last_endpoint();

  // Upper-cases each request until "quit".
  std::jthread server_thread([&server] {
    for (;;) {
      std::string request = server.recv()->to_string();
      if (request == "quit") {
        server.send("bye");
        return;
      }
      for (char& c : request) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      server.send(request);
    }
  });

  ringmq::socket client = ctx.socket(ringmq::socket_type::req);
  client.connect(endpoint);  // may complete later: the first send waits for the connection
  int answered = 0;
  for (const char* request : {"hello", "ringmq", "quit"}) {
    client.send(request);
    const std::string reply = client.recv()->to_string();
    std::printf("client: sent '%s', got '%s' (over %s)\n", request, reply.c_str(), endpoint.c_str());
    answered += reply.empty() ? 0 : 1;
  }
  return answered == 3 ? 0 : 1;
}
