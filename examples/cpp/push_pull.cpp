// Pipeline (PUSH/PULL): a ventilator hands out tasks, two workers square them, a sink
// collects the results. PUSH deals messages round-robin to the connected PULLs, and a
// PULL fair-queues what its PUSH peers send.
//
//   ventilator PUSH --> worker PULL | worker PUSH --> sink PULL
//
// The workers are threads, so the sockets meet over inproc; over tcp or ipc only the
// endpoints change (see req_rep.cpp).
#include <ringmq/ringmq.hpp>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int task_count = 20;

// Squares each task until it gets "stop", then reports how many it did.
void worker(ringmq::context& ctx, const std::string& tasks_at, const std::string& results_at, int id) {
  ringmq::socket tasks = ctx.socket(ringmq::socket_type::pull);
  ringmq::socket results = ctx.socket(ringmq::socket_type::push);
  tasks.connect(tasks_at);
  results.connect(results_at);
  // An inproc connect to a bound endpoint is complete when connect() returns, so once the
  // sink has this, the ventilator deals tasks to this worker too.
  results.send("ready");
  int done = 0;
  for (;;) {
    const std::string task = tasks.recv()->to_string();
    if (task == "stop") break;
    const int n = std::stoi(task);
    results.send(std::to_string(n * n));
    ++done;
  }
  std::printf("worker %d: squared %d numbers\n", id, done);
}

}  // namespace

int main() {
  ringmq::context ctx;
  ringmq::socket ventilator = ctx.socket(ringmq::socket_type::push);
  ringmq::socket sink = ctx.socket(ringmq::socket_type::pull);
  const std::string tasks_at = "inproc://tasks";
  const std::string results_at = "inproc://results";
  ventilator.bind(tasks_at);
  sink.bind(results_at);

  std::vector<std::jthread> workers;
  for (int id = 1; id <= 2; ++id) workers.emplace_back(worker, std::ref(ctx), tasks_at, results_at, id);

  // Each worker says it is ready through the sink before the tasks go out: PUSH deals only
  // to peers already connected, so without this the first worker could take every task.
  for (int ready = 0; ready < 2; ++ready) (void)sink.recv();
  for (int n = 1; n <= task_count; ++n) ventilator.send(std::to_string(n));

  long sum = 0;
  for (int i = 0; i < task_count; ++i) sum += std::stol(sink.recv()->to_string());
  for (int id = 1; id <= 2; ++id) ventilator.send("stop");
  workers.clear();  // joins

  std::printf("sink: %d results, sum of squares 1..%d = %ld\n", task_count, task_count, sum);
  return sum == long{task_count} * (task_count + 1) * (2 * task_count + 1) / 6 ? 0 : 1;
}
